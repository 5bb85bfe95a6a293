"""A unit's inbox (flag, time left, sort, filter) and ticket page (sign, return, extension, reply)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from models import ExtensionRequest, TicketStatus
from tests.builders import ticket_row

from .conftest import MANUAL, SMALL_PAGES, text

pytestmark = MANUAL


def test_inbox_shows_own_tickets_with_flag_and_time_left(pages, clock):
    mine = pages.dispatched_call("zjj")
    other = pages.dispatched_call("jtj", caller_phone="13900000001", content="公交站台破损无人修理")
    body = text(pages.get("zjj", "/department/"))
    assert mine in body and other not in body
    assert "flag-green" in body and "绿旗" in body
    assert "剩 2小时" in body  # sign within 2 working hours of Monday 09:00
    clock.set(clock.now + timedelta(hours=3))
    late = text(pages.get("zjj", "/department/"))
    assert "flag-red" in late and "超 1小时" in late


def test_inbox_filters_and_sorts_on_the_server(pages, clock):
    first = pages.dispatched_call("zjj")
    urgent = pages.dispatched_call("zjj", caller_phone="13900000002", urgency="urgent", content="燃气管道漏气，情况紧急")
    body = text(pages.get("zjj", "/department/?urgency=urgent"))
    assert urgent in body and first not in body
    by_due = text(pages.get("zjj", "/department/?sort=due"))
    assert by_due.index(urgent) < by_due.index(first)  # 24 h beats 5 working days
    oldest = text(pages.get("zjj", "/department/?sort=old&urgency="))
    assert oldest.index(first) < oldest.index(urgent)
    assert 'href="/department/?sort=sign&amp;urgency="' in oldest  # the column headings sort too
    clock.set(clock.now + timedelta(hours=1))  # the urgent 30-minute sign limit has passed
    red = text(pages.get("zjj", "/department/?flag=red"))
    assert urgent in red and first not in red
    bad = pages.get("zjj", "/department/?sort=sideways&number=abc")
    assert bad.status_code == 400 and "工单编号是一串数字" in text(bad)


def test_another_units_ticket_is_not_found(pages):
    number = pages.dispatched_call("jtj")
    response = pages.get("zjj", f"/department/tickets/{number}")
    assert response.status_code == 404
    assert f"找不到工单 {number}" in text(response)
    assert pages.post("zjj", f"/department/tickets/{number}/sign").status_code == 404


def test_ticket_page_masks_the_callers_phone(pages):
    number = pages.dispatched_call()
    body = text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "138****5678" in body and "13812345678" not in body


def test_sign_then_reply(pages, session):
    number = pages.dispatched_call()
    response = pages.post("zjj", f"/department/tickets/{number}/sign", follow_redirects=True)
    assert f"工单 {number} 已签收" in text(response)
    assert ticket_row(session, number).status == TicketStatus.SIGNED
    response = pages.post("zjj", f"/department/tickets/{number}/reply", {"rep-reply": "已督促物业维修，墙皮已修复。"},
                          follow_redirects=True)
    assert "已办结回复" in text(response)
    ticket = ticket_row(session, number)
    assert ticket.status == TicketStatus.REPLIED and ticket.reply == "已督促物业维修，墙皮已修复。"
    history = text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "签收" in history and "办结回复" in history


def test_signing_twice_says_why_not(pages):
    number = pages.dispatched_call()
    pages.post("zjj", f"/department/tickets/{number}/sign")
    response = pages.post("zjj", f"/department/tickets/{number}/sign")
    assert response.status_code == 409
    assert "当前状态为「办理中」，不能签收" in text(response)


def test_empty_reply_keeps_the_page_with_the_message(pages):
    number = pages.dispatched_call()
    pages.post("zjj", f"/department/tickets/{number}/sign")
    response = pages.post("zjj", f"/department/tickets/{number}/reply", {"rep-reply": "   "})
    assert response.status_code == 400
    assert "请填写办理结果" in text(response)


def test_return_needs_a_reason_and_keeps_it(pages, session):
    number = pages.dispatched_call()
    response = pages.post("zjj", f"/department/tickets/{number}/return", {"ret-reason_code": "not_ours", "ret-reason": ""})
    assert response.status_code == 400
    assert "退单必须填写原因" in text(response)
    response = pages.post("zjj", f"/department/tickets/{number}/return", {"ret-reason_code": "not_ours", "ret-reason": "属交通部门职责"})
    assert response.status_code == 302
    ticket = ticket_row(session, number)
    assert ticket.status == TicketStatus.PENDING_DISPATCH and ticket.return_count == 1


def test_no_third_return(pages, app):
    number = pages.dispatched_call()
    for _ in range(2):
        pages.post("zjj", f"/department/tickets/{number}/return", {"ret-reason_code": "not_ours", "ret-reason": "不属于本单位"})
        pages.post("dispatcher", f"/dispatcher/tickets/{number}/assign", {"department": "zjj"})
    body = text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "不能再退" in body
    response = pages.post("zjj", f"/department/tickets/{number}/return", {"ret-reason_code": "other", "ret-reason": "还是不属于"})
    assert response.status_code == 409
    assert f"工单 {number} 已退回 2 次（最多 2 次），不能再退，请办理。" in text(response)


def test_extension_request_checks_days_and_keeps_the_reason(pages, session):
    number = pages.dispatched_call()
    response = pages.post("zjj", f"/department/tickets/{number}/extension",
                          {"ext-working_days": "abc", "ext-reason": "需协调多个部门"})
    assert response.status_code == 400
    body = text(response)
    assert "不是有效的整数" in body
    assert "需协调多个部门" in body
    response = pages.post("zjj", f"/department/tickets/{number}/extension",
                          {"ext-working_days": "30", "ext-reason": "需协调多个部门"})
    assert response.status_code == 400
    assert "延期天数须在 1 到 15 个工作日之间" in text(response)
    response = pages.post("zjj", f"/department/tickets/{number}/extension",
                          {"ext-working_days": "5", "ext-reason": "需协调多个部门"}, follow_redirects=True)
    assert "等待督办审批" in text(response)
    assert session.scalar(select(ExtensionRequest)).working_days == 5


@SMALL_PAGES
def test_inbox_pages_on_the_server(pages):
    for index in range(4):
        pages.dispatched_call(caller_phone=f"137{index:08d}", content=f"第{index}号：小区电梯经常故障。")
    body = text(pages.get("zjj", "/department/?page=2"))
    assert "共 4 条" in body and "第 2/2 页" in body and len(re.findall(r'<tr id="t-', body)) == 1


@pytest.mark.app_config(MAX_EXTENSION_WORKING_DAYS=40)
def test_the_extension_form_follows_the_setting(pages, session):
    number = pages.dispatched_call()
    assert 'max="40"' in pages.get("zjj", f"/department/tickets/{number}").get_data(as_text=True)
    response = pages.post("zjj", f"/department/tickets/{number}/extension",
                          {"ext-working_days": "40", "ext-reason": "大型工程需协调"})
    assert response.status_code == 302  # the form no longer caps the days at a number of its own
    assert session.scalar(select(ExtensionRequest)).working_days == 40


def test_the_inbox_shows_a_pending_extension_and_an_enterprise_appeal(pages):
    number = pages.dispatched_call("zjj", enterprise_name="衡阳某某公司", enterprise_credit_code="91430400MA4L12345X")
    pages.post("zjj", f"/department/tickets/{number}/extension", {"ext-working_days": "3", "ext-reason": "需现场勘查"})
    row = text(pages.get("zjj", "/department/")).split(f'id="t-{number}"')[1].split("</tr>")[0]
    assert "延期待批" in row and "涉企" in row
