"""Speech engines as plug-ins: found through the ``kickback_export.speech_engines`` entry
points, loaded only when something is spoken or ``kickback-export voices`` asks.

``espeak`` (espeak-ng, a fresh state per sentence) is the default; ``piper`` comes with the
``piper`` extra; any package can add one (:mod:`.base` is the contract).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ....errors import ExportError, InputError, OptionError, PluginError, one_line
from ..voices import DEFAULT_RATE, RATES, Voice, VoiceError
from .base import SpeechEngine, Synthesizer, VoiceInfo, pick

GROUP = "kickback_export.speech_engines"
DEFAULT = "espeak"

__all__ = ["DEFAULT", "GROUP", "SpeechEngine", "Synthesizer", "VoiceInfo", "load", "names",
           "resolve_voice"]


def _entry_points() -> dict[str, Any]:
    from importlib.metadata import entry_points

    found: dict[str, Any] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda ep: (ep.name, ep.value)):
        found.setdefault(ep.name, ep)  # the first by value wins: the same on every machine
    return found


def names() -> list[str]:
    """The registered engines, the default first."""
    return sorted(_entry_points(), key=lambda n: (n != DEFAULT, n))


@functools.cache
def load(name: str) -> SpeechEngine:
    """The engine registered as ``name``; :class:`OptionError` for an unknown name."""
    ep = _entry_points().get(name)
    if ep is None:
        raise OptionError(f"--engine {name}: no such speech engine (installed: "
                          f"{', '.join(names())}; 'kickback-export voices' lists them)")
    try:
        obj = ep.load()
        engine = obj() if isinstance(obj, type) else obj
    except Exception as exc:
        raise PluginError(f"speech engine '{name}' ({ep.value}) could not be loaded: "
                          f"{type(exc).__name__}: {exc}") from None
    missing = [m for m in ("version", "voices", "synthesizer") if not callable(getattr(engine, m,
                                                                                    None))]
    if missing:
        raise PluginError(f"speech engine '{name}' ({ep.value}) lacks {', '.join(missing)}()")
    return engine  # type: ignore[no-any-return]


def resolve_voice(language: str, voice: str | None = None, rate: int = DEFAULT_RATE, *,
                  engine: str | None = None) -> Voice:
    """Check the engine is usable and choose its voice: ``voice`` if given, else by language."""
    name = engine or DEFAULT
    plugin = load(name)
    version = plugin.version()
    if not RATES[0] <= rate <= RATES[1]:
        raise VoiceError(f"speech rate {rate} is outside {RATES[0]}–{RATES[1]} words per minute")
    chooser = getattr(plugin, "resolve", None)
    info: VoiceInfo = (chooser(language, voice) if callable(chooser)
                       else pick(name, plugin.voices(), language, voice))
    identity = f"{version}; {info.fingerprint}" if info.fingerprint else version
    return Voice(info.id, info.name, rate, identity, plugin=name, source=info.source)


@dataclass(frozen=True)
class Listing:
    """One engine as ``kickback-export voices`` shows it."""

    name: str
    description: str
    version: str
    voices: Sequence[VoiceInfo]
    problem: str = ""


def listing(only: str | None = None) -> list[Listing]:
    """Every engine (or ``only``) with its voices, or the one line saying why it is unusable."""
    out = []
    for name in [only] if only else names():
        plugin = load(name)
        description = str(getattr(plugin, "description", ""))
        try:
            out.append(Listing(name, description, plugin.version(), plugin.voices()))
        except (InputError, ExportError) as exc:  # say why, and list the others
            out.append(Listing(name, description, "", (), one_line(exc)))
    return out
