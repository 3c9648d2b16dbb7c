"""The canonical exercise document: typed, validated, the one source every exporter reads.

Text fields are normalised once here (surrounding whitespace stripped, runs of
whitespace and line breaks folded to one space) and rejected when they carry
control characters, so no exporter has to defend against them again.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)

from . import tempo as _tempo
from .kinds import Kind
from .tempo import MAX_PHASE, Phase, TempoStart

MAX_TEXT = 4000  # characters in one paragraph, step, tip or answer
MAX_ITEMS = 200  # entries in one list (steps, tips, FAQ …)

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
_BCP47 = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
_WS = re.compile(r"\s+")


def _slug(value: str) -> str:
    if value in _RESERVED:
        raise ValueError(f"'{value}' is a reserved file name on Windows")
    return value


# C0/C1 controls but tab and line ends; noncharacters and lone surrogates (no file format
# can carry them). One regex: the check runs on every paragraph of every document.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    + "]"
)


def _clean(value: str) -> str:
    bad = _FORBIDDEN.search(value)
    if bad:
        char = bad.group()
        if unicodedata.category(char) == "Cc":
            raise ValueError(f"contains control character U+{ord(char):04X}")
        raise ValueError(f"contains U+{ord(char):04X}, which is not a character")
    folded = _WS.sub(" ", value).strip()
    if not folded:
        raise ValueError("must not be empty")
    return folded


Text = Annotated[
    str,
    StringConstraints(max_length=MAX_TEXT),
    AfterValidator(_clean),
]
"""A paragraph of prose: non-empty, one line once folded, no control characters."""

Short = Annotated[str, StringConstraints(max_length=200), AfterValidator(_clean)]
"""A name, a heading-like line or a short cue."""

Seconds = Annotated[float, Field(ge=0, le=600)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Muscle(_Model):
    """A muscle group in plain words, with the anatomical muscles behind it."""

    name: Short = Field(description="Plain name, e.g. 'glutes'.")
    anatomy: list[Short] = Field(
        default_factory=list,
        max_length=20,
        description="Anatomical names, e.g. ['gluteus maximus'].",
    )


class Muscles(_Model):
    primary: list[Muscle] = Field(min_length=1, max_length=20)
    secondary: list[Muscle] = Field(default_factory=list, max_length=20)


class Step(_Model):
    """One instruction step: the full sentence, and what to say or print when short."""

    text: Text
    cue: Short | None = Field(
        default=None, description="A few words for the card front and the audio guide."
    )
    pause: float | None = Field(
        default=None,
        gt=0,
        le=120,
        description="Seconds of silence after this step in the audio guide.",
    )


class Question(_Model):
    question: Text
    answer: Text


class Tempo(_Model):
    """Seconds of each phase of one repetition, in the notation's order (see
    :mod:`.tempo`). Written and read as its notation, ``"3-1-1-0"``; the deprecated
    ``{kick, hold, return}`` mapping is read too (the loader warns about it)."""

    lowering: float = Field(ge=0, le=MAX_PHASE)
    bottom: float = Field(ge=0, le=MAX_PHASE)
    lifting: float = Field(ge=0, le=MAX_PHASE)
    top: float = Field(ge=0, le=MAX_PHASE)
    explosive: tuple[Phase, ...] = ()  # written X: shown as X, timed as tempo.EXPLOSIVE

    @model_validator(mode="before")
    @classmethod
    def _written(cls, value: Any) -> Any:
        if _tempo.is_legacy(value):
            old = _tempo.LegacyTempo.model_validate(value)
            return {"lowering": old.return_, "bottom": 0, "lifting": old.kick, "top": old.hold}
        if isinstance(value, dict) and value.keys() <= {*_tempo.PHASES, "explosive"}:
            return value  # the fields themselves (made in code)
        seconds, explosive = _tempo.parse(value)
        return {**dict(zip(_tempo.PHASES, seconds, strict=True)), "explosive": explosive}

    @model_serializer
    def _notation(self) -> str:
        return self.notation

    @property
    def seconds(self) -> tuple[float, float, float, float]:
        return (self.lowering, self.bottom, self.lifting, self.top)

    @property
    def notation(self) -> str:
        """As lifters write it, lowering first: ``"3-1-1-0"``."""
        return _tempo.notation(self.seconds, self.explosive)

    @property
    def rep_seconds(self) -> float:
        return sum(self.seconds)

    def sequence(self, start: TempoStart) -> tuple[tuple[Phase, float], ...]:
        """The phases in the order a rep does them (zero-length ones left out)."""
        return _tempo.sequence(self.seconds, start)


def _rest_kind(value: object) -> str:
    return "<until-ready>" if isinstance(value, str) and not value[:1].isdigit() else "<seconds>"


Rest = Annotated[
    Annotated[Seconds, Tag("<seconds>")] | Annotated[Literal["until-ready"], Tag("<until-ready>")],
    Discriminator(_rest_kind),
]
"""Seconds of rest, or ``until-ready``: the athlete starts the next set when ready."""

UNTIL_READY = "until-ready"
READY_SECONDS = 90.0
"""The planned length of an until-ready rest that has no seconds of its own to fall back on."""


class Prescription(_Model):
    """The training dose that drives the guided set of the audio guide."""

    sets: int = Field(ge=1, le=20)
    reps: int | None = Field(
        default=None, ge=1, le=100,
        description="Repetitions per set (per side when unilateral); give reps or time.",
    )
    time: float | None = Field(
        default=None, gt=0, le=600,
        description="Seconds of work per set (per side when unilateral), e.g. a 30 s plank; "
        "instead of reps.",
    )
    sides: Literal["both", "none"] = Field(
        description="'both': unilateral, every set is done on each side; 'none': bilateral."
    )
    first_side: Literal["left", "right"] = "left"
    limb: Short | None = Field(
        default=None,
        description="What the side names, e.g. 'arm'; left out, the language's word for leg.",
    )
    tempo: Annotated[Tempo | None, WithJsonSchema(_tempo.TEMPO_SCHEMA)] = Field(
        default=None, description="Required with reps, left out with time.")
    tempo_start: TempoStart | None = Field(
        default=None, description="The phase a rep starts with: 'lowering' (the default, as "
        "the notation reads: a squat) or 'lifting' (a kickback, a row, a bridge).")
    rest: Rest = Field(description="Seconds of rest between sets, or 'until-ready'.")
    switch: Seconds = Field(default=10, description="Seconds to change sides.")
    load: Short | None = Field(
        default=None,
        description="The resistance in the coach's words, e.g. 'light band' or '16 kg'.",
    )
    cues: RepCues = Field(default_factory=lambda: RepCues())

    _legacy_start = model_validator(mode="before")(_tempo.legacy_start)

    @model_validator(mode="after")
    def _one_dose(self) -> Prescription:
        # Reps and time are two ways to measure one set; a set timed by the clock has no
        # tempo grid, so a tempo there would be printed but never followed.
        if self.reps is None and self.time is None:
            raise ValueError("give reps, or time in seconds per set")
        if self.reps is not None and self.time is not None:
            raise ValueError("give reps or time, not both")
        if self.reps is not None and self.tempo is None:
            raise ValueError("tempo is required with reps")
        return self

    @field_validator("tempo", "tempo_start")
    @classmethod
    def _reps_only(cls, value: object, info: ValidationInfo) -> object:
        if value is not None and info.data.get("time") is not None:
            raise ValueError(f"{info.field_name} applies to reps only; leave it out with time")
        return value

    @property
    def phases(self) -> tuple[tuple[Phase, float], ...]:
        """One rep's phases in the order they are done (none for work by the clock)."""
        if self.tempo is None:
            return ()
        return self.tempo.sequence(self.tempo_start or "lowering")

    @property
    def until_ready(self) -> bool:
        return self.rest == UNTIL_READY

    @property
    def rest_seconds(self) -> float:
        """The planned rest: its seconds, or :data:`READY_SECONDS` for until-ready."""
        return READY_SECONDS if isinstance(self.rest, str) else self.rest

    @property
    def work_seconds(self) -> float:
        """Planned seconds of one set on one side."""
        if self.time is not None:
            return self.time
        assert self.reps is not None and self.tempo is not None  # checked by the validator
        return self.reps * self.tempo.rep_seconds


