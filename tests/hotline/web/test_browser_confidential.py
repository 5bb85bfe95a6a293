"""Issue 12's page actions (保密 reveal, 整改清单 by the unit, 销号 with a reason, 合并件回访) in a real browser."""
from __future__ import annotations

from datetime import timedelta

import pytest

from models import EventAction, SupervisionCase, SupervisionLevel, SupervisionStatus
from tests.builders import ticket_row

from .conftest import CALL
from .test_browser import flashed, open_as, server  # noqa: F401  (the fixtures; `browser` is conftest's)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.app_config(WTF_CSRF_ENABLED=True, AUTO_DISPATCH_THRESHOLD=1.01),
]


def test_operator_marks_a_caller_confidential_and_a_supervisor_reveals_it(open_as, desk, session):
    page = open_as("operator")
    page.fill("#caller_phone", CALL["caller_phone"])
    page.fill("#caller_name", "王建国")
    page.fill("#address", CALL["address"])
    page.fill("#content", CALL["content"])
    page.check("#confidential")
    page.click("#submit-call")
    number = page.inner_text("#created-number")
    assert ticket_row(session, number).confidential
    desk.assign(number)

    unit = open_as("zjj")
    unit.goto(f"/department/tickets/{number}")
    facts = unit.inner_text(".facts")
    assert "来电人要求保密" in facts and "王建国" not in facts and "5678" not in facts
    assert unit.locator("#reveal-identity").count() == 0

    supervisor = open_as("supervisor")
    supervisor.goto(f"/tickets/{number}")
    assert "王**" in supervisor.inner_text(".facts") and "138****5678" in supervisor.inner_text(".facts")
    supervisor.click("#reveal-identity")
    supervisor.wait_for_selector("text=王建国")
    assert "13812345678" in supervisor.inner_text(".facts")
    session.expire_all()
    assert ticket_row(session, number).events[-1].action == EventAction.IDENTITY_VIEWED


def _case(session, number: str, now) -> int:
    ticket = ticket_row(session, number)
    case = SupervisionCase(quarter="2026Q4", ticket=ticket, department_id=ticket.department_id, reasons=["difficult"],
                           level=SupervisionLevel.DEPARTMENT_HEAD, status=SupervisionStatus.OPEN, problem="楼道墙皮反复脱落",
                           responsible_person="张科长", rectification=[], deadline=now + timedelta(days=10),
                           opened_at=now)
    session.add(case)
    session.commit()
    return case.id


def test_unit_fills_in_its_rectification_steps_and_the_supervisor_closes_with_a_reason(open_as, desk, session, app):
    number = desk.call()
    desk.assign(number)
    case_id = _case(session, number, app.config["CLOCK"]())
    unit = open_as("zjj")
    unit.click("nav >> text=督办件")
    unit.click(f"#case-{case_id} a >> text={case_id}")
    unit.fill("#steps-0-action", "约谈物业公司，限期维修")
    unit.fill("#steps-0-deadline", "2026-11-20")
    unit.check("#steps-0-done")
    unit.click("#save-steps")
    flashed(unit, f"督办件 {case_id} 的整改清单已保存")
    assert unit.input_value("#steps-0-action") == "约谈物业公司，限期维修"

    supervisor = open_as("supervisor")
    supervisor.goto(f"/supervisor/cases/{case_id}")
    supervisor.fill("#resolution", "已督促整改到位")
    supervisor.click("button:has-text('销号')")
    assert "仍未办结" in supervisor.inner_text("main")
    supervisor.fill("#open_ticket_reason", "整改已落实，工单待住建局回复")
    supervisor.click("button:has-text('销号')")
    flashed(supervisor, f"督办件 {case_id} 已销号")
    session.expire_all()
    assert session.get(SupervisionCase, case_id).status == SupervisionStatus.CLOSED


def test_supervisor_calls_back_a_merged_duplicates_caller(open_as, desk, session):
    original = desk.call()
    desk.assign(original)
    desk.reply(original)
    duplicate = desk.call(caller_phone="13900009999", content="小区楼道墙皮又掉了，物业还是不维修，请尽快处理。")
    dispatcher = open_as("dispatcher")
    dispatcher.goto(f"/dispatcher/tickets/{duplicate}")
    dispatcher.fill("#original", original)
    dispatcher.click("button:has-text('并入原工单')")
    flashed(dispatcher, f"工单 {duplicate} 已并入 {original}")

    supervisor = open_as("supervisor")
    for key in ("1", "Tab", "1", "Tab", "1", "Tab", "Enter"):  # the original: reached, solved, 满意, save
        supervisor.keyboard.press(key)
    flashed(supervisor, f"工单 {original} 回访已记录")
    row = supervisor.locator(f"#m-{duplicate}")
    assert "13900009999" in row.inner_text()
    row.locator("select").nth(0).select_option("1")
    row.locator("select").nth(1).select_option("1")
    row.locator("select").nth(2).select_option("satisfied")
    row.locator("button", has_text="保存").click()
    flashed(supervisor, f"合并件 {duplicate} 的来电人回访已记录")
    session.expire_all()
    assert ticket_row(session, duplicate).events[-1].action == EventAction.CALLED_BACK_WITH_ORIGINAL
