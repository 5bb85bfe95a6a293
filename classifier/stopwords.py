"""The bundled stop-word list (classifier/data/stopwords.txt)."""

import functools
from importlib import resources


@functools.cache
def stop_words() -> frozenset[str]:
    """Return the stop words, read once per process."""
    text = resources.files(__package__).joinpath("data").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