def sides(rx: Prescription) -> list[str | None]:
    """The sides one set is done on, in order (``[None]`` for bilateral work)."""
    return [rx.first_side, OTHER_SIDE[rx.first_side]] if rx.sides == "both" else [None]


OTHER_SIDE = {"left": "right", "right": "left"}


def _deprecated_cues(schema: dict[str, Any]) -> None:
    for old, new in (("kick", "lift"), ("return", "lower")):
        schema["properties"][old] = {"type": "string", "maxLength": 200, "deprecated": True,
                                     "description": f"Deprecated: write {new}."}


class RepCues(_Model):
    """Words spoken for each phase of a repetition; left out, the reader's language gives
    them ("lower", "lift", "hold" in English). The deprecated ``kick`` and ``return`` are
    read as ``lift`` and ``lower``."""

    model_config = ConfigDict(json_schema_extra=_deprecated_cues)

    lower: Short | None = Field(default=None, description="Said as the lowering phase starts.")
    lift: Short | None = Field(default=None, description="Said as the lifting phase starts.")
    hold: Short | None = Field(default=None, description="Said as a pause starts.")

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, value: Any) -> Any:
        if not isinstance(value, dict) or not {"kick", "return"} & value.keys():
            return value
        if {"lift", "lower"} & value.keys():
            raise ValueError("kick and return are the old names of lift and lower; write "
                             "lift, hold and lower only")
        renamed = {"kick": "lift", "return": "lower"}
        return {renamed.get(k, k): v for k, v in value.items()}


