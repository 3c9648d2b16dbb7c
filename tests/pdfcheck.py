"""Reading a PDF back with poppler, and its content streams with pikepdf: shared by the
card, large-print and picture tests; and the two open PDF/UA checkers (outloud, pdfua)
with the XMP packet, for the PDF/UA tests."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def run(*cmd: str | Path) -> str:
    return subprocess.run(
        [str(c) for c in cmd], check=True, capture_output=True, text=True
    ).stdout


def struct_leaves(path: Path) -> list[str]:
    """Text of each structure leaf, in tree order (pdfinfo prints one line per MCR)."""
    leaves: list[str] = []
    quoted = False
    for line in run("pdfinfo", "-struct-text", path).splitlines():
        match = re.fullmatch(r'\s+"(.*)"', line)
        if match and quoted:
            leaves[-1] += match.group(1)
        elif match:
            leaves.append(match.group(1))
        quoted = bool(match)
    return leaves


# --- walking a page's content stream: the graphics and text state at each operator ---------

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
TEXT_OPS = {"Tj", "TJ", "'", '"'}


def mul(m: Matrix, n: Matrix) -> Matrix:
    """m × n in PDF's row-vector convention (apply m, then n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


@dataclass(frozen=True)
class State:
    """The state after one operator: enough to place text and pictures on paper."""

    op: str
    ctm: Matrix
    tm: Matrix
    font: str
    size: float  # the Tf size
    leading: float
    marks: tuple[tuple[str, bool, str | None], ...]  # tag, has an MCID, an Artifact's /Type
    saved: int  # q not yet closed by Q

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(t for t, _, _ in self.marks)

    @property
    def mcid(self) -> bool:
        return any(m for _, m, _ in self.marks)


def page_states(page: Any) -> Iterator[State]:
    """Walk a pikepdf page's content stream, tracking q/Q, cm, BT, Tm, Td/TD/T*, Tf, TL and
    marked content."""
    import pikepdf

    ctm, font, size, leading = IDENTITY, "", 0.0, 0.0
    saved: list[tuple[Matrix, str, float, float]] = []
    tm = tlm = IDENTITY
    marks: list[tuple[str, bool, str | None]] = []
    for instr in pikepdf.parse_content_stream(page):
        op, args = str(instr.operator), instr.operands
        if op == "q":
            saved.append((ctm, font, size, leading))
        elif op == "Q":
            ctm, font, size, leading = saved.pop()
        elif op == "cm":
            ctm = mul(tuple(float(v) for v in args), ctm)  # type: ignore[arg-type]
        elif op == "BT":
            tm = tlm = IDENTITY
        elif op == "Tm":
            tm = tlm = tuple(float(v) for v in args)  # type: ignore[assignment]
        elif op in ("Td", "TD"):
            tx, ty = float(args[0]), float(args[1])
            if op == "TD":
                leading = -ty
            tm = tlm = mul((1, 0, 0, 1, tx, ty), tlm)
        elif op in ("T*", "'", '"'):
            tm = tlm = mul((1, 0, 0, 1, 0, -leading), tlm)
        elif op == "TL":
            leading = float(args[0])
        elif op == "Tf":
            font, size = str(args[0]), float(args[1])
        elif op == "BDC":
            props = args[1]
            is_dict = isinstance(props, pikepdf.Dictionary)
            has = is_dict and "/MCID" in props
            kind = str(props.get("/Type")) if is_dict and "/Type" in props else None
            marks.append((str(args[0])[1:], has, kind))
        elif op == "BMC":
            marks.append((str(args[0])[1:], False, None))
        elif op == "EMC":
            marks.pop()
        yield State(op, ctm, tm, font, size, leading, tuple(marks), len(saved))


# --- the open PDF/UA checkers from PyPI (outloud, pdfua), run in-process ------------------


@dataclass(frozen=True)
class Checked:
    """One checker's word on one file: findings as (rule, message) by severity, and what
    it could not do (the file unreadable, a rule that crashed or was skipped)."""

    checker: str
    errors: tuple[tuple[str, str], ...]
    warnings: tuple[tuple[str, str], ...]
    broken: tuple[str, ...]

    def lines(self) -> str:
        """Everything it said, one line each, to print on a failure."""
        said = [f"error {r}: {m}" for r, m in self.errors]
        said += [f"warning {r}: {m}" for r, m in self.warnings]
        said += [f"could not check: {b}" for b in self.broken]
        return "\n".join(f"  {self.checker}: {s}" for s in said) or f"  {self.checker}: clean"


def outloud_check(path: Path) -> Checked:
    """outloud's conformance and semantic rules (raises ImportError when not installed)."""
    import outloud

    result = outloud.check(str(path))
    found = {sev: tuple((f.rule, f.message) for f in result.sorted_findings()
                        if f.severity == sev) for sev in ("error", "warning")}
    broken = [f"{r.rule} crashed: {r.reason}" for r in result.runs if r.status == "crashed"]
    if result.error:
        broken.insert(0, f"unreadable: {result.error}")
    return Checked("outloud", found["error"], found["warning"], tuple(broken))


def pdfua_check(path: Path) -> Checked:
    """pdfua's PDF/UA-1 rules (raises ImportError when not installed)."""
    import pdfua

    report = pdfua.validate(str(path))
    found = {sev: tuple((f.rule_id, f.message) for f in report.findings if f.severity == sev)
             for sev in (pdfua.Severity.ERROR, pdfua.Severity.WARNING)}
    broken = tuple(f"{o.rule_id} not evaluated: {o.skipped_reason}" for o in report.skipped)
    return Checked("pdfua", found[pdfua.Severity.ERROR], found[pdfua.Severity.WARNING], broken)


def xmp_value(path: Path, key: str) -> str | None:
    """A property of the XMP packet as pikepdf reads it (``pdfuaid:part``, ``dc:title``)."""
    import pikepdf

    with pikepdf.open(path) as pdf, pdf.open_metadata(update_docinfo=False) as meta:
        value = meta.get(key)
    return None if value is None else str(value)
