"""The centre's ticket page: 标记疑难 (主任督办) by supervisors and dispatchers; 一企一档 from a ticket."""
import re

from models import EventAction
from tests.builders import ticket_row

from .conftest import MANUAL, text

pytestmark = MANUAL  # every call waits for the dispatcher, so no unit's clock complicates the scene

CODE = "91430400MA4L8XXX0J"
COMPANY = {"appeal_type": "complaint", "enterprise_name": "衡阳某某机械有限公司", "enterprise_credit_code": CODE,
           "content": "企业反映园区道路破损严重，货车进出困难，影响正常生产经营，请尽快修复。"}


def test_supervisor_flags_a_ticket_as_difficult_with_a_reason(pages, session):
    """The flag is set through the workflow (an event with the reason); the page then shows it, not the form."""
    number = pages.new_call()
    reason = "涉及住建、城管、街道三家单位，历史遗留问题"
    response = pages.post("supervisor", f"/tickets/{number}/difficult", {"reason": reason})
    assert response.status_code == 302 and response.headers["Location"] == f"/tickets/{number}"
    ticket = ticket_row(session, number)
    assert ticket.difficult
    event = ticket.events[-1]
    assert event.action == EventAction.FLAGGED_DIFFICULT and event.note == reason
    body = text(pages.get("supervisor", f"/tickets/{number}"))
    assert "已标记为疑难工单（主任督办）" in body
    assert "疑难 · 主任督办" in body and reason in body
    assert 'id="flag-difficult"' not in body  # flagged once: no second button


def test_dispatcher_sees_the_button_and_others_do_not(pages):
    """Supervisors and dispatchers get the form; an operator gets neither the form nor the action."""
    number = pages.new_call()
    assert 'id="flag-difficult"' in text(pages.get("dispatcher", f"/tickets/{number}"))
    assert f"/tickets/{number}#difficult" in text(pages.get("dispatcher", f"/dispatcher/tickets/{number}"))
    assert 'id="flag-difficult"' not in text(pages.get("operator", f"/tickets/{number}"))
    assert pages.post("operator", f"/tickets/{number}/difficult", {"reason": "试试"}).status_code == 403


def test_an_empty_reason_is_refused_and_the_page_keeps_the_form(pages, session):
    """Blank reason: 400, the message next to the field, nothing flagged."""
    number = pages.new_call()
    response = pages.post("dispatcher", f"/tickets/{number}/difficult", {"reason": "   "})
    assert response.status_code == 400
    body = text(response)
    assert "标记疑难必须填写原因" in body and 'aria-invalid="true"' in body
    assert not ticket_row(session, number).difficult


def test_a_too_long_reason_is_refused_and_kept_as_typed(pages, session):
    """What was typed stays in the box, so nothing is lost to a refusal."""
    number = pages.new_call()
    reason = "多部门职责交叉" * 200  # 1400 characters, over the 1000 allowed
    response = pages.post("supervisor", f"/tickets/{number}/difficult", {"reason": reason})
    assert response.status_code == 400
    body = text(response)
    assert "原因最多 1000 字" in body and reason in body
    assert not ticket_row(session, number).difficult


def test_flagging_twice_says_it_is_already_flagged(pages):
    """The second flag is a 409 with the workflow's refusal in Chinese."""
    number = pages.new_call()
    assert pages.post("supervisor", f"/tickets/{number}/difficult", {"reason": "多部门推诿"}).status_code == 302
    response = pages.post("dispatcher", f"/tickets/{number}/difficult", {"reason": "再次标记"})
    assert response.status_code == 409
    assert f"工单 {number} 已标记为疑难（主任督办），无需重复标记" in text(response)


def test_every_ticket_page_of_an_enterprise_links_its_history(pages):
    """The centre's ticket page and the dispatcher's page link to 一企一档; plain calls do not."""
    number = pages.new_call(**COMPANY)
    link = f'href="/enterprises/{CODE}"'
    assert link in text(pages.get("operator", f"/tickets/{number}"))
    assert link in text(pages.get("dispatcher", f"/dispatcher/tickets/{number}"))
    plain = pages.new_call()
    assert "/enterprises/" not in text(pages.get("supervisor", f"/tickets/{plain}"))


def test_enterprise_history_lists_its_appeals_with_totals(pages):
    """Both appeals, newest first, linked to their ticket pages, with the totals; for every centre role."""
    first = pages.new_call(**COMPANY)
    second = pages.new_call(**{**COMPANY, "appeal_type": "consultation", "content": "咨询企业开办补贴政策申报条件。"})
    for user in ("operator", "dispatcher", "supervisor", "admin"):
        response = pages.get(user, f"/enterprises/{CODE.lower()}")  # the code is normalised
        assert response.status_code == 200, user
    body = text(response)
    assert "一企一档：衡阳某某机械有限公司" in body
    rows = re.findall(r'href="/tickets/(\d+)"', body)
    assert rows == [second, first]
    totals = dict(re.findall(r'<div class="k">(\S+)</div><div class="v">(\d+)</div>', body))
    assert totals["诉求总数"] == "2" and totals["办理中"] == "2"


def test_enterprise_history_is_for_the_centre_only(pages):
    """A unit's user is refused (403), as the brief limits the page to the centre's staff."""
    pages.new_call(**COMPANY)
    assert pages.get("zjj", f"/enterprises/{CODE}").status_code == 403


def test_a_malformed_or_unknown_code_says_so_on_the_page(pages):
    """400 for a malformed code, 404 for a code with no appeals: a message in the layout, never a 500."""
    malformed = pages.get("supervisor", "/enterprises/12345")
    assert malformed.status_code == 400
    assert "「12345」不是有效的统一社会信用代码" in text(malformed)
    unknown = pages.get("supervisor", "/enterprises/91430400MA4L12345X")
    assert unknown.status_code == 404
    assert "没有统一社会信用代码为 91430400MA4L12345X 的企业诉求记录" in text(unknown)
    assert "退出" in text(unknown)  # the normal layout with the menu, not a bare error
