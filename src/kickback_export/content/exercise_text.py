"""An exercise's text model: its page, its cue card, its spoken guide (the ``exercise``
kind's text builder)."""

from __future__ import annotations

from ..document import images
from ..document.model import Exercise
from ..document.plan import Plan
from ..document.workout import Entry, ResolvedWorkout, Workout
from .card import card
from .exercise_page import level_name, page
from .phrases import cap, phrases
from .script import Guide, ReadAloud, Script
from .text import Context, Figure, Meta, TextModel, walk
from .timeline import Narration, SpeechDuration, TimelineOptions
from .track import Timeline


def narration(d: Exercise) -> Narration:
    """What the guide says before its sets: the name, summary, muscles and equipment as
    sentences, the steps with their pauses, the tips."""
    ph = phrases(d.language)
    intro = [(d.name, "name")]
    if d.summary:
        intro.append((d.summary, "summary"))
    if d.muscles:  # nothing is said of muscles a document does not name
        primary = ph.join([m.name for m in d.muscles.primary])
        if d.muscles.secondary:
            trains = ph._("It trains the {primary}, with help from the {secondary}.",
                          primary=primary,
                          secondary=ph.join([m.name for m in d.muscles.secondary]))
        else:
            trains = ph._("It trains the {primary}.", primary=primary)
        intro.append((trains, "muscles"))
    if d.equipment:
        intro.append((ph._("You will need: {equipment}.", equipment=ph.join(list(d.equipment))),
                      "equipment"))
    return Narration(d.id, d.name, d.language, tuple(intro),
                     tuple((s.text, s.pause) for s in d.steps), tuple(d.tips), d.prescription)


def session_plan(d: Exercise) -> Plan | None:
    """The plan of the exercise's sets as a one-block session (None without a dose)."""
    if d.prescription is None:
        return None
    workout = Workout(kind="workout", id=d.id, name=d.name, language=d.language,
                      summary=d.summary or d.name, blocks=[Entry(exercise=d.id)])
    return ResolvedWorkout(workout, {d.id: d}).plan


def _group(d: Exercise) -> str:
    """Its group in a book or an index: its first primary muscle, capitalised (the
    language's "Exercises" for a document that names no muscles)."""
    if d.muscles is None:
        return phrases(d.language)._("Exercises")
    return cap(d.muscles.primary[0].name)


def text(d: Exercise, context: Context | None = None) -> TextModel:
    """The exercise's text model (see :mod:`.text`)."""
    ph = phrases(d.language)
    the_page = page(d, ph)
    figures = tuple(b for b in walk(the_page) if isinstance(b, Figure))
    return TextModel(d.id, "exercise", d.language, d.name, the_page,
                      Meta(d.summary or "", ph.pgettext("PDF keyword", "exercise"), (
                          *([level_name(d.level, ph)] if d.level else []),
                          *([m.name for m in (*d.muscles.primary, *d.muscles.secondary)]
                            if d.muscles else []),
                          *d.equipment)),
                      _group(d), tuple(images.loaded(d)),
                      described=d.image_description is not None or bool(d.images),
                      card=card(d, figures, ph), script=Guide(narration(d)),
                      plan=session_plan(d))


def script(d: Exercise, options: TimelineOptions) -> Script:
    """The exercise's guide, or (``options.read_aloud``) its page read aloud."""
    return ReadAloud(text(d)) if options.read_aloud else Guide(narration(d))


def build_timeline(d: Exercise, speech_duration: SpeechDuration,
                   options: TimelineOptions | None = None) -> Timeline:
    """The exercise's guide laid out (with ``options.read_aloud``, its page read aloud)."""
    options = options or TimelineOptions()
    return script(d, options).timeline(options, speech_duration)


def spoken_texts(d: Exercise, options: TimelineOptions | None = None) -> list[str]:
    """Every distinct text of the exercise's guide, in first-use order."""
    options = options or TimelineOptions()
    return script(d, options).texts(options)


__all__ = ["build_timeline", "narration", "script", "spoken_texts", "text"]
