"""Competence areas, training packages and completion tracking (built in a later issue)."""
