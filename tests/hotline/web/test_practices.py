"""The pages of 挂起, 申诉/核减 and the emergency hand-off (test client; the browser drives them in test_browser_practices)."""
from sqlalchemy import select

from models import CountAppeal, CountAppealStatus, EventAction, TicketStatus
from tests.builders import actions, at, ticket_row

from .conftest import CALL, MANUAL, text

TUESDAY = at(2026, 9, 22, 9)


def signed_call(pages, clock) -> str:
    clock.set(TUESDAY)
    number = pages.dispatched_call()
    assert pages.post("zjj", f"/department/tickets/{number}/sign").status_code == 302
    return number


@MANUAL
def test_a_unit_pauses_a_supervisor_approves_the_unit_resumes(pages, clock, session):
    number = signed_call(pages, clock)
    page = text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "申请挂起" in page and "最多 20 个工作日" in page
    clock.set(at(2026, 9, 23, 10))
    asked = pages.post("zjj", f"/department/tickets/{number}/pause",
                       {"pause-reason": "waiting_citizen", "pause-note": "等待市民提供产权证明", "pause-working_days": "3"})
    assert asked.status_code == 302
    listed = text(pages.get("supervisor", "/supervisor/pauses"))
    assert number in listed and "等待市民提供产权证明" in listed and "最长 <b>3</b> 个工作日" in listed
    clock.set(at(2026, 9, 23, 14))
    assert pages.post("supervisor", f"/supervisor/pauses/{number}/approve", {f"pa{number}-note": "同意"}).status_code == 302
    page = text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "挂起中" in page and "09-23 14:00 起停止计时" in page
    clock.set(at(2026, 9, 29, 10))
    assert pages.post("zjj", f"/department/tickets/{number}/resume").status_code == 302
    page = text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "已恢复计时" in page and "顺延 18.5 个工作小时" in page
    ticket = ticket_row(session, number)
    assert ticket.reply_by == at(2026, 10, 9, 15) and ticket.paused_at is None
    assert actions(ticket)[-3:] == [EventAction.PAUSE_REQUESTED, EventAction.PAUSE_APPROVED, EventAction.RESUMED]


@MANUAL
def test_a_supervisor_resumes_a_paused_ticket_from_its_page(pages, clock, session):
    number = signed_call(pages, clock)
    assert 'id="resume"' not in text(pages.get("supervisor", f"/tickets/{number}"))  # not paused: no button
    refused = pages.post("supervisor", f"/supervisor/tickets/{number}/resume")
    assert refused.status_code == 302 and "未挂起，无需恢复计时" in text(pages.get("supervisor", f"/tickets/{number}"))
    clock.set(at(2026, 9, 23, 10))
    pages.post("zjj", f"/department/tickets/{number}/pause",
               {"pause-reason": "waiting_citizen", "pause-note": "等待市民提供产权证明", "pause-working_days": "3"})
    clock.set(at(2026, 9, 23, 14))
    pages.post("supervisor", f"/supervisor/pauses/{number}/approve", {f"pa{number}-note": "同意"})
    page = text(pages.get("supervisor", f"/tickets/{number}"))
    assert "09-23 14:00 起停止计时" in page and 'id="resume"' in page
    assert 'id="resume"' not in text(pages.get("dispatcher", f"/tickets/{number}"))  # a supervisor's action only
    assert pages.post("zjj", f"/supervisor/tickets/{number}/resume").status_code == 403
    clock.set(at(2026, 9, 29, 10))
    done = pages.post("supervisor", f"/supervisor/tickets/{number}/resume")
    assert done.status_code == 302 and done.headers["Location"] == f"/tickets/{number}"
    assert "已恢复计时" in text(pages.get("supervisor", f"/tickets/{number}"))
    ticket = ticket_row(session, number)
    assert ticket.reply_by == at(2026, 10, 9, 15) and ticket.paused_at is None
    assert actions(ticket)[-1] == EventAction.RESUMED and ticket.events[-1].actor.username == "supervisor"


