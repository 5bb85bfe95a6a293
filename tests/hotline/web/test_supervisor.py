"""Callbacks in a few keystrokes, extension approvals, hot-spot alerts."""
import re
from datetime import timedelta

from sqlalchemy import select

from models import Alert, TicketStatus
from tests.builders import ticket_row

from .conftest import MANUAL, SMALL_PAGES, text

pytestmark = MANUAL


def test_todays_list_shows_the_phone_and_the_reply(pages, clock):
    number = pages.replied_call()  # Monday 09:00: the callback is due by the end of the working day
    body = text(pages.get("supervisor", "/supervisor/"))
    assert number in body
    assert "13812345678" in body  # the supervisor calls the citizen back
    assert "已督促物业维修，墙皮已修复。" in body
    assert "应回访 11-16 17:30" in body


def test_a_reply_after_hours_is_due_tomorrow_not_today(pages, clock):
    clock.set(clock.now + timedelta(hours=10))  # Monday 19:00
    number = pages.replied_call()
    assert number not in text(pages.get("supervisor", "/supervisor/"))
    assert number in text(pages.get("supervisor", "/supervisor/?scope=all"))
    clock.set(clock.now + timedelta(days=1))
    assert number in text(pages.get("supervisor", "/supervisor/"))


def test_a_satisfied_callback_closes_the_ticket(pages, session):
    number = pages.replied_call()
    response = pages.post("supervisor", f"/supervisor/callbacks/{number}", {
        f"cb{number}-reached": "1", f"cb{number}-solved": "1", f"cb{number}-satisfaction": "satisfied",
        f"cb{number}-next": "/supervisor/?scope=all",
    })
    assert response.headers["Location"] == "/supervisor/?scope=all"
    assert ticket_row(session, number).status == TicketStatus.CLOSED
    assert "已办结归档" in text(pages.get("supervisor", "/supervisor/?scope=all"))


def test_an_unsatisfied_callback_reopens_to_the_same_unit(pages, session):
    number = pages.replied_call()
    pages.post("supervisor", f"/supervisor/callbacks/{number}", {
        f"cb{number}-reached": "1", f"cb{number}-solved": "0", f"cb{number}-satisfaction": "unsatisfied",
        f"cb{number}-comment": "墙皮还在掉",
    })
    ticket = ticket_row(session, number)
    assert ticket.status == TicketStatus.DISPATCHED and ticket.reopen_count == 1
    assert "重办" in text(pages.get("zjj", "/department/"))


def test_unreached_callbacks_count_up(pages, session):
    number = pages.replied_call()
    pages.post("supervisor", f"/supervisor/callbacks/{number}", {f"cb{number}-reached": "0"})
    assert ticket_row(session, number).status == TicketStatus.REPLIED
    assert "已拨 1 次未接通" in text(pages.get("supervisor", "/supervisor/?scope=all"))


def test_a_reached_callback_needs_solved_and_satisfaction_and_keeps_the_comment(pages, session):
    number = pages.replied_call()
    response = pages.post("supervisor", f"/supervisor/callbacks/{number}", {
        f"cb{number}-reached": "1", f"cb{number}-comment": "市民说还行",
        f"cb{number}-next": "/supervisor/?scope=all",
    }, query_string={"scope": "all"})
    assert response.status_code == 400
    body = text(response)
    assert "接通后请选择是否解决" in body and "接通后请选择满意度" in body
    assert 'value="市民说还行"' in body
    assert ticket_row(session, number).status == TicketStatus.REPLIED


def test_extension_approval_moves_the_deadline(pages, session):
    number = pages.dispatched_call()
    pages.post("zjj", f"/department/tickets/{number}/extension", {"ext-working_days": "3", "ext-reason": "需现场勘查"})
    before = ticket_row(session, number).reply_by
    body = text(pages.get("supervisor", "/supervisor/extensions"))
    assert number in body and "需现场勘查" in body and "市住房和城乡建设局" in body
    response = pages.post("supervisor", f"/supervisor/extensions/{number}/approve", {f"ex{number}-note": "同意"},
                          follow_redirects=True)
    assert "延期申请已批准" in text(response)
    assert ticket_row(session, number).reply_by > before
    assert "没有待审批的延期申请" in text(pages.get("supervisor", "/supervisor/extensions"))


def test_deciding_twice_says_there_is_nothing_pending(pages):
    number = pages.dispatched_call()
    pages.post("zjj", f"/department/tickets/{number}/extension", {"ext-working_days": "3", "ext-reason": "需现场勘查"})
    pages.post("supervisor", f"/supervisor/extensions/{number}/reject")
    response = pages.post("supervisor", f"/supervisor/extensions/{number}/approve")
    assert response.status_code == 409
    assert "没有待审批的延期申请" in text(response)


def test_hot_spot_alerts_can_be_acknowledged(pages, session, clock):
    session.add(Alert(category="城建", district="雁峰区", window_start=clock.now - timedelta(hours=24),
                      window_end=clock.now, ticket_count=6, created_at=clock.now))
    session.commit()
    body = text(pages.get("supervisor", "/supervisor/alerts"))
    assert "雁峰区" in body and "标记已处理" in body
    alert_id = session.scalar(select(Alert.id))
    response = pages.post("supervisor", f"/supervisor/alerts/{alert_id}/ack", follow_redirects=True)
    assert "没有未处理的热点预警" in text(response)
    assert "已处理" in text(pages.get("supervisor", "/supervisor/alerts?show=all"))
    assert pages.post("supervisor", "/supervisor/alerts/999/ack").status_code == 404


@SMALL_PAGES
def test_an_incomplete_callback_keeps_the_list_it_was_typed_on_and_the_cursor_on_the_field(pages, session):
    numbers = [pages.replied_call(caller_phone=f"1370000000{i}") for i in range(5)]
    listed = text(pages.get("supervisor", "/supervisor/?scope=all&page=2"))
    on_page_two = [n for n in numbers if f'id="t-{n}"' in listed]
    assert len(on_page_two) == 2
    number = on_page_two[-1]
    response = pages.post("supervisor", f"/supervisor/callbacks/{number}", {
        f"cb{number}-reached": "1", f"cb{number}-next": "/supervisor/?scope=all&page=2"})
    assert response.status_code == 400
    body = text(response)
    assert all(f'id="t-{n}"' in body for n in on_page_two)  # the same page of the same list
    assert "不在当前列表中" not in body
    assert "autofocus" not in body  # app.js puts the cursor on the field marked invalid instead
    solved = re.search(rf'<select[^>]*id="cb{number}-solved"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in solved


def test_alerts_are_acknowledged_in_bulk(pages, session):
    from tests.builders import at

    window = (at(2026, 11, 15), at(2026, 11, 16))
    rows = [Alert(district=d, category="城建", ticket_count=5, window_start=window[0], window_end=window[1])
            for d in ("雁峰区", "石鼓区", "蒸湘区")]
    session.add_all(rows)
    session.commit()
    ids = [a.id for a in rows]
    assert 'form="bulk-ack"' in text(pages.get("supervisor", "/supervisor/alerts"))
    response = pages.post("supervisor", "/supervisor/alerts/ack", {"alert_ids": ids[:2], "next": "/supervisor/alerts"},
                          follow_redirects=True)
    assert "已将 2 条预警标记为已处理" in text(response)
    session.expire_all()
    assert [session.get(Alert, i).acknowledged_at is not None for i in ids] == [True, True, False]
