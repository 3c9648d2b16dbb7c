"""Which exercise of FIT's profile a step is: its ``exercise_category`` and ``exercise_name``.

A watch that knows the pair shows its own name, animation and counting for the step,
so the pair is worth giving wherever one truly fits; elsewhere the step says "unknown"
and the watch shows the step's own name. The names are those of Garmin's FIT profile
(``Profile.xlsx`` of the FIT SDK, types ``exercise_category`` and
``<category>_exercise_name``), as the ``fit_tool`` package spells them
(``fit_tool.profile.profile_type.ExerciseCategory.HIP_RAISE``,
``HipRaiseExerciseName.CLAMS``); :func:`lookup` turns them into the profile's numbers,
so a name the profile does not have fails in the tests, not on a watch. Only categories
0–32 are used: the later ones (``banded_exercises`` …) are unknown to older watches.

An exercise is found by its id first (the documents this project ships), then by a
keyword of its name or a warm-up item's name, in English, German, French or Spanish
(the languages with catalogs): a keyword matches at the start of a word, so "squats"
and "Kniebeugen" match, "row" does not match "throw". Order matters: the first rule
that matches wins, so specific ones ("clam bridge") come before general ones ("bridge").
"""

from __future__ import annotations

import functools
import re

UNKNOWN = "UNKNOWN"

BY_ID: dict[str, tuple[str, str | None]] = {
    "bodyweight-squat": ("SQUAT", "SQUAT"),
    "glute-bridge": ("HIP_RAISE", "HIP_RAISE"),
    "forearm-plank": ("PLANK", "PLANK"),
    "side-lying-clamshell": ("HIP_RAISE", "CLAMS"),
    # a standing, hinged kick back against a band: the profile's standing rear leg raise
    "resistance-band-one-leg-kickback-bent-position": ("HIP_STABILITY",
                                                        "STANDING_REAR_LEG_RAISE"),
}
"""Exercise ids → (category, exercise name or None for the category alone)."""

KEYWORDS: tuple[tuple[tuple[str, ...], tuple[str, str | None]], ...] = (
    (("clam bridge",), ("HIP_RAISE", "CLAM_BRIDGE")),
    (("clam", "muschel", "almeja", "coquillage"), ("HIP_RAISE", "CLAMS")),
    (("kickback", "kick back", "patada de glúteo", "donkey kick"),
     ("HIP_STABILITY", "STANDING_REAR_LEG_RAISE")),
    (("fire hydrant",), ("HIP_STABILITY", "FIRE_HYDRANT_KICKS")),
    (("hip thrust", "glute bridge", "bridge", "hüftheben", "brücke", "pont fessier",
      "pont", "puente", "elevación de cadera"), ("HIP_RAISE", "HIP_RAISE")),
    (("side plank", "seitstütz", "planche latérale", "plancha lateral"), ("PLANK", None)),
    (("plank", "unterarmstütz", "planche", "plancha", "gainage"), ("PLANK", "PLANK")),
    (("romanian deadlift", "rdl"), ("DEADLIFT", "ROMANIAN_DEADLIFT")),
    (("deadlift", "kreuzheben", "soulevé de terre", "peso muerto"), ("DEADLIFT", None)),
    (("lunge", "ausfallschritt", "fente", "zancada", "estocada"), ("LUNGE", "LUNGE")),
    (("squat", "kniebeuge", "sentadilla"), ("SQUAT", "SQUAT")),
    (("push-up", "push up", "pushup", "liegestütz", "pompe", "flexión"),
     ("PUSH_UP", "PUSH_UP")),
    (("calf raise", "wadenheben", "élévation des mollets", "elevación de talones"),
     ("CALF_RAISE", None)),
    (("crunch",), ("CRUNCH", "CRUNCH")),
    (("sit-up", "sit up", "situp"), ("SIT_UP", None)),
    (("row", "rudern", "tirage", "remo"), ("ROW", None)),
    (("child's pose", "child’s pose", "kindhaltung", "posture de l'enfant",
      "postura del niño"), ("WARM_UP", "STRETCH_CHILDS_POSE")),
    (("leg swing", "beinschwing", "balancier de jambe", "balanceo de pierna"),
     ("WARM_UP", "FORWARD_AND_BACKWARD_LEG_SWINGS")),
    (("glute stretch", "figure-four", "figure four", "gesäßdehnung"),
     ("WARM_UP", "GLUTES_STRETCH")),
    (("stretch", "dehnung", "étirement", "estiramiento"), ("WARM_UP", None)),
)
"""Keywords of a name (lower case) → (category, exercise name or None)."""


@functools.cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(r"(?<!\w)" + re.escape(w) for w in words))


def names(exercise_id: str | None, name: str) -> tuple[str, str | None]:
    """The profile's category and exercise name for an exercise (by id, then by the
    keywords of its name); ``("UNKNOWN", None)`` when nothing fits."""
    if exercise_id is not None:
        base = exercise_id
        for suffix in ("-de", "-fr", "-es", "-en"):  # a translated copy of a document
            base = base.removesuffix(suffix)
        if base in BY_ID:
            return BY_ID[base]
    lowered = name.casefold()
    for words, found in KEYWORDS:
        if _pattern(words).search(lowered):
            return found
    return UNKNOWN, None


def _camel(category: str) -> str:
    return "".join(part.capitalize() for part in category.split("_"))


def numbers(category: str, exercise: str | None) -> tuple[int, int | None]:
    """The profile's numbers of a category and exercise name (``exercise_category``,
    ``exercise_name``); a KeyError for a name the profile does not have."""
    from fit_tool.profile import profile_type

    number = int(profile_type.ExerciseCategory[category].value)
    if exercise is None:
        return number, None
    table = getattr(profile_type, f"{_camel(category)}ExerciseName")
    return number, int(table[exercise].value)


def lookup(exercise_id: str | None, name: str) -> tuple[int, int | None]:
    """:func:`names` as the profile's numbers."""
    return numbers(*names(exercise_id, name))


__all__ = ["BY_ID", "KEYWORDS", "UNKNOWN", "lookup", "names", "numbers"]
