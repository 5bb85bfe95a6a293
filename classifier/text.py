"""Text normalisation shared by the tokenizer and the character features."""

import re
import unicodedata

# Masking runs such as ``*****区`` carry no meaning but would otherwise become
# frequent, uninformative n-grams.
_MASK_RUN = re.compile(r"[*＊]+")
_SPACES = re.compile(r"\s+")

# Hotline tickets are a few hundred characters; anything beyond this adds
# latency without changing the routing decision.
MAX_CHARS = 2000


def normalize(text: str) -> str:
    """Return ``text`` NFKC-folded, lower-cased, with masks removed and whitespace squeezed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)[: MAX_CHARS * 2])[:MAX_CHARS]
    text = _MASK_RUN.sub(" ", text).lower()
    return _SPACES.sub(" ", text).strip()
