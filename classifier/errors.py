"""Exceptions raised by the classifier package."""


class DataError(ValueError):
    """Training or evaluation data is unusable; the message says what to fix."""


class ModelError(RuntimeError):
    """A saved model cannot be loaded or used; the message says why."""
