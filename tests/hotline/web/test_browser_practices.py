"""挂起, 申诉/核减 and the emergency hand-off in a real browser: every page action, CSRF on."""
from __future__ import annotations

import pytest

from playwright.sync_api import expect

from hotline.services import pauses, workflow
from hotline.services.cycle import publishing
from models import PauseReason, ReportKind, TicketStatus
from tests.builders import at, ticket_row, user

from .test_browser import flashed, open_as, server  # noqa: F401  (the fixtures; `browser` is conftest's)

pytestmark = [pytest.mark.browser, pytest.mark.app_config(WTF_CSRF_ENABLED=True, AUTO_DISPATCH_THRESHOLD=1.01)]
TUESDAY = at(2026, 9, 22, 9)


def signed_call(desk, clock) -> str:
    """A complaint zjj received and signed on Tue 22 Sep 09:00."""
    clock.set(TUESDAY)
    number = desk.call()
    desk.assign(number)
    desk._run(lambda session, policy, now: workflow.sign(session, ticket_row(session, number), user(session, "zjj"), now))
    return number


def test_a_unit_asks_to_pause_the_supervisor_approves_and_the_unit_resumes(open_as, desk, clock, session):
    number, other = signed_call(desk, clock), signed_call(desk, clock)
    clock.set(at(2026, 9, 23, 10))
    unit = open_as("zjj")
    for ticket in (number, other):
        unit.goto(f"/department/tickets/{ticket}")
        unit.select_option("#pause-reason", "waiting_third_party")
        unit.fill("#pause-note", "等待燃气公司出具检测报告")
        unit.fill("#pause-working_days", "3")
        unit.click("#ask-pause")
        flashed(unit, "挂起申请已提交")
    clock.set(at(2026, 9, 23, 14))
    supervisor = open_as("supervisor")
    supervisor.goto("/supervisor/pauses")
    supervisor.click(f"#t-{number} button:has-text('批准')")
    flashed(supervisor, "已批准，已停止计时")
    supervisor.click(f"#t-{other} button:has-text('驳回')")
    flashed(supervisor, "挂起申请已驳回")
    assert ticket_row(session, other).paused_at is None
    clock.set(at(2026, 9, 29, 10))
    unit.goto(f"/department/tickets/{number}")
    assert "09-23 14:00 起停止计时" in unit.inner_text("#paused")
    unit.click("#resume")
    flashed(unit, "已恢复计时")
    assert "顺延 18.5 个工作小时" in unit.inner_text("#pause-list")
    assert ticket_row(session, number).reply_by == at(2026, 10, 9, 15)


def test_a_supervisor_resumes_a_paused_ticket_from_the_ticket_page(open_as, desk, clock, session):
    number = signed_call(desk, clock)
    desk._run(lambda session, policy, now: pauses.request_pause(
        session, ticket_row(session, number), PauseReason.WAITING_CITIZEN, "等待市民提供产权证明", 3,
        user(session, "zjj"), policy, at(2026, 9, 23, 10)))
    desk._run(lambda session, policy, now: pauses.decide_pause(
        session, ticket_row(session, number), True, user(session, "supervisor"), policy, at(2026, 9, 23, 14)))
    clock.set(at(2026, 9, 29, 10))
    supervisor = open_as("supervisor")
    supervisor.goto(f"/tickets/{number}")
    assert "09-23 14:00 起停止计时" in supervisor.inner_text("#paused")
    supervisor.click("#resume")
    flashed(supervisor, "已恢复计时")
    expect(supervisor.locator("#paused")).to_have_count(0)
    ticket = ticket_row(session, number)
    assert ticket.reply_by == at(2026, 10, 9, 15) and ticket.paused_at is None


def test_a_unit_files_appeals_and_the_supervisor_accepts_one_and_rejects_one(open_as, desk, clock, session):
    late, other = signed_call(desk, clock), signed_call(desk, clock)
    clock.set(at(2026, 10, 8, 10))
    desk._run(lambda session, policy, now: [workflow.reply(session, ticket_row(session, n), "已修复", user(session, "zjj"),
                                                           now, policy=policy) for n in (late, other)])
    clock.set(at(2026, 10, 8, 12))
    desk._run(lambda session, policy, now: publishing.publish(session, ReportKind.MONTHLY, "2026-09", policy, now,
                                                              user(session, "supervisor")))
    clock.set(at(2026, 10, 9, 10))
    unit = open_as("zjj")
    unit.goto("/department/appeals")
    for number in (late, other):
        unit.fill("#ap-ticket", number)
        unit.fill("#ap-period", "2026-09")
        unit.select_option("#ap-item", "late_reply")
        unit.fill("#ap-reason", "市民要求延后上门")
        unit.click("#file-appeal")
        flashed(unit, f"工单 {number} 的核减申请已提交")
    clock.set(at(2026, 10, 10, 10))
    supervisor = open_as("supervisor")
    supervisor.goto("/supervisor/appeals?status=pending")
    rows = {n: supervisor.locator("tr", has_text=n) for n in (late, other)}
    rows[late].locator("button", has_text="核减").click()
    flashed(supervisor, "已通过，通报已发布新版本")
    supervisor.locator("tr", has_text=other).locator("button", has_text="驳回").click()
    flashed(supervisor, "已驳回")
    supervisor.goto("/supervisor/reports/monthly?period=2026-09")
    assert "第 2 版" in supervisor.inner_text("main")
    assert late in supervisor.inner_text("#appeal-figures")
    unit.goto("/department/appeals")
    assert "已核减" in unit.inner_text("#appeals") and "已驳回" in unit.inner_text("#appeals")


def test_an_operator_hands_a_call_to_119(open_as, clock, session):
    clock.set(at(2026, 9, 10, 15))
    operator = open_as("operator")
    operator.fill("#caller_phone", "13812345678")
    operator.fill("#content", "楼下餐馆厨房起火，浓烟很大")
    operator.click("#emergency summary")
    operator.select_option("#emergency_service", "119")
    operator.fill("#emergency_note", "已告知地址：雁峰区先锋路 12 号，无人员被困")
    operator.click("#submit-call")
    assert "已转交 119 火警 处置" in operator.inner_text("#created")
    ticket = ticket_row(session, operator.inner_text("#created-number"))
    assert ticket.status == TicketStatus.CLOSED and ticket.emergency_service == "119"
    supervisor = open_as("supervisor")
    supervisor.goto("/supervisor/emergencies")
    supervisor.select_option("#service", "119")
    supervisor.click("button:has-text('筛选')")
    assert ticket.number in supervisor.inner_text("#emergencies")
