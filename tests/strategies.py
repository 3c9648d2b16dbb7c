"""Hypothesis strategies: documents generated within the schema's limits.

Text stays within what the card font draws (Latin, Latin-1, typographic
punctuation, a few Greek and Cyrillic letters) so every exporter must accept it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list(" .,;:!?'\"()-/&<>%#*+=[]{}@_")
    + list("éèêëàâäôöûüçñßÉÀØøÅåæœ")
    + list("’‘“”—–…°±×·")
    + list("αβγδΩπЖжЯя")
)


def text(min_size: int = 1, max_size: int = 200) -> st.SearchStrategy[str]:
    return st.text(ALPHABET, min_size=min_size, max_size=max_size).filter(lambda s: s.strip())


def words(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.lists(
        st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzé’")), min_size=1, max_size=9),
        min_size=1, max_size=max(1, max_size // 8),
    ).map(" ".join)


slugs = st.from_regex(r"[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
muscle = st.fixed_dictionaries({"name": words(20), "anatomy": st.lists(words(24), max_size=2)})
step = st.fixed_dictionaries(
    {"text": text(1, 300)},
    optional={"cue": words(30), "pause": st.integers(1, 10)},
)
# lifters' notation (lowering, bottom, lifting, top), or the deprecated mapping
notation = st.tuples(st.sampled_from(["1", "2", "3"]), st.sampled_from(["0", "1"]),
                     st.sampled_from(["1", "1.5", "2", "X"]), st.sampled_from(["0", "1"])
                     ).map("-".join)
legacy_tempo = st.fixed_dictionaries(
    {"kick": st.sampled_from([1, 1.5, 2]), "hold": st.sampled_from([0, 0.5, 1]),
     "return": st.sampled_from([1, 2, 3])})
prescription = st.fixed_dictionaries(
    {
        "sets": st.integers(1, 3),
        "reps": st.integers(1, 6),
        "sides": st.sampled_from(["both", "none"]),
        "tempo": st.one_of(notation, legacy_tempo),
        "rest": st.one_of(st.integers(0, 40), st.just("until-ready")),
    },
    optional={"switch": st.integers(0, 15), "first_side": st.sampled_from(["left", "right"]),
              "tempo_start": st.sampled_from(["lowering", "lifting"])},
)


@st.composite
def documents(draw: st.DrawFn, max_steps: int = 8) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": draw(slugs),
        "name": draw(text(1, 80)),
        "summary": draw(text(1, 160)),
        "overview": draw(st.lists(text(1, 400), min_size=1, max_size=3)),
        "muscles": {
            "primary": draw(st.lists(muscle, min_size=1, max_size=2)),
            "secondary": draw(st.lists(muscle, max_size=3)),
        },
        "equipment": draw(st.lists(words(30), min_size=1, max_size=3)),
        "level": draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
        "steps": draw(st.lists(step, min_size=1, max_size=max_steps)),
        "tips": draw(st.lists(text(1, 200), max_size=4)),
        "cautions": draw(st.lists(text(1, 200), max_size=2)),
        "faq": draw(st.lists(st.fixed_dictionaries(
            {"question": text(1, 120), "answer": text(1, 200)}), max_size=3)),
    }
    if draw(st.booleans()):
        doc["image_description"] = draw(text(1, 200))
    if draw(st.booleans()):
        doc["prescription"] = draw(prescription)
    return doc
