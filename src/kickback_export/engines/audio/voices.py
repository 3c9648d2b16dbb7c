"""espeak-ng as a system piece: is it installed, which version, which voice speaks a language.

Asked through the ``espeak-ng`` program (its answers are cached per process), so the
check runs before any synthesis process starts. The errors follow the package's exit
code rule (:mod:`kickback_export.errors`): espeak-ng missing is a missing system piece
(exit 1), a voice or rate that cannot be used is an option error (exit 2), a synthesis
that fails is an export failure (exit 1).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...errors import ExportError, MissingPieceError, OptionError

APT_PACKAGE = "espeak-ng"
DEFAULT_RATE = 175  # words per minute, espeak's default
RATES = (80, 500)  # what espeak-ng accepts, words per minute


class SpeechError(ExportError):
    """Synthesis failed; ``str()`` is one line for the build log."""


class EngineMissingError(SpeechError, MissingPieceError):
    """espeak-ng (the program, its library or its voice data) is not installed."""


class VoiceError(OptionError):
    """No espeak-ng voice for the requested language or voice name, or a rate it refuses."""


def missing(what: str) -> EngineMissingError:
    return EngineMissingError(
        f"{what}: spoken audio needs espeak-ng — install the apt package "
        f"'{APT_PACKAGE}' (sudo apt-get install {APT_PACKAGE})"
    )


@dataclass(frozen=True)
class Voice:
    """A resolved voice and speaking rate, plus what identifies the engine build (all of it
    but ``source``, a local path, goes into the clip cache key)."""

    id: str  # espeak-ng voice file, e.g. "gmw/en-US" (optionally "+variant")
    name: str
    rate: int
    engine: str  # e.g. "espeak-ng 1.51; a fresh state per sentence" (a model's hash for Piper)
    plugin: str = "espeak"  # the speech engine plug-in that speaks it
    source: str = ""  # what the plug-in loads when that is not ``id`` (a model file)


def _run_espeak(args: Sequence[str]) -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise missing("espeak-ng was not found on PATH")
    return _query(exe, tuple(args))


@functools.lru_cache(maxsize=32)
def _query(exe: str, args: tuple[str, ...]) -> str:
    """espeak-ng's answer to a version or voice query (asked once per process)."""
    try:
        done = subprocess.run(
            [exe, *args], capture_output=True, text=True, timeout=30, check=False,
            encoding="utf-8", errors="replace",
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise missing(f"espeak-ng could not be run ({exc})") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise missing(f"espeak-ng failed ({detail})")
    return done.stdout


def espeak_voices(language: str | None = None) -> list[dict[str, str]]:
    """espeak-ng's voice list (optionally for one language), mbrola voices and variants left out."""
    out = _run_espeak([f"--voices={language}"] if language else ["--voices"])
    rows = []
    for line in out.splitlines()[1:]:
        cols = line.split()
        if len(cols) < 5:
            continue
        file = cols[4]
        if file.startswith(("mb/", "!v/")):  # mbrola needs extra data; variants are not voices
            continue
        rows.append({"language": cols[1], "name": cols[3], "file": file})
    return rows


def engine_version() -> str:
    out = _run_espeak(["--version"])
    words = out.split()
    ver = next((w for w in words if w[:1].isdigit()), "unknown")
    data = out.split("Data at:")[-1].strip() if "Data at:" in out else ""
    if data and not Path(data).is_dir():
        raise missing(f"espeak-ng voice data is missing ({data})")
    # the clips of a fresh state per sentence differ from those of a running process:
    # part of the cache key, so a cache filled the old way is not reused
    return f"espeak-ng {ver}; a fresh state per sentence"


def resolve_voice(language: str, voice: str | None = None, rate: int = DEFAULT_RATE) -> Voice:
    """Check espeak-ng is usable and pick the voice: ``voice`` if given, else by ``language``."""
    engine = engine_version()
    if not RATES[0] <= rate <= RATES[1]:
        raise VoiceError(f"speech rate {rate} is outside {RATES[0]}–{RATES[1]} words per minute")
    every = espeak_voices()
    if not every:
        raise missing("espeak-ng lists no voices (voice data missing)")
    if voice:
        base, plus, variant = voice.partition("+")
        wanted = base.lower()
        match = next(
            (v for v in every if wanted in (v["file"].lower(), v["name"].lower())), None
        ) or next((v for v in every if v["language"].lower() == wanted), None)
        if match is None:
            raise VoiceError(
                f"espeak-ng has no voice '{voice}' ('espeak-ng --voices' lists the installed ones)"
            )
        return Voice(match["file"] + plus + variant, match["name"], rate, engine)
    tag = language.lower()
    candidates = espeak_voices(tag)
    exact = [v for v in candidates if v["language"].lower() == tag]
    primary = tag.split("-")[0]
    chosen = (exact or candidates or [v for v in every if v["language"].lower() == primary])
    if not chosen:
        raise VoiceError(
            f"espeak-ng has no voice for the document language '{language}' "
            "(choose one with --voice; 'espeak-ng --voices' lists them)"
        )
    return Voice(chosen[0]["file"], chosen[0]["name"], rate, engine)
