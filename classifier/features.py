"""TF-IDF feature extractors for Chinese messages (jieba words and characters)."""

from sklearn.feature_extraction.text import TfidfVectorizer
import numpy as np

from .text import normalize
from .tokenizer import tokenize


def word_vectorizer(ngram_range=(1, 2), min_df=2) -> TfidfVectorizer:
    """Return a TF-IDF vectorizer over jieba words (module-level tokenizer, so it pickles)."""
    return TfidfVectorizer(
        tokenizer=tokenize,
        token_pattern=None,  # unused with a tokenizer; None silences sklearn's warning
        lowercase=False,  # tokenize() already normalises
        ngram_range=tuple(ngram_range),
        min_df=min_df,
        sublinear_tf=True,  # a word repeated in a rant should not dominate
        dtype=np.float32,
    )


def char_vectorizer(ngram_range=(1, 3), min_df=2) -> TfidfVectorizer:
    """Return a TF-IDF vectorizer over character n-grams of the normalised text."""
    return TfidfVectorizer(
        analyzer="char",
        preprocessor=normalize,
        ngram_range=tuple(ngram_range),
        min_df=min_df,
        sublinear_tf=True,
        dtype=np.float32,
    )
