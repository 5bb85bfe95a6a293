"""回头看, 集中交办 and the hosted channels in a real browser (see test_browser.py for the set-up)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hotline.services import workflow
from models import Batch, Revisit, RevisitStatus, Satisfaction, Ticket, TicketStatus
from tests.builders import ticket_row, user

from .conftest import CALL
from .test_browser import browser, flashed, open_as, server, shot  # noqa: F401  (the browser fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.app_config(WTF_CSRF_ENABLED=True, AUTO_DISPATCH_THRESHOLD=1.01)]


def closed_by_zjj(desk, session) -> str:
    """A call zjj replied to, called back satisfied: closed."""
    number = desk.call()
    desk.assign(number)
    desk.reply(number)
    desk._run(lambda s, policy, now: workflow.record_callback(
        s, ticket_row(s, number), user(s, "supervisor"), policy, now, reached=True, solved=True,
        satisfaction=Satisfaction.SATISFIED))
    return number


def test_supervisor_records_a_revisit_that_did_not_hold(open_as, desk, session, clock):  # noqa: F811
    number = closed_by_zjj(desk, session)
    ticket = ticket_row(session, number)
    later = clock.now + timedelta(days=15)
    session.add(Revisit(ticket_id=ticket.id, period="2026-11", department_id=ticket.department_id,
                        closed_at=ticket.closed_at, selected_at=later, selected_day=later.date(),
                        status=RevisitStatus.PENDING, comment=""))
    session.commit()
    clock.set(later)
    page = open_as("supervisor")
    page.click("nav >> text=回头看")
    row = page.locator(f"#rv-{number}")
    assert "13812345678" in row.inner_text() and "墙皮已修复" in row.inner_text()
    shot(page, "supervisor-revisits")
    row.locator("select").select_option("0")
    row.locator("input[type=text]").fill("楼道墙皮又脱落了")
    row.locator("input[type=text]").press("Enter")
    flashed(page, f"工单 {number} 回头看已记录：问题反弹，已转原承办单位重办")
    session.expire_all()
    reopened = ticket_row(session, number)
    assert reopened.status == TicketStatus.DISPATCHED and reopened.department.code == "zjj"


def test_supervisor_hands_a_cluster_over_and_closes_the_batch(open_as, desk, session):  # noqa: F811
    root = desk.call()
    desk.assign(root)
    repeats = [desk.call(caller_phone=f"1370000000{i}", content=f"第{i}次反映：小区楼道墙皮脱落，物业不修。")
               for i in (1, 2)]
    root_id = ticket_row(session, root).id
    session.execute(update(Ticket).where(Ticket.number.in_(repeats)).values(repeat_of_id=root_id))
    session.execute(update(Ticket).where(Ticket.id == root_id).values(repeat_count=2))
    session.commit()
    page = open_as("supervisor")
    page.click("nav >> text=集中交办")
    assert page.locator(f"#cluster-{root} input[type=checkbox]:checked").count() == 3
    page.select_option("#department", "zjj")
    page.fill("#deadline", "2026-11-27")
    page.fill("#note", "同一小区反复投诉")
    shot(page, "supervisor-batches")
    page.click("button:has-text('交办所选工单')")
    flashed(page, "已交办批次")
    batch = session.scalar(select(Batch))
    assert "未办结 3 / 3 张" in page.inner_text("#open-count")
    page.click("button:has-text('销号')")
    assert "还有 3 张工单未办结" in page.inner_text("main")
    for number in (root, *repeats):
        closed = ticket_row(session, number)
        session.execute(update(Ticket).where(Ticket.id == closed.id).values(status=TicketStatus.CLOSED))
    session.commit()
    page.click("button:has-text('销号')")
    flashed(page, f"交办批次 {batch.id} 已销号")
    unit = open_as("zjj")
    unit.click("nav >> text=集中交办")
    assert "已销号" in unit.inner_text(f"#batch-{batch.id}")


def test_operator_enters_a_leader_day_call_with_its_host(open_as, session):  # noqa: F811
    page = open_as("operator")
    assert page.locator("#channel_host").is_hidden()  # a phone call has no host: the keyboard skips it
    page.fill("#caller_phone", CALL["caller_phone"])
    page.fill("#content", CALL["content"])
    page.select_option("#channel", "leader_day")
    assert page.locator("#channel_host").is_visible()
    page.locator("#content").press("Control+Enter")  # submit from the text area, as operators do
    assert "须填写接听领导或活动名称" in page.inner_text("#channel-host-field")
    page.fill("#channel_host", "张市长")
    page.locator("#content").press("Control+Enter")
    number = page.inner_text("#created-number")
    ticket = ticket_row(session, number)
    assert (ticket.channel.value, ticket.channel_host) == ("leader_day", "张市长")
