"""挂起 notices: the unit hears of the supervisor's decision and of the daily job's resume, not of its own resume."""
from sqlalchemy import select

from hotline.notify.render import render
from hotline.services import outbox, pauses
from hotline.services.cycle import daily
from models import OutboxMessage, PauseReason
from tests import builders
from tests.builders import at


def test_a_unit_is_told_of_the_decision_and_of_the_automatic_resume(session, policy):
    zjj = builders.department(session, "zjj").id
    outbox.add_target(session, zjj, "email", "zjj@example.gov.cn")
    unit, supervisor = builders.user(session, "zjj"), builders.user(session, "supervisor")
    ticket = builders.signed(session, policy, at(2026, 10, 8, 9))
    pauses.request_pause(session, ticket, PauseReason.WAITING_CITIZEN, "等待", 2, unit, policy, at(2026, 10, 9, 8))
    pauses.decide_pause(session, ticket, True, supervisor, policy, at(2026, 10, 9, 9))
    daily.run(session, policy, at(2026, 10, 12, 8))  # resumes at the approved end, Sat 10 Oct 17:30
    other = builders.signed(session, policy, at(2026, 10, 8, 9))
    pauses.request_pause(session, other, PauseReason.WAITING_CITIZEN, "等待", 2, unit, policy, at(2026, 10, 9, 8))
    pauses.decide_pause(session, other, True, supervisor, policy, at(2026, 10, 9, 9))
    pauses.resume(session, other, unit, policy, at(2026, 10, 9, 10))  # the unit's own resume: no notice
    session.flush()
    kinds = [(m.ticket_id, m.kind) for m in session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind.in_(("pause_decided", "resumed"))).order_by(OutboxMessage.id))]
    assert kinds == [(ticket.id, "pause_decided"), (ticket.id, "resumed"), (other.id, "pause_decided")]
    resumed = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "resumed"))
    text = render(resumed, policy.tz).text
    assert "已恢复计时" in text and "办结时限：2026-10-15 17:30" in text
    decided = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "pause_decided"))
    assert "挂起申请审批结果：同意（停止计时）" in render(decided, policy.tz).text
