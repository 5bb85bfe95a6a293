"""满意率 and 解决率 judge every reached callback: a hand-worked November (docs/metrics.md §4, "Counting callbacks").

  A  zjj, 领导接听日 channel, replied Mon 11-16: 不满意 and unsolved 11-17 → 重办 to zjj; handled again
     11-19; 满意 and solved 11-20.
  B  zjj, replied 11-16: unreached 11-17 (judges nothing), then 基本满意 and solved 11-18.
  C  jtj, replied 11-16: 不满意 and unsolved 11-19 → 重办 to jtj; handled again 11-30; 满意 12-01 (December's).
  D  即来即办 (answered on the call 11-16, no unit), 领导接听日 channel: 不满意 and unsolved 11-18.

November: zjj reached 3 (A twice, B), solved 2, satisfied 1, basically 1, unsatisfied 1 → 满意率 2/3,
解决率 2/3 (judged on the latest callback only it would be 2/2). jtj reached 1, unsatisfied 1 → 0 and 0.
City: 3 + 1 + D = 5 reached, solved 2, satisfied or basically 2 → 0.4 and 0.4. The 领导接听日 section
counts A's two callbacks (D has no unit's round): 0.5 and 0.5. December: jtj reached 1, 满意 → 1.0.
The year 2026: jtj reached 2 (C twice), 满意率 1/2; city 6 reached, 3 satisfied or basically → 0.5.
"""
from __future__ import annotations

from hotline.services import merged_callbacks, workflow
from hotline.services.cycle import assessment, periods, reports
from models import Channel, Satisfaction
from tests.builders import REPLY, at, received, replied, user

S = Satisfaction
CALLBACKS = ("reached", "solved", "satisfied", "basically_satisfied", "unsatisfied")


def counts(line: dict) -> tuple:
    """The callback counts and the two rates of a report line."""
    return (*(line[name] for name in CALLBACKS), line["rates"]["satisfaction"], line["rates"]["solved"])


def unit(report: dict, code: str) -> dict:
    return next(line for line in report["departments"] if line["department"]["code"] == code)


