"""Choosing the auto-dispatch threshold from held-back predictions."""

import numpy as np

# Below this many auto-dispatched tickets a precision estimate is mostly noise.
MIN_SUPPORT = 20
# Strictly above any probability, yet finite so metadata stays plain JSON.
UNREACHABLE = float(np.nextafter(1.0, 2.0))
# One-sided 95 % normal quantile. Training requires the Wilson lower bound of the
# held-out precision, not the precision itself, to reach the target: picking the
# lowest threshold whose observed precision crosses the target selects the
# luckiest point of a noisy curve, and in 5-fold CV the unmargined choice
# delivered 0.910 precision on unseen folds for a 0.92 target (0.920 with it).
SAFETY_Z = 1.64


def wilson_lower_bound(precision, n, z: float = SAFETY_Z):
    """Return the Wilson score lower confidence bound of a proportion ``precision`` over ``n`` trials."""
    p = np.asarray(precision, dtype=float)
    n = np.maximum(np.asarray(n, dtype=float), 1.0)
    if z <= 0:
        return p
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * np.sqrt(np.clip(p * (1 - p), 0.0, None) / n + z2 / (4 * n * n))
    return (centre - spread) / (1 + z2 / n)


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


def pick_threshold(confidence, correct, target_precision: float, min_support: int = MIN_SUPPORT,
                   z: float = 0.0):
    """Return (threshold, precision, coverage) maximising coverage with precision >= target.

    With ``z > 0`` the Wilson lower bound of the precision (``z`` standard
    errors) must reach the target instead of the observed precision, so the
    choice holds on new data; the returned precision is still the observed one.
    If no threshold reaches the target, the threshold is set just above 1.0 so
    that no probability can reach it and nothing is auto-dispatched (coverage 0).
    """
    thresholds, precision, coverage = precision_coverage_curve(confidence, correct)
    n = len(np.asarray(confidence))
    n_auto = coverage * n
    ok = (wilson_lower_bound(precision, n_auto, z) >= target_precision) & (n_auto >= min(min_support, n))
    if not ok.any():
        # Not "just above the best held-out score": a new text could beat that.
        return UNREACHABLE, float("nan"), 0.0
    best = np.flatnonzero(ok)[-1]  # lowest qualifying threshold = largest coverage
    return float(thresholds[best]), float(precision[best]), float(coverage[best])
