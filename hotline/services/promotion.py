"""The promotion gate: a challenger replaces the champion only if it is no worse on the same recent tickets."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .learning_rules import LearningRules

# The criteria in the order they are checked; the first that fails is the decision's reason.
ACCURACY, COVERAGE, AUTO_DISPATCH, CATEGORY = "accuracy", "coverage", "auto_dispatch", "category"


@dataclass
class GateResult:
    """Both models' scores on the held-back tickets, each criterion's verdict, and the decision."""

    promote: bool
    reason: str  # "no_champion", "no_worse", or the first failed criterion
    champion: dict[str, Any] | None
    challenger: dict[str, Any]
    criteria: list[dict[str, Any]] = field(default_factory=list)


def judge(champion, challenger, texts: list[str], labels: list[str], rules: LearningRules) -> GateResult:
    """Score both routers on the same held-back tickets and decide whether the challenger may be promoted."""
    # numpy comes with the model: commands that never route (import, cycle runs) must not load it.
    from classifier.compare import outcomes, paired_bootstrap, scores

    chal_correct, chal_conf, _ = outcomes(challenger, texts, labels)
    chal = scores(chal_correct, chal_conf, labels, rules.target_precision, rules.category_min)
    if champion is None:
        return GateResult(True, "no_champion", None, chal)
    champ_correct, champ_conf, _ = outcomes(champion, texts, labels)
    champ = scores(champ_correct, champ_conf, labels, rules.target_precision, rules.category_min)
    diff, low, high = paired_bootstrap(champ_correct, chal_correct, rules.bootstrap_rounds)
    criteria = [{
        "criterion": ACCURACY, "difference": diff, "ci_low": low, "ci_high": high,
        "margin": rules.accuracy_margin, "passed": low >= -rules.accuracy_margin,
    }, {
        "criterion": COVERAGE, "champion": champ["coverage"], "challenger": chal["coverage"],
        "margin": rules.coverage_margin, "passed": chal["coverage"] >= champ["coverage"] - rules.coverage_margin,
    }]
    own = _own_threshold(champion, challenger, champ_correct, champ_conf, chal_conf, rules)
    if own:
        criteria.append(own)
    # A category the champion never predicted is still checked: its recall there is simply 0.
    for category in sorted(chal["recall"]):
        before, after = champ["recall"][category], chal["recall"][category]
        criteria.append({"criterion": CATEGORY, "category": category, "champion": before, "challenger": after,
                         "margin": rules.category_margin, "passed": after >= before - rules.category_margin})
    failed = [c for c in criteria if not c["passed"]]
    return GateResult(not failed, failed[0]["criterion"] if failed else "no_worse", champ, chal, criteria)


def _own_threshold(champion, challenger, champ_correct, champ_conf, chal_conf, rules: LearningRules):
    """The auto-dispatch each model would really do, at the threshold it carries (None if either has none).

    The coverage criterion picks the best threshold on the held-back tickets themselves; the service uses
    the threshold the model chose in training. A challenger whose own threshold sends far fewer tickets
    (at worst none: no threshold reached the target on its training labels) is not promoted over a
    champion whose own auto-dispatch meets the target precision on these tickets; over one that misses it,
    dispatching less is no loss.
    """
    import numpy as np

    before_t, after_t = getattr(champion, "threshold", None), getattr(challenger, "threshold", None)
    if before_t is None or after_t is None:
        return None
    sent = np.asarray(champ_conf) >= before_t
    before, after = float(sent.mean()), float((np.asarray(chal_conf) >= after_t).mean())
    precision = float(np.asarray(champ_correct)[sent].mean()) if sent.any() else None
    return {"criterion": AUTO_DISPATCH, "champion": before, "challenger": after, "margin": rules.coverage_margin,
            "champion_precision": precision, "champion_threshold": float(before_t),
            "challenger_threshold": float(after_t),
            "passed": after >= before - rules.coverage_margin or precision is None
            or precision < rules.target_precision}
