"""Recalibrating the top-1 probability with a model of when the classifier is right."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# The correctness model needs both outcomes in every fold to be meaningful.
MIN_OUTCOME_COUNT = 10


def _margin(scores: np.ndarray) -> np.ndarray:
    """Return the gap between the best and second-best score of each row."""
    top2 = np.sort(scores, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def confidence_features(proba: np.ndarray, base_blocks: list, n_chars: np.ndarray) -> np.ndarray:
    """Return per-text signals of reliability: probability, margin, entropy, base agreement, length, class."""
    pred = proba.argmax(axis=1)
    cols = [
        proba.max(axis=1),
        _margin(proba),
        -(proba * np.log(proba + 1e-12)).sum(axis=1),
        np.log1p(n_chars),
    ]
    for block in base_blocks:
        # Diverse base models agreeing with the blend is strong evidence it is right.
        cols.append((block.argmax(axis=1) == pred).astype(float))
        cols.append(_margin(block))
    # Some labels (e.g. 教育) are reliably right, others (e.g. 政务) much less so.
    onehot = np.eye(proba.shape[1])[pred]
    return np.column_stack(cols + [onehot])


def make_confidence_model(C: float = 1.0):
    """Return an unfitted logistic model of P(top-1 label is correct | features)."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000))


def can_fit(correct: np.ndarray) -> bool:
    """Return True when both right and wrong predictions are frequent enough to learn from."""
    n_right = int(np.sum(correct))
    return min(n_right, len(correct) - n_right) >= MIN_OUTCOME_COUNT


def rescale(proba: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """Return ``proba`` with each top-1 set to ``confidence`` and the rest rescaled to sum to 1.

    The new top-1 is kept at least as large as the rescaled runner-up, so the
    ranking of labels never changes.
    """
    proba = np.asarray(proba, dtype=float)
    rows = np.arange(len(proba))
    top = proba.argmax(axis=1)
    p1 = proba[rows, top]
    p2 = np.sort(proba, axis=1)[:, -2] if proba.shape[1] > 1 else np.zeros(len(proba))
    rest = 1.0 - p1
    safe_rest = np.where(rest > 1e-12, rest, 1.0)
    floor = p2 / np.where(rest + p2 > 1e-12, rest + p2, 1.0)
    # Nudged above the floor so a tie cannot hand first place to the runner-up.
    c = np.clip(np.maximum(confidence, floor * (1 + 1e-9) + 1e-12), 0.0, 1.0)
    out = proba * ((1.0 - c) / safe_rest)[:, None]
    out[rows, top] = c
    # A near-certain row has nothing to redistribute; leave it as it was.
    return np.where((rest > 1e-12)[:, None], out, proba)
