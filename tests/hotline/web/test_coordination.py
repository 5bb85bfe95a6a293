"""The ticket pages' 分级, co-unit part, handler and notes forms, and the unit inbox's handler views and markers."""
from datetime import timedelta

from hotline.services import workflow
from models import EventAction, TicketGrade
from tests.builders import ticket_row, unit_user

from .conftest import CALL, MANUAL, text

pytestmark = MANUAL


def test_a_dispatcher_grades_c_with_a_co_unit_that_then_replies_its_part(pages, session):
    number = pages.dispatched_call("zjj")
    page = text(pages.get("dispatcher", f"/tickets/{number}"))
    assert 'id="grade-form"' in page and "B 级 · 单一部门" in page and "部门办" in page
    response = pages.post("dispatcher", f"/coordination/{number}/grade",
                          {"grade": "C", "co_units": ["jtj", "sthjj"], "next": f"/tickets/{number}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/tickets/{number}"
    ticket = ticket_row(session, number)
    assert ticket.grade == TicketGrade.C and [c.department.code for c in ticket.co_units] == ["jtj", "sthjj"]
    assert "分级已保存" in text(pages.get("dispatcher", f"/tickets/{number}"))
    # The co-unit finds it in its inbox, marked new (its part awaited), counted new by the live poll, and announced.
    inbox = text(pages.get("jtj", "/department/"))
    assert number in inbox and "新 · 待协办意见" in inbox
    live = pages.get("jtj", "/live/counts").json
    assert live["counts"]["new"] == 1 and live["latest"]["number"] == number
    co_page = text(pages.get("jtj", f"/department/tickets/{number}"))
    assert 'id="co-reply"' in co_page and 'id="sign"' not in co_page and "退回派单员" not in co_page
    response = pages.post("jtj", f"/coordination/{number}/co-reply", {"reply": "公交站点已配合迁移。"})
    assert response.status_code == 302 and response.headers["Location"] == f"/department/tickets/{number}"
    assert ticket_row(session, number).events[-1].action == EventAction.CO_UNIT_REPLIED
    assert "新 · 待协办意见" not in text(pages.get("jtj", "/department/"))
    assert pages.get("jtj", "/live/counts").json["counts"]["new"] == 0
    lead_page = text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "公交站点已配合迁移。" in lead_page and 'id="sign"' in lead_page


def test_refusals_come_back_in_chinese(pages, session):
    number = pages.dispatched_call("zjj")
    response = pages.post("supervisor", f"/coordination/{number}/grade", {"grade": "C", "next": f"/tickets/{number}"})
    assert response.status_code == 302
    assert "C 级须至少选择一个协办单位" in text(pages.get("supervisor", f"/tickets/{number}"))
    assert ticket_row(session, number).grade == TicketGrade.B
    assert pages.post("operator", f"/coordination/{number}/grade", {"grade": "D"}).status_code == 403
    pages.post("zjj", f"/coordination/{number}/co-reply", {"reply": "我是主办"})
    assert "不是工单" in text(pages.get("zjj", f"/department/tickets/{number}"))


def test_handlers_take_reassign_and_the_inbox_views(pages, session, demo_password_hash):
    unit_user(session, "zjj_li", password_hash=demo_password_hash)
    session.commit()
    mine, other = pages.dispatched_call("zjj"), pages.dispatched_call("zjj", caller_phone="13700000002")
    assert 'id="take"' in text(pages.get("zjj", f"/department/tickets/{mine}"))
    assert pages.post("zjj", f"/coordination/{mine}/handler", {"username": "zjj"}).status_code == 302
    assert ticket_row(session, mine).handler.username == "zjj"
    pages.post("zjj", f"/coordination/{mine}/handler", {"username": "zjj_li"})
    assert ticket_row(session, mine).handler.username == "zjj_li"
    assert "由 zjj 改派给 zjj_li" in text(pages.get("zjj", f"/department/tickets/{mine}"))
    pages.post("zjj", f"/coordination/{other}/handler", {"round_robin": "y"})
    assert ticket_row(session, other).handler.username == "zjj"
    assert mine in text(pages.get("zjj_li", "/department/?handler=me"))
    assert other not in text(pages.get("zjj_li", "/department/?handler=me"))
    assert mine not in text(pages.get("zjj", "/department/?handler=none"))
    assert pages.get("zjj", "/department/?handler=all").status_code == 400


def test_notes_and_urges_show_to_the_unit_on_the_ticket_and_in_the_inbox(pages, session, app):
    number = pages.dispatched_call("zjj")
    response = pages.post("dispatcher", f"/coordination/{number}/notes", {"body": "市民再次来电，情绪激动。"})
    assert response.status_code == 302 and response.headers["Location"] == f"/tickets/{number}"
    ticket = ticket_row(session, number)
    workflow.record_escalations(session, "sign", [(ticket.id, ticket.status, ticket.department_id, ticket.sign_by)],
                                ticket.sign_by + timedelta(minutes=1))
    session.commit()
    page = text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "市民再次来电，情绪激动。" in page and "热线中心" in page and "超过签收时限（催办）" in page
    inbox = text(pages.get("zjj", "/department/"))
    assert "催办 1" in inbox and "备注 1" in inbox
    pages.post("zjj", f"/coordination/{number}/notes", {"body": ""})
    assert "请填写备注内容" in text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "市民再次来电" in text(pages.get("supervisor", f"/tickets/{number}"))


def test_the_operator_enters_a_grade_with_the_call(pages, session):
    number = pages.new_call(grade="D")
    assert ticket_row(session, number).grade == TicketGrade.D
    assert ticket_row(session, pages.new_call(caller_phone="13700000003")).grade == TicketGrade.B
    response = pages.post("operator", "/operator/", {**CALL, "grade": "C", "resolved_on_call": "y", "reply": "已答复"})
    assert response.status_code == 400 and "即来即办的工单为 A 级" in text(response)


def test_the_dispatcher_grades_a_waiting_call_from_the_dispatch_page(pages, session):
    number = pages.new_call()
    page = text(pages.get("dispatcher", f"/dispatcher/tickets/{number}"))
    assert 'id="grade-form"' in page
    back = f"/dispatcher/tickets/{number}"
    response = pages.post("dispatcher", f"/coordination/{number}/grade", {"grade": "D", "next": back})
    assert response.status_code == 302 and response.headers["Location"] == back
    assert ticket_row(session, number).grade == TicketGrade.D
    assert "市领导办" in text(pages.get("dispatcher", back))
