"""Rendering engines the exporters share: speech, audio, tagged PDF pages, braille."""