def test_a_reopened_then_satisfied_ticket_counts_one_unsatisfied_and_one_satisfied(session, policy):
    supervisor = user(session, "supervisor")

    def call_back(ticket, when, satisfaction=None, solved=True):
        workflow.record_callback(session, ticket, supervisor, policy, when, reached=satisfaction is not None,
                                 solved=solved if satisfaction else None, satisfaction=satisfaction)

    def handle_again(ticket, code, when):
        unit_user = user(session, code)
        workflow.sign(session, ticket, unit_user, when)
        workflow.reply(session, ticket, "已再次处理", unit_user, when, policy=policy)

    a = replied(session, policy, at(2026, 11, 16), "zjj", channel=Channel.LEADER_DAY)
    b = replied(session, policy, at(2026, 11, 16), "zjj")
    c = replied(session, policy, at(2026, 11, 16), "jtj")
    d = received(session, at(2026, 11, 16), channel=Channel.LEADER_DAY)
    workflow.answer_on_call(session, d, REPLY, user(session, "operator"), at(2026, 11, 16, 10), policy=policy)
    call_back(a, at(2026, 11, 17), S.UNSATISFIED, solved=False)  # 重办 to zjj
    handle_again(a, "zjj", at(2026, 11, 19))
    call_back(a, at(2026, 11, 20), S.SATISFIED)
    call_back(b, at(2026, 11, 17, 10))  # unreached: judges nothing
    call_back(b, at(2026, 11, 18), S.BASICALLY_SATISFIED)
    call_back(d, at(2026, 11, 18), S.UNSATISFIED, solved=False)  # no unit: the city line only
    call_back(c, at(2026, 11, 19), S.UNSATISFIED, solved=False)  # 重办 to jtj
    handle_again(c, "jtj", at(2026, 11, 30))
    call_back(c, at(2026, 12, 1), S.SATISFIED)  # December's
    session.flush()

    weights, as_of = policy.cycle_rules.assessment_weights, at(2026, 12, 2)
    november = reports.compute(session, periods.parse("monthly", "2026-11", policy.tz), as_of, weights)
    assert counts(unit(november, "zjj")) == (3, 2, 1, 1, 1, 0.6667, 0.6667)
    assert counts(unit(november, "jtj")) == (1, 0, 0, 0, 1, 0.0, 0.0)
    assert counts(november["city"]) == (5, 2, 1, 1, 3, 0.4, 0.4)
    leader_day = next(section for section in november["channels"] if section["channel"] == "leader_day")
    assert leader_day["received"] == 2 and counts(leader_day) == (2, 1, 1, 0, 1, 0.5, 0.5)
    # 回访率 stays per work order: A, B, C each called back once, whatever the number of callbacks.
    assert (unit(november, "zjj")["called_back"], unit(november, "jtj")["called_back"]) == (2, 1)
    assert "callback_rounds" not in november  # the headline is that section now
    # The events say the same (recount reads the judgements from them, not from `callbacks`): D under None.
    month = periods.parse("monthly", "2026-11", policy.tz)
    assert reports.recount(session, month, as_of) == reports.count_rows(session, month, as_of)
    assert reports.count_rows(session, month, as_of)[None]["unsatisfied"] == 1

    december = reports.compute(session, periods.parse("monthly", "2026-12", policy.tz), as_of, weights)
    assert counts(unit(december, "jtj")) == (1, 1, 1, 0, 0, 1.0, 1.0)
    assert unit(december, "jtj")["assigned"] == 0  # a callback on November's work order, counted in December
    assert counts(december["city"]) == (1, 1, 1, 0, 0, 1.0, 1.0)

    year = assessment.compute(session, periods.parse("annual", "2026", policy.tz), policy, as_of)
    assert counts(unit(year, "jtj")) == (2, 1, 1, 0, 1, 0.5, 0.5)
    assert counts(year["city"]) == (6, 3, 2, 1, 3, 0.5, 0.5)

    # A unit reading its own line sees only its own.
    jtj = user(session, "jtj").department_id
    own = reports.compute(session, periods.parse("monthly", "2026-11", policy.tz), as_of, weights, jtj)
    assert [line["department"]["code"] for line in own["departments"]] == ["jtj"] and own["city"] is None
    assert counts(own["departments"][0]) == (1, 0, 0, 0, 1, 0.0, 0.0)


def test_a_merged_duplicates_caller_judges_the_originals_round(session, policy):
    """合并件回访: O (zjj) replied 11-16, called back 满意 11-17 → closed; M, merged into O on 11-16, has its
    caller called back 不满意 (unsolved) 11-18, for zjj (the unit of O's round). November's zjj: reached 2,
    solved 1, satisfied 1, unsatisfied 1 → 满意率 1/2; M is no work order (assigned 1, called back 1)."""
    supervisor = user(session, "supervisor")
    original = replied(session, policy, at(2026, 11, 16), "zjj")
    merged = received(session, at(2026, 11, 16, 10))
    workflow.merge_repeat(session, merged, original, user(session, "dispatcher"), at(2026, 11, 16, 10))
    workflow.record_callback(session, original, supervisor, policy, at(2026, 11, 17), reached=True, solved=True,
                             satisfaction=S.SATISFIED)
    merged_callbacks.record(session, merged, supervisor, policy, at(2026, 11, 18), reached=True, solved=False,
                            satisfaction=S.UNSATISFIED)
    session.flush()
    month, as_of = periods.parse("monthly", "2026-11", policy.tz), at(2026, 12, 2)
    zjj = unit(reports.compute(session, month, as_of, policy.cycle_rules.assessment_weights), "zjj")
    assert counts(zjj) == (2, 1, 1, 0, 1, 0.5, 0.5) and (zjj["assigned"], zjj["called_back"]) == (1, 1)
    assert reports.recount(session, month, as_of) == reports.count_rows(session, month, as_of)
