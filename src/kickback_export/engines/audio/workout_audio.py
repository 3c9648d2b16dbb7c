"""A workout's guided track rendered: its sentences from the clip cache, placed on the plan.

The same pieces as an exercise's guide: :func:`speech.synthesize` for every distinct
sentence of the session at once (a cue shared by several exercises, "Rest for 30
seconds." or "3", is synthesized or loaded once), the workout timeline laid out with the
measured clip lengths, and :func:`render.assemble` placing them sample-exactly.
"""

from __future__ import annotations

import dataclasses

from ...content.timeline import TimelineError, TimelineOptions
from ...content.workout_plan import Plan, plan
from ...content.workout_timeline import build_workout_timeline, workout_spoken_texts
from ...document.workout import ResolvedWorkout
from . import speech
from .render import SR, Rendered, assemble


def workout_plan(workout: ResolvedWorkout) -> Plan:
    """The plan, an entry whose overrides make no prescription being a content error."""
    try:
        return plan(workout)
    except ValueError as exc:
        raise TimelineError(f"{workout.slug}: {exc}") from None


def render_workout(
    workout: ResolvedWorkout,
    options: TimelineOptions,
    *,
    full_technique: bool = False,
    voice: str | None = None,
    rate: int = speech.DEFAULT_RATE,
    workers: int | None = None,
    engine: str | None = None,
) -> Rendered:
    """Synthesize (or load cached) the session's clips, lay out its timeline, build the track."""
    p = workout_plan(workout)
    v = speech.resolve_voice(workout.language, voice, rate, engine=engine)
    clips = speech.synthesize(workout_spoken_texts(p, options, full_technique), v,
                              workers=workers)

    def seconds(text: str) -> float:
        return clips[text].size / SR

    timeline = build_workout_timeline(p, seconds, options, full_technique)
    meta = {**timeline.meta, "voice": v.id, "rate": v.rate, "sample_rate": SR}
    timeline = dataclasses.replace(timeline, meta=meta)
    return Rendered(timeline, assemble(timeline, clips), v)
