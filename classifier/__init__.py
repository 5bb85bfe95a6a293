"""Route 12345 hotline tickets to a problem domain and search the knowledge base.

Public API: ``train``/``TrainedModel`` build a model, ``Router`` serves it,
``evaluate`` scores it, ``KnowledgeBase`` answers consultations.

Names are imported on first use (PEP 562): scikit-learn, SciPy and jieba take seconds to import,
and a command that never routes (``flask --help``, the cycle jobs) should not pay for them.
"""

import importlib
import sys
import types

_EXPORTS = {
    "Candidate": ".router",
    "DataError": ".errors",
    "KBHit": ".kb",
    "KnowledgeBase": ".kb",
    "ModelError": ".errors",
    "Router": ".router",
    "TrainedModel": ".train",
    "evaluate": ".evaluate",
    "index_terms": ".tokenizer",
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


class _Package(types.ModuleType):
    """This package, whose ``train`` and ``evaluate`` stay the functions once their same-named submodules load.

    Importing ``classifier.train`` binds the submodule to the package's ``train`` attribute; a property
    ignores that binding (the submodule stays reachable through ``sys.modules``).
    """


def _function_of_submodule(name: str) -> property:
    """A property giving submodule `name`'s function of the same name, and ignoring rebinding."""
    def get(_package: types.ModuleType):
        return getattr(importlib.import_module(f".{name}", __name__), name)

    def ignore(_package: types.ModuleType, _value: object) -> None:
        """The import system binding the submodule: keep the function."""

    return property(get, ignore)


for _name in ("train", "evaluate"):
    setattr(_Package, _name, _function_of_submodule(_name))
sys.modules[__name__].__class__ = _Package