class Picture(_Model):
    """A picture of the movement beside the document; the alt text is what a reader who
    cannot see it gets instead, so it is required."""

    file: Annotated[str, StringConstraints(min_length=1, max_length=500)] = Field(
        description="Path relative to the document's folder (PNG or JPEG, at most 10 MB)."
    )
    alt: Text | None = Field(
        default=None,
        description="What the picture shows; required except on the first picture when the "
        "document has an image_description, which then serves as its alt text.",
    )
    caption: Short | None = Field(default=None, description="E.g. 'Start position'.")
    credit: Short | None = Field(default=None, description="Who made the picture.")
    license: Short | None = Field(default=None, description="E.g. 'public domain', 'CC BY 4.0'.")
    # the cleaned picture (bytes, media type, width, height), set by document.images.attach
    _data: tuple[bytes, str, int, int] | None = PrivateAttr(default=None)


class Exercise(_Model):
    """One exercise: everything its page says, plus what the card and the audio guide need."""

    kind: ClassVar[str] = "exercise"  # optional in the file: the default kind

    id: Annotated[str, AfterValidator(_slug)] = Field(
        pattern=_SLUG,
        max_length=100,
        description="Stable slug (lower-case letters, digits, hyphens); names the outputs.",
    )
    name: Short = Field(description="Display name.")
    aliases: list[Short] = Field(
        default_factory=list, max_length=20, description="Other titles, e.g. the page's title line."
    )
    language: str = Field(default="en", pattern=_BCP47, description="BCP 47 language tag.")
    summary: Text | None = Field(default=None, description="One line for the card.")
    overview: list[Text] = Field(
        default_factory=list, min_length=1, max_length=MAX_ITEMS,
        description="Paragraphs; leave the field out rather than empty.",
    )
    muscles: Muscles | None = None
    equipment: list[Short] = Field(
        default_factory=list, min_length=1, max_length=20,
        description="What the exercise needs; leave the field out when unknown.",
    )
    level: Literal["beginner", "intermediate", "advanced"] | None = None
    setup: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    steps: list[Step] = Field(min_length=1, max_length=MAX_ITEMS)
    tips: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    cautions: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    faq: list[Question] = Field(default_factory=list, max_length=MAX_ITEMS)
    image_description: Text | None = Field(
        default=None, description="Alt text for the exercise image the page refers to "
        "(and of the first of `images` when that has none)."
    )
    images: list[Picture] = Field(
        default_factory=list, max_length=20,
        description="Pictures of the movement; two are shown side by side as start and end.",
    )
    prescription: Prescription | None = None

    @field_validator("images")
    @classmethod
    def _alt_texts(cls, images: list[Picture], info: ValidationInfo) -> list[Picture]:
        """Every picture has its alt text; the first may take the image_description's."""
        if images and images[0].alt is None and info.data.get("image_description"):
            images = [images[0].model_copy(update={"alt": info.data["image_description"]}),
                      *images[1:]]
        for i, picture in enumerate(images):
            if picture.alt is None:
                raise ValueError(f"picture {i + 1} ({picture.file}) needs an alt text: what it "
                                 "shows, for readers who cannot see it")
        return images

    @property
    def slug(self) -> str:
        return self.id


Prescription.model_rebuild()

EXERCISE = Kind("exercise", Exercise, "kickback_export.content.exercise_text:text",
                "one exercise: how to do it, and the dose to train")
