"""Speech engines side by side on the same sentences: intelligibility, speed, export cost.

For each engine (espeak-ng, Piper with the joe voice as the exporter runs it, and, to show
what repeatable output costs, Piper with its own sampling noise on and Piper with
onnxruntime's default threads), in one run:

* **word error rate**: every distinct sentence of the seed guide (its set cues included)
  spoken by the engine, trimmed as the exporter trims it, transcribed offline by
  pocketsphinx 5's bundled US English model; errors (substitutions, insertions,
  deletions of words) over the reference words, numbers spelled out;
* **real-time factor**: synthesis time / audio length in a fresh process, cold (model
  load included) and warm (model loaded), and the process's peak memory;
* **cold export / floor**: ``build -f audio --engine NAME`` with an empty clip cache
  against the engine's raw floor: its own tool synthesizing the distinct sentences in one
  process (``espeak-ng -w``; ``python -m piper``) plus ``lame`` encoding the guide (with
  ±1 LSB of noise, as in bench_audio);
* **repeatability**: whether every round's cold process gave the very same samples.

Needs the piper and bench extras (``pip install 'kickback-export[piper,bench]'``) and the
``lame`` CLI. Run: ``python benchmarks/bench_voices.py [--rounds 3] [--write]``;
``--write`` replaces the "Voices" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from bench_audio import dithered, espeak_cmd, lame_cmd, require

from kickback_export import load
from kickback_export.content.exercise_text import spoken_texts
from kickback_export.engines.audio import clips, mp3, speech

from machine import cpu_model, write_section

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "resistance-band-one-leg-kickback-bent-position.yaml"
HEADING = "## Voices"
RECOGNIZER_RATE = 16000  # what pocketsphinx's US English model is trained on

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen"]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spelled(n: int) -> str:
    """English words for 0–999, as every engine here reads a number."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    rest = n % 100
    return ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + spelled(rest))


def words(text: str) -> list[str]:
    """A sentence as the words a listener hears: lower case, numbers spelled out, no
    punctuation (hyphenated words are two words)."""
    text = re.sub(r"\d+", lambda m: f" {spelled(int(m.group()))} "
                  if int(m.group()) < 1000 else m.group(), text.lower())
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text)


def word_errors(reference: Sequence[str], heard: Sequence[str]) -> int:
    """Word-level edit distance (substitutions, insertions, deletions)."""
    row = list(range(len(heard) + 1))
    for i, ref in enumerate(reference, 1):
        prev, row[0] = row[0], i
        for j, hyp in enumerate(heard, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ref != hyp))
    return row[-1]


class Recognizer:
    """pocketsphinx 5 with its bundled US English model (offline, deterministic)."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self.decoder = Decoder(samprate=RECOGNIZER_RATE, loglevel="FATAL")

    def transcribe(self, clip: npt.NDArray[np.int16], rate: int = clips.SAMPLE_RATE) -> str:
        """The words heard in a clip (resampled to 16 kHz, 0.2 s of silence each side)."""
        x = clip.astype(np.float64)
        n = round(x.size * RECOGNIZER_RATE / rate)
        y = np.interp(np.arange(n) * rate / RECOGNIZER_RATE, np.arange(x.size), x)
        pad = np.zeros(RECOGNIZER_RATE // 5)
        pcm = np.rint(np.concatenate([pad, y, pad])).astype("<i2").tobytes()
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        return hyp.hypstr if hyp is not None else ""


def word_error_rate(recognizer: Recognizer, spoken: dict[str, npt.NDArray[np.int16]]) -> float:
    """Errors over reference words, all sentences together."""
    errors = total = 0
    for text, clip in spoken.items():
        reference = words(text)
        errors += word_errors(reference, words(recognizer.transcribe(clip)))
        total += len(reference)
    return errors / total


# -- synthesis in a fresh process, timed ---------------------------------------------------

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
job = json.loads(sys.argv[1])
from kickback_export.engines.audio import tts
from kickback_export.engines.audio.tts import piper
if job["sampled"]:
    piper.NOISE = None  # Piper's own noise scales from the voice's config
if job["threads"] is not None:
    piper.THREADS = job["threads"]
start = time.perf_counter()
synth = tts.load(job["engine"]).synthesizer(job["voice"], job["rate"])
loaded = time.perf_counter() - start
times = []
for n, text in enumerate(job["texts"]):
    t = time.perf_counter()
    pcm = synth.synthesize(text)
    times.append(time.perf_counter() - t)
    Path(job["out"], f"{n}.raw").write_bytes(pcm)
# VmHWM is this program's own peak; ru_maxrss would keep the parent's size across exec
status = Path("/proc/self/status").read_text().splitlines()
hwm = [ln.split()[1] for ln in status if ln.startswith("VmHWM:")]
peak = int(hwm[0]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load": loaded, "times": times, "rate": synth.sample_rate, "peak_mb": peak}))
"""


