"""The default engine: espeak-ng, through its library (libespeak-ng), one fresh state per
sentence (:mod:`..voices` asks the ``espeak-ng`` program which voices there are).

espeak-ng's output for a sentence depends on everything the process spoke before it
(its pitch flutter and other state carry over, and neither ``espeak_Terminate`` nor a new
``espeak_Initialize`` resets them): the same sentence said twice in one process gives
two different clips. Which clip a build got then depended on which process spoke the
sentence first — under load, two builds from empty caches gave different audio. So the
library is initialised once per process, in synchronous mode (no threads), and every
sentence is spoken in a forked child of that fresh state: each clip is the sentence as
the first utterance of a new espeak-ng, the same bytes in any process, order or load.
A fork costs about a millisecond; pyttsx3's driver (which raced and could not fork)
is not used.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Sequence

from .. import voices
from ..clips import SAMPLE_RATE
from .base import VoiceInfo

LIBRARY = "libespeak-ng.so.1"
_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS: espeak_Synth returns when the text is spoken
_RATE = 1  # espeakRATE
_UTF8, _END_PAUSE = 0x1, 0x1000  # espeakCHARS_UTF8, espeakENDPAUSE
_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.c_void_p)


def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("espeak-ng") or LIBRARY
    try:
        return ctypes.CDLL(name)
    except OSError as exc:
        raise voices.missing(f"the espeak-ng library could not be loaded ({exc})") from None


class EspeakSynthesizer:
    """espeak-ng initialised with one voice and rate; each sentence spoken in a fork."""

    def __init__(self, voice: str, rate: int) -> None:
        self.lib = _library()
        rate_hz = self.lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0)
        if rate_hz <= 0:
            raise voices.missing("espeak-ng could not be initialised (voice data missing?)")
        self.sample_rate = int(rate_hz)
        self.chunks: list[bytes] = []
        self._callback = _Callback(self._on_audio)  # kept alive as long as the library holds it
        self.lib.espeak_SetSynthCallback(self._callback)
        if self.lib.espeak_SetVoiceByName(voice.encode("utf-8")) != 0:
            raise voices.VoiceError(f"espeak-ng has no voice '{voice}'")
        self.lib.espeak_SetParameter(_RATE, rate, 0)

    def _on_audio(self, wav: ctypes._Pointer[ctypes.c_short], count: int,
                  events: int | None) -> int:
        if count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def _speak(self, text: str, channel: int) -> int:
        """In the child: speak ``text`` and write its samples to ``channel``."""
        data = text.encode("utf-8")
        status = self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _UTF8 | _END_PAUSE,
                                       None, None)
        if status != 0 or self.lib.espeak_Synchronize() != 0:
            return 2
        view = memoryview(b"".join(self.chunks))
        while view:
            view = view[os.write(channel, view):]
        return 0

    def synthesize(self, text: str) -> bytes:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 1
            try:
                os.close(read)
                code = self._speak(text, write)
            finally:
                os._exit(code)
        os.close(write)
        parts = []
        with os.fdopen(read, "rb") as pipe:
            while chunk := pipe.read(1 << 16):
                parts.append(chunk)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise voices.SpeechError(f'espeak-ng could not speak "{text[:60]}"')
        return b"".join(parts)


class EspeakEngine:
    """espeak-ng: about a hundred languages, tiny, instant, robotic."""

    description = "espeak-ng: many languages, tiny and instant (the default)"

    def version(self) -> str:
        return voices.engine_version()

    def voices(self) -> Sequence[VoiceInfo]:
        langs: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        for row in voices.espeak_voices():
            langs.setdefault(row["file"], []).append(row["language"])
            names[row["file"]] = row["name"]
        return [VoiceInfo(file, names[file], tuple(langs[file])) for file in langs]

    def resolve(self, language: str, voice: str | None) -> VoiceInfo:
        chosen = voices.resolve_voice(language, voice)
        return VoiceInfo(chosen.id, chosen.name, (language,))

    def synthesizer(self, voice: str, rate: int) -> EspeakSynthesizer:
        return EspeakSynthesizer(voice, rate)


__all__ = ["SAMPLE_RATE", "EspeakEngine", "EspeakSynthesizer"]
