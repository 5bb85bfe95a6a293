"""Module-level jieba tokenizer (picklable) with the package's user dictionary."""

import functools
import logging
import threading
from importlib import resources

import jieba

from .stopwords import stop_words
from .text import normalize

_LOCK = threading.Lock()
_READY = False


def _userdict_path() -> str:
    """Return the filesystem path of the bundled user dictionary."""
    return str(resources.files(__package__).joinpath("data").joinpath("userdict.txt"))


def ensure_initialized() -> None:
    """Load jieba's dictionary and our user dictionary once per process."""
    global _READY
    if _READY:
        return
    with _LOCK:
        if _READY:
            return
        # jieba logs every dictionary load at DEBUG; the service log is no place for that.
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        # A path argument makes jieba leave the file open (ResourceWarning).
        with open(_userdict_path(), "rb") as fh:
            jieba.load_userdict(fh)
        _READY = True


def _is_token(token: str) -> bool:
    """Return True for tokens carrying at least one letter or digit."""
    return any(ch.isalnum() for ch in token)


# Only ticket-sized texts are cached, bounding the cache to a few tens of MB
# in a long-running service.
_CACHE_MAX_CHARS = 512


def _segment(text: str) -> tuple[str, ...]:
    """Return the jieba segmentation of already-normalised text."""
    ensure_initialized()
    # HMM guesses new words from character statistics; with masked names it
    # invents unstable "words", and the user dictionary covers the terms we need.
    stop = stop_words()
    return tuple(t for t in jieba.lcut(text, HMM=False) if _is_token(t) and t not in stop)


_cached_segment = functools.lru_cache(maxsize=16384)(_segment)


def tokenize(text: str) -> list[str]:
    """Split a citizen's message into jieba words (masks and punctuation removed).

    Parameters
    ----------
    text : str
        Raw message text; ``*`` masking runs are ignored.

    Returns
    -------
    list of str
        Lower-cased word tokens without stop words; empty for empty or whitespace-only text.
        Text already cut into space-separated words gives the same tokens as the raw text.
    """
    norm = normalize(text)
    if not norm:
        return []
    # Training vectorises the same texts more than once; the cache makes that cheap.
    cut = _cached_segment if len(norm) <= _CACHE_MAX_CHARS else _segment
    return list(cut(norm))


def index_terms(text: str) -> list[str]:
    """Return the distinct jieba search-mode words of a text, for a full-text index.

    Search mode also yields the shorter words inside a long one (中华人民共和国 → 中华, 人民, 共和国, …),
    so a query cut in the ordinary mode finds them.
    """
    norm = normalize(text)
    if not norm:
        return []
    ensure_initialized()
    seen: dict[str, None] = {}
    for token in jieba.cut_for_search(norm, HMM=False):
        token = token.strip()
        if _is_token(token):
            seen.setdefault(token, None)
    return list(seen)
