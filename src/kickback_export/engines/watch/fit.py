"""A FIT workout file from its steps, written with ``fit_tool`` (never by hand).

The file holds what a watch needs and nothing it could disagree with: ``file_id`` (type
workout), one ``workout`` message (name, sport training, sub-sport strength training,
the number of steps) and the ``workout_step`` messages in order. Bytes depend only on
the steps: ``time_created`` is fixed and the serial number is derived from the file's
name, so each workout a device holds is told apart (FIT asks type, manufacturer,
product and serial number to be unique among a device's workouts) and a rebuilt file
is the same file.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import UTC, datetime

from .steps import NAME_BYTES, Step, fit_text

CREATED = datetime(2000, 1, 1, tzinfo=UTC)
"""``time_created`` of every file (fixed: a file changes only with its workout)."""


def serial_number(key: str) -> int:
    """A stable non-zero uint32 for ``key`` (``serial_number`` is a uint32z: 0 is no value)."""
    return zlib.crc32(key.encode("utf-8")) or 1


def _message(step: Step, index: int) -> object:
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import (
        FitBaseUnit,
        Intensity,
        WorkoutStepDuration,
        WorkoutStepTarget,
    )

    from .categories import numbers

    m = WorkoutStepMessage()
    m.message_index = index
    if step.kind == "repeat":
        m.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
        m.duration_step = step.back_to
        m.target_repeat_steps = step.times
        return m
    if step.name:
        m.workout_step_name = step.name
    m.intensity = {"rest": Intensity.REST, "warm-up": Intensity.WARMUP,
                   "cool-down": Intensity.COOLDOWN}.get(step.kind, Intensity.ACTIVE)
    if step.reps is not None:
        m.duration_type = WorkoutStepDuration.REPS
        m.duration_reps = step.reps
    elif step.seconds is not None:
        m.duration_type = WorkoutStepDuration.TIME
        m.duration_time = float(step.seconds)
    else:  # until the lap button is pressed
        m.duration_type = WorkoutStepDuration.OPEN
    m.target_type = WorkoutStepTarget.OPEN
    if step.note:
        m.notes = step.note
    if step.kind != "rest":
        category, exercise = numbers(step.category, step.exercise)
        m.exercise_category = category
        if exercise is not None:
            m.exercise_name = exercise
    if step.weight_kg is not None:
        m.exercise_weight = step.weight_kg
        m.weight_display_unit = (FitBaseUnit.POUND if step.unit == "lb"
                                 else FitBaseUnit.KILOGRAM).value
    return m


def encode(name: str, steps: Sequence[Step], key: str) -> bytes:
    """The FIT file of a workout called ``name`` (cut to FIT's size) with ``steps``;
    ``key`` (its file name) makes its serial number."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport

    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = serial_number(key)
    file_id.time_created = round(CREATED.timestamp() * 1000)
    workout = WorkoutMessage()
    workout.workout_name = fit_text(name, NAME_BYTES)
    workout.sport = Sport.TRAINING
    workout.sub_sport = SubSport.STRENGTH_TRAINING
    workout.num_valid_steps = len(steps)
    builder = FitFileBuilder(auto_define=True, min_string_size=0)
    builder.add(file_id)
    builder.add(workout)
    builder.add_all([_message(step, n) for n, step in enumerate(steps)])
    data: bytes = builder.build().to_bytes()
    return data


__all__ = ["CREATED", "encode", "serial_number"]
