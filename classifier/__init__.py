"""Route 12345 hotline tickets to a problem domain and search the knowledge base.

Public API: ``train``/``TrainedModel`` build a model, ``Router`` serves it,
``evaluate`` scores it, ``KnowledgeBase`` answers consultations.

Names are imported on first use (PEP 562): scikit-learn, SciPy and jieba take seconds to import,
and a command that never routes (``flask --help``, the cycle jobs) should not pay for them.
"""

import importlib

_EXPORTS = {
    "Candidate": ".router",
    "DataError": ".errors",
    "KBHit": ".kb",
    "KnowledgeBase": ".kb",
    "ModelError": ".errors",
    "Router": ".router",
    "TrainedModel": ".train",
    "evaluate": ".evaluate",
    "load_labelled_csv": ".data",
    "tokenize": ".tokenizer",
    "train": ".train",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the submodule that defines `name` the first time it is asked for."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, as if they had been imported."""
    return sorted(list(globals()) + __all__)
