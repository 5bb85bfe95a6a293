"""满意率 with every round judged: a hand-worked month (docs/metrics.md, "A ticket called back more than once")."""
from __future__ import annotations

from hotline.services import workflow
from hotline.services.cycle import callback_rounds, periods, reports
from models import Satisfaction
from tests.builders import at, replied, user

S = Satisfaction


def test_a_reopened_then_satisfied_ticket_counts_one_unsatisfied_and_one_satisfied(session, policy):
    supervisor = user(session, "supervisor")

    def call_back(ticket, when, satisfaction=None, solved=True):
        workflow.record_callback(session, ticket, supervisor, policy, when, reached=satisfaction is not None,
                                 solved=solved if satisfaction else None, satisfaction=satisfaction)

    def handle_again(ticket, code, when):
        unit = user(session, code)
        workflow.sign(session, ticket, unit, when)
        workflow.reply(session, ticket, "已再次处理", unit, when, policy=policy)

    a = replied(session, policy, at(2026, 11, 16), "zjj")
    b = replied(session, policy, at(2026, 11, 16), "zjj")
    c = replied(session, policy, at(2026, 11, 16), "jtj")
    call_back(a, at(2026, 11, 17), S.UNSATISFIED, solved=False)  # 重办 to zjj
    handle_again(a, "zjj", at(2026, 11, 19))
    call_back(a, at(2026, 11, 20), S.SATISFIED)
    call_back(b, at(2026, 11, 17, 10))  # unreached: judges nothing
    call_back(b, at(2026, 11, 18), S.BASICALLY_SATISFIED)
    call_back(c, at(2026, 11, 19), S.UNSATISFIED, solved=False)  # 重办 to jtj
    handle_again(c, "jtj", at(2026, 11, 30))
    call_back(c, at(2026, 12, 1), S.SATISFIED)  # December's
    session.flush()

    november = callback_rounds.by_round(session, periods.parse("monthly", "2026-11", policy.tz))
    assert november["zjj"] == {"reached": 3, "solved": 2, "satisfied": 1, "basically_satisfied": 1, "unsatisfied": 1,
                               "rates": {"satisfaction": 0.6667, "solved": 0.6667}}
    assert november["jtj"] == {"reached": 1, "solved": 0, "satisfied": 0, "basically_satisfied": 0, "unsatisfied": 1,
                               "rates": {"satisfaction": 0.0, "solved": 0.0}}
    assert november["city"]["reached"] == 4 and november["city"]["rates"] == {"satisfaction": 0.5, "solved": 0.5}
    december = callback_rounds.by_round(session, periods.parse("monthly", "2026-12", policy.tz))
    assert december == {"jtj": {"reached": 1, "solved": 1, "satisfied": 1, "basically_satisfied": 0,
                                "unsatisfied": 0, "rates": {"satisfaction": 1.0, "solved": 1.0}},
                        "city": {"reached": 1, "solved": 1, "satisfied": 1, "basically_satisfied": 0,
                                 "unsatisfied": 0, "rates": {"satisfaction": 1.0, "solved": 1.0}}}
    # The monthly report carries the section; a unit reading its own line sees only its own.
    month = periods.parse("monthly", "2026-11", policy.tz)
    report = reports.compute(session, month, at(2026, 12, 2), policy.cycle_rules.assessment_weights)
    assert report["callback_rounds"] == november
    jtj = user(session, "jtj").department_id
    own = reports.compute(session, month, at(2026, 12, 2), policy.cycle_rules.assessment_weights, jtj)
    assert set(own["callback_rounds"]) == {"jtj"}
