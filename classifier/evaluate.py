"""Scoring a router on labelled texts."""

import sys
from collections import Counter

import numpy as np
from tqdm.auto import tqdm
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from .data import validate_pairs
from .threshold import pick_threshold

PRECISION_TARGETS = (0.90, 0.92, 0.95, 0.97)
_CHUNK = 512


def _coverage(confidence: np.ndarray, correct: np.ndarray, threshold: float) -> dict:
    """Return coverage and precision of auto-dispatch at a fixed threshold."""
    auto = confidence >= threshold
    n_auto = int(auto.sum())
    return {
        "threshold": float(threshold),
        "coverage": float(n_auto / len(confidence)) if len(confidence) else 0.0,
        "precision": float(correct[auto].mean()) if n_auto else None,
    }


def score_predictions(y_true, top_labels, confidence, router_threshold=None, known_labels=None) -> dict:
    """Return the evaluate() metrics from true labels, top-k label lists and top-1 confidences."""
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.array([tops[0] if tops else "" for tops in top_labels], dtype=object)
    confidence = np.asarray(confidence, dtype=float)
    correct = y_pred == y_true
    present = sorted(set(y_true))  # macro-F1 counts the labels present in the data
    every = sorted(set(present) | (set(y_pred) - {""}))
    prec, rec, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=every, zero_division=0
    )
    result = {
        "n": int(len(y_true)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
        "top3": float(np.mean([t in tops[:3] for t, tops in zip(y_true, top_labels)])),
        "per_class": {
            lab: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for lab, p, r, f, s in zip(every, prec, rec, f1, support)
        },
        "coverage_at_precision": {},
        "confusion": {
            "labels": every,
            "matrix": confusion_matrix(y_true, y_pred, labels=every).tolist(),
        },
    }
    for target in PRECISION_TARGETS:
        thr, _, _ = pick_threshold(confidence, correct, target)
        result["coverage_at_precision"][f"{target:.2f}"] = _coverage(confidence, correct, thr)
    if router_threshold is not None:
        result["at_model_threshold"] = _coverage(confidence, correct, router_threshold)
    if known_labels is not None:
        known = set(known_labels)
        unknown = Counter(t for t in y_true if t not in known)
        result["unknown_labels"] = dict(sorted(unknown.items()))
        learned = [lab for lab in present if lab in known]
        result["macro_f1_known_labels"] = float(
            f1_score(y_true, y_pred, labels=learned, average="macro", zero_division=0)
        ) if learned else None
    return result


def evaluate(router, texts, labels, *, progress: bool = False) -> dict:
    """Score ``router`` on labelled texts.

    Parameters
    ----------
    router : Router
    texts, labels : sequence of str
    progress : bool, default False
        Show a tqdm progress bar on stderr.

    Returns
    -------
    dict
        JSON-serialisable: ``n``, ``accuracy``, ``macro_f1`` (over the labels
        present in ``labels``), ``top3``, ``per_class``, ``coverage_at_precision``
        (best threshold on this data for each precision target),
        ``at_model_threshold``, ``confusion``, ``unknown_labels`` (labels the model
        never learned) and ``macro_f1_known_labels``.

    Raises
    ------
    DataError
        If texts and labels are empty or of different lengths.
    """
    # A test set may hold one label or blank tickets; blank ones just count as misses.
    texts, labels = validate_pairs(texts, labels, min_labels=1, allow_empty_text=True)
    candidates = []
    # Chunks keep memory flat and give the progress bar something to count.
    with tqdm(total=len(texts), desc="evaluating", unit="text", disable=not progress, file=sys.stderr) as bar:
        for start in range(0, len(texts), _CHUNK):
            chunk = texts[start : start + _CHUNK]
            candidates.extend(router.predict_many(chunk, k=3))
            bar.update(len(chunk))
    tops = [[c.label for c in cands] for cands in candidates]
    conf = [cands[0].probability if cands else 0.0 for cands in candidates]
    return score_predictions(labels, tops, conf, router.threshold, router.labels)