@dataclass
class Engine:
    label: str
    engine: str
    voice: speech.Voice
    sampled: bool = False
    threads: int | None = None  # Piper's onnxruntime threads, when not the exporter's

    @property
    def exporter(self) -> bool:
        """Whether this is how the exporter runs the engine (then its export is timed)."""
        return not self.sampled and self.threads is None


@dataclass
class Spoken:
    load: float
    synth: float
    first: float
    audio: float
    peak_mb: float
    clips: dict[str, npt.NDArray[np.int16]]


def speak(engine: Engine, texts: list[str], out: Path) -> Spoken:
    """The sentences spoken by ``engine`` in a fresh process; clips trimmed like the
    exporter's (and brought to its rate)."""
    out.mkdir(parents=True)
    job = {"engine": engine.engine, "voice": engine.voice.source or engine.voice.id,
           "rate": engine.voice.rate, "texts": texts, "out": str(out),
           "sampled": engine.sampled, "threads": engine.threads}
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(job)], check=True,
                          capture_output=True, text=True, env={**os.environ, "TMPDIR": str(out)})
    result = json.loads(done.stdout.strip().splitlines()[-1])
    spoken = {}
    audio = 0.0
    for n, text in enumerate(texts):
        raw = np.frombuffer((out / f"{n}.raw").read_bytes(), dtype="<i2").astype(np.int16)
        audio += raw.size / result["rate"]
        full = clips.resample(raw, result["rate"]) if result["rate"] != clips.SAMPLE_RATE else raw
        spoken[text] = clips.trim(full)
    return Spoken(result["load"], sum(result["times"]), result["times"][0], audio,
                  result["peak_mb"], spoken)


def timed(args: list[str], **kwargs: Any) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def floor(engine: Engine, sentences: Path, tmp: Path) -> float:
    """The engine's own tool speaking every distinct sentence in one process."""
    if engine.engine == "espeak":
        return timed(espeak_cmd(engine.voice, sentences, tmp / "floor.wav"))
    with sentences.open("rb") as stdin:
        return timed([sys.executable, "-m", "piper", "-m", engine.voice.source, "-f",
                      str(tmp / "floor.wav"), "--noise-scale", "0", "--noise-w", "0"],
                     stdin=stdin)


def cold_export(engine: Engine, tmp: Path, tag: str) -> tuple[float, Path]:
    """``kickback-export build -f audio --engine NAME`` with an empty clip cache."""
    out = tmp / f"out-{tag}"
    seconds = timed([sys.executable, "-m", "kickback_export", "build", str(SOURCE), "-f",
                     "audio", "--engine", engine.engine, "-o", str(out), "-q"],
                    env={**os.environ, "KICKBACK_EXPORT_CACHE": str(tmp / f"cache-{tag}")})
    return seconds, next(out.glob("*/*-guide.wav"))


