"""保密 on the pages: the operator's checkbox, a unit's ticket page, the centre's masked views and the reveal (an event)."""
from models import EventAction
from tests.builders import actions, ticket_row

from .conftest import MANUAL, text

pytestmark = MANUAL

SECRET = {"caller_name": "王建国", "caller_phone": "13812345678", "address": "衡阳市雁峰区先锋街道某小区3栋",
          "district": "雁峰区", "confidential": "y"}


def leaks(body: str) -> list[str]:
    """Which parts of the caller's identity a page shows."""
    return [part for part in ("王建国", "13812345678", "5678", "某小区3栋") if part in body]


def test_the_operator_marks_the_caller_confidential(pages, session):
    assert 'name="confidential"' in text(pages.get("operator", "/operator/"))
    assert ticket_row(session, pages.new_call(**SECRET)).confidential
    assert not ticket_row(session, pages.new_call(caller_phone="13900001111")).confidential


def test_a_unit_sees_neither_name_nor_phone_nor_address_on_its_pages(pages):
    number = pages.dispatched_call(**SECRET)
    page = text(pages.get("zjj", f"/department/tickets/{number}"))
    assert "来电人要求保密" in page and "雁峰区" in page and leaks(page) == []
    assert "查看来电人信息" not in page
    assert leaks(text(pages.get("zjj", "/department/"))) == []
    assert pages.post("zjj", f"/tickets/{number}/identity").status_code == 403


def test_centre_staff_see_it_masked_until_they_reveal_it(pages, session):
    number = pages.dispatched_call(**SECRET)
    for path in (f"/tickets/{number}", "/tickets/?caller_phone=13812345678", f"/dispatcher/tickets/{number}"):
        body = text(pages.get("dispatcher", path))
        assert "王**" in body and "138****5678" in body and "王建国" not in body, path
    assert EventAction.IDENTITY_VIEWED not in actions(ticket_row(session, number))

    shown = pages.post("supervisor", f"/tickets/{number}/identity")
    assert shown.status_code == 200
    assert "王建国" in text(shown) and "13812345678" in text(shown) and "某小区3栋" in text(shown)
    ticket = ticket_row(session, number)
    assert actions(ticket)[-1] == EventAction.IDENTITY_VIEWED and ticket.events[-1].actor.username == "supervisor"
    again = text(pages.get("supervisor", f"/tickets/{number}"))  # a reload is masked again; the look is in the history
    assert "王建国" not in again and "查看保密来电人信息" in again


def test_the_callback_list_masks_the_caller_and_links_to_the_reveal(pages):
    number = pages.replied_call(**SECRET)
    body = text(pages.get("supervisor", "/supervisor/?scope=all"))
    assert number in body and "138****5678" in body and "王建国" not in body and "在工单页查看号码" in body
