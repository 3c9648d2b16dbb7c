"""Workouts for the wrist: FIT workout files (:mod:`.files`), their steps (:mod:`.steps`),
the exercises of FIT's profile (:mod:`.categories`), the encoder (:mod:`.fit`)."""
