"""The speech engine contract: what a plug-in in ``kickback_export.speech_engines`` provides.

An engine is small on purpose, so a third party can add a voice with a few lines: it
names its version (part of the clip cache key), lists its voices with their languages,
and opens a synthesizer that turns one sentence into 16-bit mono PCM at its own sample
rate. Trimming, resampling, caching, parallel processes and timing are the package's,
the same for every engine. Synthesizers run in child processes
(:mod:`..speech_worker`): load a model once, in the constructor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class VoiceInfo:
    """One voice of an engine.

    ``id`` is what ``--voice`` names and what outputs record; ``source`` what the
    synthesizer loads when that is not the id (a model file); ``fingerprint`` identifies
    the voice's data beyond the engine version (a model file's hash) for the clip cache.
    """

    id: str
    name: str
    languages: tuple[str, ...]
    source: str = ""
    fingerprint: str = ""


@runtime_checkable
class Synthesizer(Protocol):
    """A loaded voice at one speaking rate, used for one sentence at a time."""

    sample_rate: int

    def synthesize(self, text: str) -> bytes:
        """The sentence spoken, as little-endian 16-bit mono samples at ``sample_rate``."""
        ...


@runtime_checkable
class SpeechEngine(Protocol):
    """A speech engine plug-in (an object or class with no-argument construction).

    It may also define ``resolve(language, voice) -> VoiceInfo`` to choose voices its own
    way (Piper takes a model file path); without it, :func:`pick` chooses from ``voices()``.
    Unusable engines raise :class:`~kickback_export.errors.OptionError` or
    :class:`~kickback_export.errors.MissingPieceError` with one line saying what to install.
    """

    description: str

    def version(self) -> str:
        """What identifies the engine build, e.g. ``piper-tts 1.2.0; onnxruntime 1.32.0``."""
        ...

    def voices(self) -> Sequence[VoiceInfo]: ...

    def synthesizer(self, voice: str, rate: int) -> Synthesizer:
        """``voice`` is a :class:`VoiceInfo`'s ``source`` (or its ``id`` when that is empty);
        ``rate`` is in words per minute (175 is a normal pace)."""
        ...


def _primary(tag: str) -> str:
    return tag.lower().replace("_", "-").split("-")[0]


def pick(engine_name: str, voices: Sequence[VoiceInfo], language: str,
         wanted: str | None) -> VoiceInfo:
    """The voice named ``wanted`` (id or name), else the first for ``language`` (exact tag,
    then same primary language); :class:`~kickback_export.errors.OptionError` if none."""
    from ....errors import OptionError

    if wanted:
        found = next((v for v in voices if wanted.lower() in (v.id.lower(), v.name.lower())),
                     None)
        if found is None:
            raise OptionError(f"--voice {wanted}: speech engine '{engine_name}' has no such "
                              "voice ('kickback-export voices' lists them)")
        return found
    tag = language.lower().replace("_", "-")
    exact = [v for v in voices if tag in (lang.lower().replace("_", "-") for lang in v.languages)]
    near = [v for v in voices if _primary(tag) in map(_primary, v.languages)]
    chosen = exact or near
    if not chosen:
        raise OptionError(f"speech engine '{engine_name}' has no voice for the document "
                          f"language '{language}' ('kickback-export voices' lists them)")
    return chosen[0]
