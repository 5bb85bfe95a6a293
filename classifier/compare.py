"""Comparing two routers on the same labelled texts: accuracy with a paired bootstrap interval,
coverage at a target precision, and recall per label."""

import numpy as np

from .threshold import pick_threshold


def outcomes(router, texts, labels) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Return (correct, top-1 confidence, top-1 label) of ``router`` on each text."""
    candidates = router.predict_many(list(texts), k=1)
    predicted = [c[0].label if c else "" for c in candidates]
    confidence = np.array([c[0].probability if c else 0.0 for c in candidates], dtype=float)
    correct = np.array([p == y for p, y in zip(predicted, labels, strict=True)], dtype=bool)
    return correct, confidence, predicted


def scores(correct, confidence, labels, target_precision: float, min_support: int) -> dict:
    """Accuracy, coverage at ``target_precision`` (best threshold on these texts) and recall per label."""
    correct = np.asarray(correct, dtype=bool)
    labels = np.asarray(labels, dtype=object)
    threshold, precision, coverage = pick_threshold(confidence, correct, target_precision)
    per_label = {}
    for label in sorted(set(labels)):
        mine = labels == label
        per_label[str(label)] = {"n": int(mine.sum()), "recall": float(correct[mine].mean())}
    return {
        "n": int(len(correct)),
        "accuracy": float(correct.mean()) if len(correct) else 0.0,
        "coverage": float(coverage),
        "precision": None if np.isnan(precision) else float(precision),
        "threshold": float(threshold),
        "recall": {k: v["recall"] for k, v in per_label.items() if v["n"] >= min_support},
        "support": {k: v["n"] for k, v in per_label.items()},
    }


def paired_bootstrap(champion_correct, challenger_correct, rounds: int = 2000, seed: int = 0,
                     level: float = 0.95) -> tuple[float, float, float]:
    """Return (difference, low, high): challenger minus champion accuracy and its percentile interval.

    Both models are scored on the same texts, so tickets are resampled in pairs: the interval
    reflects only where the two disagree, far tighter than two separate intervals.
    """
    a = np.asarray(champion_correct, dtype=float)
    b = np.asarray(challenger_correct, dtype=float)
    if a.shape != b.shape or a.size == 0:
        raise ValueError("both models must be scored on the same, non-empty texts")
    diff = b - a
    rng = np.random.default_rng(seed)
    means = np.empty(rounds)
    # In blocks, so memory stays bounded whatever the number of rounds.
    for start in range(0, rounds, 256):
        stop = min(rounds, start + 256)
        idx = rng.integers(0, diff.size, size=(stop - start, diff.size))
        means[start:stop] = diff[idx].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(diff.mean()), float(low), float(high)
