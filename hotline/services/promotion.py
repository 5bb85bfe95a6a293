"""The promotion gate: a challenger replaces the champion only if it is no worse on the same recent tickets."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .learning_rules import LearningRules

# The criteria in the order they are checked; the first that fails is the decision's reason.
ACCURACY, COVERAGE, CATEGORY = "accuracy", "coverage", "category"


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
    # A category the champion never predicted is still checked: its recall there is simply 0.
    for category in sorted(chal["recall"]):
        before, after = champ["recall"][category], chal["recall"][category]
        criteria.append({"criterion": CATEGORY, "category": category, "champion": before, "challenger": after,
                         "margin": rules.category_margin, "passed": after >= before - rules.category_margin})
    failed = [c for c in criteria if not c["passed"]]
    return GateResult(not failed, failed[0]["criterion"] if failed else "no_worse", champ, chal, criteria)
