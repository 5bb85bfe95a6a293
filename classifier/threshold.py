"""Choosing the auto-dispatch threshold from held-back predictions."""

import numpy as np

# Below this many auto-dispatched tickets a precision estimate is mostly noise.
MIN_SUPPORT = 20
# Strictly above any probability, yet finite so metadata stays plain JSON.
UNREACHABLE = float(np.nextafter(1.0, 2.0))


def precision_coverage_curve(confidence, correct):
    """Return (thresholds, precision, coverage) for every distinct confidence, highest first.

    At ``thresholds[i]`` the tickets with ``confidence >= thresholds[i]`` are
    auto-dispatched; ``precision[i]`` is the share of them that is correct and
    ``coverage[i]`` their share of all tickets.
    """
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=bool)
    if confidence.size == 0:
        return np.empty(0), np.empty(0), np.empty(0)
    order = np.argsort(-confidence, kind="stable")
    conf, hits = confidence[order], correct[order]
    n_auto = np.arange(1, conf.size + 1)
    precision = np.cumsum(hits) / n_auto
    # Ties share one threshold, so only the last index of each run is reachable.
    last_of_run = np.r_[conf[1:] != conf[:-1], True]
    return conf[last_of_run], precision[last_of_run], n_auto[last_of_run] / conf.size


def pick_threshold(confidence, correct, target_precision: float, min_support: int = MIN_SUPPORT):
    """Return (threshold, precision, coverage) maximising coverage with precision >= target.

    If no threshold reaches the target, the threshold is set just above 1.0 so
    that no probability can reach it and nothing is auto-dispatched (coverage 0).
    """
    thresholds, precision, coverage = precision_coverage_curve(confidence, correct)
    n = len(np.asarray(confidence))
    ok = (precision >= target_precision) & (coverage * n >= min(min_support, n))
    if not ok.any():
        # Not "just above the best held-out score": a new text could beat that.
        return UNREACHABLE, float("nan"), 0.0
    best = np.flatnonzero(ok)[-1]  # lowest qualifying threshold = largest coverage
    return float(thresholds[best]), float(precision[best]), float(coverage[best])
