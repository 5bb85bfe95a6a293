"""Text normalisation shared by the tokenizer and the character features."""

import functools
import re
import unicodedata

# Masking runs such as ``*****区`` carry no meaning but would otherwise become
# frequent, uninformative n-grams.
_MASK_RUN = re.compile(r"[*＊]+")
_SPACES = re.compile(r"\s+")
# Chinese is written without spaces, so a space between two Han characters (or CJK punctuation)
# (or punctuation, which NFKC has folded to ASCII) is a word boundary left by pre-segmentation (" ".join(jieba.cut(...))): dropping it makes
# pre-cut and raw text give the same characters, and jieba then cuts both alike.
_CJK = r"!-/:-@\[-`{-~\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20"
_CUT_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")

# Hotline tickets are a few hundred characters; anything beyond this adds
# latency without changing the routing decision.
MAX_CHARS = 2000


def normalize(text: str) -> str:
    """Return ``text`` NFKC-folded, lower-cased, pre-segmentation undone, masks removed, whitespace squeezed."""
    if not text:
        return ""
    # One prediction normalises the same text four times (blank check, words, characters, length).
    if isinstance(text, str) and len(text) <= MAX_CHARS:
        return _cached_normalize(text)
    return _normalize(text)


def _normalize(text) -> str:
    """``normalize`` itself, uncached."""
    text = unicodedata.normalize("NFKC", str(text)[: MAX_CHARS * 2])[:MAX_CHARS]
    # Before masks become spaces: a mask separates words, a segmenter's space does not.
    text = _CUT_SPACE.sub("", text)
    text = _MASK_RUN.sub(" ", text).lower()
    return _SPACES.sub(" ", text).strip()


# A few hundred recent texts: enough for one prediction's repeats, a few MB at most.
_cached_normalize = functools.lru_cache(maxsize=512)(_normalize)