def lame(wav: Path, tmp: Path) -> float:
    return timed(lame_cmd(dithered(wav, tmp / "noisy.wav"), tmp / "floor.mp3"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    require("lame")
    load_before = os.getloadavg()[0]
    doc = load(SOURCE)
    texts = list(dict.fromkeys(spoken_texts(doc)))
    espeak = speech.resolve_voice(doc.language)
    joe = speech.resolve_voice(doc.language, engine="piper")
    engines = [Engine("espeak-ng (" + espeak.id + ")", "espeak", espeak),
               Engine("Piper joe-medium, noise 0 (the exporter)", "piper", joe),
               Engine("Piper joe-medium, sampling noise on", "piper", joe, sampled=True),
               Engine("Piper joe-medium, noise 0, onnxruntime's default threads", "piper", joe,
                      threads=0)]
    recognizer = Recognizer()
    rows: dict[str, dict[str, list[float]]] = {e.label: {} for e in engines}
    digests: dict[str, set[str]] = {e.label: set() for e in engines}
    with tempfile.TemporaryDirectory(prefix="kbx-voices-") as tmp_name:
        tmp = Path(tmp_name)
        sentences = tmp / "sentences.txt"
        sentences.write_text("\n".join(texts) + "\n", encoding="utf-8")
        for r in range(args.rounds):
            for k, engine in enumerate(engines if r % 2 == 0 else engines[::-1]):
                row = rows[engine.label]
                spoken = speak(engine, texts, tmp / f"speak-{r}-{k}")
                digests[engine.label].add(digest(spoken.clips))
                for key, value in (
                    ("wer", word_error_rate(recognizer, spoken.clips)),
                    ("rtf_cold", (spoken.load + spoken.synth) / spoken.audio),
                    ("rtf_warm", spoken.synth / spoken.audio),
                    ("load", spoken.load), ("peak_mb", spoken.peak_mb),
                    ("audio", spoken.audio),
                ):
                    row.setdefault(key, []).append(value)
                if not engine.exporter:
                    continue
                export_s, wav = cold_export(engine, tmp, f"{r}-{k}")
                floor_s = floor(engine, sentences, tmp) + lame(wav, tmp)
                row.setdefault("export", []).append(export_s)
                row.setdefault("floor", []).append(floor_s)
                print(f"round {r + 1} {engine.label}: WER {row['wer'][-1]:.2f}, export "
                      f"{export_s:.2f} s, floor {floor_s:.2f} s", file=sys.stderr)
    med = {label: {k: statistics.median(v) for k, v in row.items()}
           for label, row in rows.items()}
    spread = {label: (min(row["wer"]), max(row["wer"])) for label, row in rows.items()}
    repeats = {label: len(found) == 1 for label, found in digests.items()}
    same_threads = digests[engines[1].label] == digests[engines[3].label]
    report = render_section(args, doc.slug, texts, med, spread, repeats, same_threads,
                            (load_before, os.getloadavg()[0]))
    print(report)
    if args.write:
        write_section(HEADING, report)


def digest(spoken: dict[str, npt.NDArray[np.int16]]) -> str:
    h = hashlib.sha256()
    for text, clip in spoken.items():
        h.update(text.encode() + b"\0" + clip.astype("<i2").tobytes())
    return h.hexdigest()


def render_section(args: Any, slug: str, texts: list[str], med: dict[str, dict[str, float]],
                   spread: dict[str, tuple[float, float]], repeats: dict[str, bool],
                   same_threads: bool, load: tuple[float, float]) -> str:
    from importlib.metadata import version

    n_words = sum(len(words(t)) for t in texts)
    lines = [
        HEADING,
        "",
        f"Measured {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} on "
        f"{speech.default_workers()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"{speech.engine_version()}, piper-tts {version('piper-tts')} with onnxruntime "
        f"{version('onnxruntime')}, pocketsphinx {version('pocketsphinx')}. "
        f"`python benchmarks/bench_voices.py --rounds {args.rounds}`: medians of "
        f"{args.rounds} alternating rounds. Load average {load[0]:.1f} at the start, "
        f"{load[1]:.1f} at the end (the machine was shared).",
        "",
        f"Sentences: the {len(texts)} distinct sentences of `{slug}`'s guide (set cues "
        f"included), {n_words} reference words, 175 words per minute.",
        "",
        "| engine | word error rate (min–max) | real-time factor cold / warm | model load "
        "| peak memory | cold export / floor | same samples every round |",
        "| --- | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    for label, m in med.items():
        lo, hi = spread[label]
        export = (f"{m['export']:.2f} s / {m['floor']:.2f} s = **{m['export'] / m['floor']:.2f}×**"
                  if "export" in m else "—")
        lines.append(
            f"| {label} | **{m['wer']:.2f}** ({lo:.2f}–{hi:.2f}) | {m['rtf_cold']:.3f} / "
            f"{m['rtf_warm']:.3f} | {m['load']:.2f} s | {m['peak_mb']:.0f} MB | {export} "
            f"| {'yes' if repeats[label] else 'no'} |")
    lines += [
        "",
        "- Word error rate: pocketsphinx's errors over the reference words; lower is more "
        "intelligible. It measures what an offline recognizer trained on natural speech "
        "hears, not a listener's judgement; both engines get the same sentences and "
        "recognizer.",
        "- Real-time factor: synthesis time over audio length (0.1 = ten seconds of speech in "
        "one), in a fresh process; cold includes loading the voice, warm does not.",
        "- Floor: the engine's own tool speaking the distinct sentences in one process "
        "(`espeak-ng -w`; `python -m piper`, noise 0, onnxruntime's default threads) plus "
        f"`lame -b {mp3.KBPS} -q {mp3.QUALITY}` encoding the guide with ±1 LSB "
        "of noise (on long digital silence this CPU's `lame` is many times slower; see "
        "\"Audio guide\"). The export "
        "also starts its synthesis processes (each loads the voice once), trims, caches, "
        "lays out the timeline and writes WAV, MP3, captions and timeline.",
        "- The export is a whole `build -f audio` command, so Python's start-up and loading "
        "the document and the plug-ins count in it and not in the floor; \"Audio guide\" "
        "measures the exporter in-process against the same espeak-ng floor. Piper's floor "
        "runs onnxruntime on its default threads, its fastest; the exporter runs one thread "
        "per synthesis process for repeatable samples (compare the real-time factors of the "
        "rows above).",
        "- Same samples every round: each round's fresh process gave byte-identical clips. "
        "Piper with noise 0 on onnxruntime's default threads gave "
        + ("the same samples as on one thread" if same_threads else
           "different samples from one thread's") + ".",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
