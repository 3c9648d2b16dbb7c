"""braille."""
