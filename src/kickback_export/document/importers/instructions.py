"""Steps and tips from instruction paragraphs written by people, slips included.

Data sets write a coaching tip inside an instruction ("… at arm's length. Tip: Keep the
elbows close to the torso."). A document has a place for tips, so each "Tip:" sentence
moves there, in order, without its label; every other sentence stays in its step, in
order. Spacing slips ("torso.This", "able,and", "stationary .") are repaired by adding or
removing whitespace only: no word or punctuation mark is changed, added or dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SPACE_BEFORE = re.compile(r"(?<=\w)[ \t]+(?=[.,;:!?](?:\s|$))")
"""A space before a closing mark: "stationary ." → "stationary."."""
_MISSING_AFTER_STOP = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
"""A sentence glued to the previous one: "torso.This" (two letters before the stop keep
abbreviations such as "e.g." whole)."""
_MISSING_AFTER_COMMA = re.compile(r"(?<=[a-z]),(?=[a-z])")
_RUNS = re.compile(r"\s+")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[(\"“‘']?[A-Z])")
_LABEL = re.compile(r"^\(?Tips?(?::\s*|\s+(?=[A-Z]))")
"""A tip's label: "Tip:", "Tips:", "(Tip: …)" or "Tip Ideally, …" (the word alone, as in
"Tip the bottle", is an instruction)."""
_INNER_LABEL = re.compile(r"\s+(?=Tips?:\s)")
_PARENTHESISED = re.compile(r"\s*\(Tips?:\s*([^()]*)\)")
"""A tip inside a sentence: "… to your torso (Tip: So the forearm …)."."""


def repair_spacing(text: str) -> str:
    """``text`` with its spacing slips fixed (whitespace only) and runs of it folded."""
    text = _RUNS.sub(" ", text).strip()
    text = _SPACE_BEFORE.sub("", text)
    text = _MISSING_AFTER_STOP.sub(" ", text)
    return _MISSING_AFTER_COMMA.sub(", ", text)


def sentences(paragraph: str) -> list[str]:
    """The paragraph split after ``.``, ``!`` or ``?`` before a capital (or an opening mark),
    and before a "Tip:" inside a sentence ("… for a second and Tip: Only the wrist …")."""
    return [piece for sentence in _SENTENCE_END.split(paragraph)
            for piece in _INNER_LABEL.split(sentence) if piece]


@dataclass
class Split:
    """Instruction paragraphs as steps and tips, and what was done to get there."""

    steps: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)
    repaired: int = 0
    """Paragraphs whose spacing was repaired."""
    empty: int = 0
    """Paragraphs with no text, skipped."""


def _tips_inside(sentence: str, tips: list[str]) -> str:
    """``sentence`` without its parenthesised tips, which go to ``tips``; a sentence that
    was only a tip gives its closing mark to the tip ("(Tip: …)." → "….")."""
    inner = [found.strip() for found in _PARENTHESISED.findall(sentence)]
    rest = _PARENTHESISED.sub("", sentence).strip()
    if inner and not re.search(r"\w", rest):
        inner[-1] += rest
        rest = ""
    tips.extend(inner)
    return rest


def split_instructions(paragraphs: list[str]) -> Split:
    """One step per paragraph (as the data has them), its "Tip:" sentences moved to tips.

    A label left at the end of a paragraph ("… deltoids. Tips:") applies to the first
    sentence of the next one. A paragraph that was only a tip makes no step.
    """
    out = Split()
    pending = False
    for raw in paragraphs:
        text = repair_spacing(raw)
        if not text:
            out.empty += 1
            continue
        if text != _RUNS.sub(" ", raw).strip():
            out.repaired += 1
        kept: list[str] = []
        for piece in sentences(text):
            sentence = _tips_inside(piece, out.tips)
            if not sentence:
                continue
            label = _LABEL.match(sentence)
            rest = sentence[label.end():] if label else sentence
            if label or pending:
                pending = not rest
                if rest:
                    out.tips.append(rest)
                continue
            kept.append(sentence)
        if kept:
            out.steps.append(" ".join(kept))
    return out
