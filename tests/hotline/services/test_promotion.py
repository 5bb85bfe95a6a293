"""The promotion gate: champion and challenger on the same held-back tickets; the first failed criterion decides."""
from __future__ import annotations

from dataclasses import replace

from classifier import Candidate
from hotline.services.learning_rules import LearningRules
from hotline.services.promotion import judge

RULES = LearningRules(category_min=30, bootstrap_rounds=500)


class Fixed:
    """A router whose answers are given: text -> (label, probability)."""

    def __init__(self, answers: dict[str, tuple[str, float]], version: str = "v") -> None:
        self.answers, self.version = answers, version

    def predict_many(self, texts, k=1):
        return [[Candidate(*self.answers[t])] for t in texts]


def tickets(n_a: int, n_b: int) -> tuple[list[str], list[str]]:
    """n_a tickets of category a and n_b of b, each text unique."""
    texts = [f"a{i}" for i in range(n_a)] + [f"b{i}" for i in range(n_b)]
    return texts, ["a"] * n_a + ["b"] * n_b


def answering(texts, labels, wrong: set[str], confidence: float = 0.99) -> Fixed:
    """A router right on every text except those in `wrong` (which it calls the other category)."""
    other = {"a": "b", "b": "a"}
    return Fixed({t: (other[y] if t in wrong else y, confidence) for t, y in zip(texts, labels)})


def test_without_a_champion_the_challenger_is_promoted():
    texts, labels = tickets(150, 60)
    result = judge(None, answering(texts, labels, set()), texts, labels, RULES)
    assert (result.promote, result.reason, result.champion) == (True, "no_champion", None)
    assert result.challenger["accuracy"] == 1.0


def test_a_challenger_no_worse_everywhere_is_promoted():
    texts, labels = tickets(150, 60)
    champion = answering(texts, labels, {"a1", "a2", "b1"})
    challenger = answering(texts, labels, {"a1", "b2"})
    result = judge(champion, challenger, texts, labels, RULES)
    assert result.promote and result.reason == "no_worse"
    assert [c["criterion"] for c in result.criteria] == ["accuracy", "coverage", "category", "category"]
    assert result.champion["accuracy"] == 207 / 210 and result.challenger["accuracy"] == 208 / 210


def test_a_challenger_worse_on_accuracy_beyond_the_margin_is_kept_back():
    texts, labels = tickets(150, 60)
    champion = answering(texts, labels, set())
    challenger = answering(texts, labels, {f"a{i}" for i in range(12)})  # -12/210 = -0.057
    result = judge(champion, challenger, texts, labels, replace(RULES, category_margin=0.5))
    assert not result.promote and result.reason == "accuracy"
    accuracy = result.criteria[0]
    assert accuracy["difference"] == -12 / 210 and accuracy["ci_low"] < -0.02 and not accuracy["passed"]


def test_one_category_worse_keeps_the_champion_even_when_accuracy_is_level():
    texts, labels = tickets(170, 40)
    champion = answering(texts, labels, {f"a{i}" for i in range(3)})
    challenger = answering(texts, labels, {f"b{i}" for i in range(3)})  # b's recall 1.0 -> 0.925
    # Six disagreements in 210 pairs put the accuracy interval's low end near -0.023: allow that much.
    result = judge(champion, challenger, texts, labels, replace(RULES, accuracy_margin=0.05))
    assert not result.promote and result.reason == "category"
    failed = [c for c in result.criteria if not c["passed"]]
    assert failed == [{"criterion": "category", "category": "b", "champion": 1.0, "challenger": 37 / 40,
                       "margin": 0.05, "passed": False}]


def test_a_category_with_too_few_tickets_is_not_judged_on_its_own():
    texts, labels = tickets(190, 20)  # b has 20 < category_min 30
    champion = answering(texts, labels, {f"a{i}" for i in range(3)})
    challenger = answering(texts, labels, {f"b{i}" for i in range(3)})
    result = judge(champion, challenger, texts, labels, replace(RULES, accuracy_margin=0.05))
    assert result.promote and [c.get("category") for c in result.criteria[2:]] == ["a"]


def test_less_coverage_at_the_target_precision_keeps_the_champion():
    texts, labels = tickets(150, 60)
    wrong = {f"a{i}" for i in range(15)}
    # The same answers, but the challenger is as sure of its errors as of the rest: no threshold separates them.
    sure = Fixed({t: (("b" if t in wrong else y), 0.99 if t in wrong or i % 2 else 0.98)
                  for i, (t, y) in enumerate(zip(texts, labels))})
    champion = Fixed({t: (("b" if t in wrong else y), 0.5 if t in wrong else 0.99) for t, y in zip(texts, labels)})
    result = judge(champion, sure, texts, labels, replace(RULES, category_margin=1.0, target_precision=0.97))
    assert not result.promote and result.reason == "coverage"
    # The champion sends its 195 sure, right answers at 100 % precision; no challenger threshold reaches 97 %.
    assert result.champion["coverage"] == 195 / 210 and result.challenger["coverage"] == 0.0


class WithThreshold(Fixed):
    """A router with fixed answers and the auto-dispatch threshold it chose in training."""

    def __init__(self, answers, threshold: float) -> None:
        super().__init__(answers)
        self.threshold = threshold


def test_a_challenger_whose_own_threshold_switches_auto_dispatch_off_is_kept_back():
    texts, labels = tickets(150, 60)
    answers = {t: (y, 0.99 if i % 3 else 0.6) for i, (t, y) in enumerate(zip(texts, labels))}
    champion = WithThreshold(answers, 0.9)  # sends its 140 sure answers, all right: precision 1.0 ≥ 0.92
    # The same answers, but its training labels let no threshold reach the target: it would send nothing.
    challenger = WithThreshold(answers, 1.0 + 1e-9)
    result = judge(champion, challenger, texts, labels, RULES)
    assert not result.promote and result.reason == "auto_dispatch"
    own = next(c for c in result.criteria if c["criterion"] == "auto_dispatch")
    assert (own["champion"], own["challenger"], own["champion_precision"]) == (140 / 210, 0.0, 1.0)
    # Every other criterion passed: on these tickets the two models are the same.
    assert all(c["passed"] for c in result.criteria if c["criterion"] != "auto_dispatch")


def test_dispatching_less_than_a_champion_that_misses_the_target_is_no_loss():
    texts, labels = tickets(150, 60)
    wrong = {f"a{i}" for i in range(30)}
    # The champion's own threshold lets 30 wrong answers through: 180/210 = 0.857 < 0.92.
    champion = WithThreshold({t: ("b" if t in wrong else y, 0.95) for t, y in zip(texts, labels)}, 0.9)
    challenger = WithThreshold({t: ("b" if t in wrong else y, 0.5 if t in wrong else 0.95)
                                for t, y in zip(texts, labels)}, 0.96)  # sends nothing either
    result = judge(champion, challenger, texts, labels, replace(RULES, accuracy_margin=0.05))
    own = next(c for c in result.criteria if c["criterion"] == "auto_dispatch")
    assert own["passed"] and own["champion_precision"] == 180 / 210 and own["challenger"] == 0.0