@MANUAL
def test_a_pause_without_a_note_is_refused_next_to_the_field(pages, clock):
    number = signed_call(pages, clock)
    refused = pages.post("zjj", f"/department/tickets/{number}/pause",
                         {"pause-reason": "other", "pause-note": "", "pause-working_days": "3"})
    assert refused.status_code == 400 and "请说明在等待什么" in text(refused)
    refused = pages.post("zjj", f"/department/tickets/{number}/pause",
                         {"pause-reason": "other", "pause-note": "等待", "pause-working_days": "30"})
    assert refused.status_code == 400 and "须在 1 到 20 之间" in text(refused)


@MANUAL
def test_a_rejected_pause_on_the_page(pages, clock, session):
    number = signed_call(pages, clock)
    pages.post("zjj", f"/department/tickets/{number}/pause",
               {"pause-reason": "waiting_third_party", "pause-note": "等待燃气公司检测", "pause-working_days": "2"})
    assert pages.post("supervisor", f"/supervisor/pauses/{number}/reject", {}).status_code == 302
    assert "已驳回" in text(pages.get("zjj", f"/department/tickets/{number}"))
    assert ticket_row(session, number).paused_at is None


@MANUAL
def test_a_unit_files_an_appeal_and_the_supervisor_accepts_it(pages, clock, session):
    number = signed_call(pages, clock)
    clock.set(at(2026, 10, 8, 10))
    assert pages.post("zjj", f"/department/tickets/{number}/reply", {"rep-reply": "已修复"}).status_code == 302
    clock.set(at(2026, 10, 8, 12))
    assert pages.post("supervisor", "/supervisor/reports/monthly/2026-09/publish", {}).status_code == 302
    clock.set(at(2026, 10, 9, 10))
    filed = pages.post("zjj", "/department/appeals", {"ap-ticket": number, "ap-period": "2026-09",
                                                        "ap-item": "late_reply", "ap-reason": "市民要求延后上门"})
    assert filed.status_code == 302, text(filed)
    own = text(pages.get("zjj", "/department/appeals"))
    assert number in own and "待审核" in own
    assert number not in text(pages.get("jtj", "/department/appeals"))  # units see their own only
    listed = text(pages.get("supervisor", "/supervisor/appeals?status=pending"))
    assert number in listed and "市民要求延后上门" in listed
    session.expire_all()
    appeal_id = session.scalar(select(CountAppeal.id))
    clock.set(at(2026, 10, 10, 10))
    assert pages.post("supervisor", f"/supervisor/appeals/{appeal_id}/accept", {f"ap{appeal_id}-note": "属实"}).status_code == 302
    session.expire_all()
    assert session.get(CountAppeal, appeal_id).status == CountAppealStatus.ACCEPTED
    report = text(pages.get("supervisor", "/supervisor/reports/monthly?period=2026-09"))
    assert "第 2 版" in report and "已核减" in report
    refused = pages.post("zjj", "/department/appeals", {"ap-ticket": number, "ap-period": "2026-09",
                                                         "ap-item": "returned", "ap-reason": "x"})
    assert refused.status_code == 400 and "没有计入本单位的「退单」" in text(refused)


@MANUAL
def test_an_operator_hands_a_call_to_120_and_supervisors_list_it(pages, clock, session):
    clock.set(at(2026, 9, 10, 15))
    number = pages.new_call(emergency_service="120", emergency_note="老人摔倒昏迷，已告知地址")
    assert "已转交 120 急救 处置" in text(pages.get("operator", f"/operator/?created={number}"))
    ticket = ticket_row(session, number)
    assert ticket.status == TicketStatus.CLOSED and ticket.emergency_service == "120" and ticket.reply_by is None
    listed = text(pages.get("supervisor", "/supervisor/emergencies?service=120"))
    assert number in listed and "老人摔倒昏迷" in listed
    assert number not in text(pages.get("supervisor", "/supervisor/emergencies?service=110"))
    assert pages.get("supervisor", "/supervisor/emergencies?service=999").status_code == 400
    refused = pages.post("operator", "/operator/", {**CALL,
                                                    "emergency_service": "110", "emergency_note": ""})
    assert refused.status_code == 400 and "不能为空" in text(refused)
    clock.set(at(2026, 10, 8, 12))
    report = text(pages.get("supervisor", "/supervisor/reports/monthly?period=2026-09"))
    assert "共 <b>1</b> 个来电转交应急处置：120 急救 1。" in report
