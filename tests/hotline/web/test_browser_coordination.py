"""分级, a co-unit's part, handlers and notes in a real browser (the fixtures of test_browser.py, CSRF on)."""
from __future__ import annotations

import pytest

from models import EventAction, TicketGrade
from tests.builders import ticket_row, unit_user

from .test_browser import ARGS, CHROMIUM, browser, flashed, open_as, server  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.app_config(WTF_CSRF_ENABLED=True, AUTO_DISPATCH_THRESHOLD=1.01),
]


def test_supervisor_grades_c_and_the_co_unit_replies_its_part(open_as, desk, session):
    number = desk.call()
    desk.assign(number, "zjj")
    page = open_as("supervisor")
    page.goto(f"/tickets/{number}")
    assert "部门办" in page.inner_text("#supervised-by")
    page.select_option("#grade-select", "C")
    page.check("#grade-form input[value=jtj]")
    page.click("#save-grade")
    flashed(page, "分级已保存")
    assert "C 级" in page.inner_text("#grade-badge") and "市交通运输局" in page.inner_text("#co-units")
    unit = open_as("jtj")
    unit.goto("/department/")
    unit.click(f"text={number}")
    unit.fill("#part-reply", "已将公交站点迁移，配合完成。")
    unit.click("#co-reply")
    flashed(unit, "协办意见已提交")
    assert "已回复" in unit.inner_text("#co-units")
    session.expire_all()
    ticket = ticket_row(session, number)
    assert ticket.grade == TicketGrade.C and ticket.events[-1].action == EventAction.CO_UNIT_REPLIED


def test_handler_takes_reassigns_and_the_unit_writes_a_note(open_as, desk, session, demo_password_hash):
    unit_user(session, "zjj_li", password_hash=demo_password_hash)
    session.commit()
    number = desk.call()
    desk.assign(number, "zjj")
    page = open_as("zjj")
    page.goto(f"/department/tickets/{number}")
    page.click("#take")
    flashed(page, "承办人已更新")
    assert "zjj" in page.inner_text("#handler-name")
    page.select_option("#handler-select", "zjj_li")
    page.click("#assign-handler")
    flashed(page, "承办人已更新")
    assert "zjj_li" in page.inner_text("#handler-name")
    page.fill("#note-body", "已约物业明日上门查看。")
    page.click("#add-note")
    flashed(page, "备注已添加")
    assert "已约物业明日上门查看。" in page.inner_text("#note-list")
    page.goto("/department/?handler=none")
    assert number not in page.inner_text("main")
    colleague = open_as("zjj_li")
    colleague.goto("/department/?handler=me")
    assert "备注 1" in colleague.inner_text(f"#t-{number}")
    centre = open_as("dispatcher")
    centre.goto(f"/tickets/{number}")
    assert "已约物业明日上门查看。" in centre.inner_text("#note-list")
    session.expire_all()
    assert ticket_row(session, number).handler.username == "zjj_li"
