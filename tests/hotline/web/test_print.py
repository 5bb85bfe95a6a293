"""工单打印: the ticket on paper as its reader may see it."""
from .conftest import CALL, MANUAL, text

pytestmark = MANUAL


def test_the_print_page_has_number_caller_content_deadlines_and_history(pages):
    number = pages.dispatched_call("zjj")
    body = text(pages.get("dispatcher", f"/tickets/{number}/print"))
    assert number in body and CALL["caller_phone"] in body and CALL["content"] in body
    assert "签收" in body and "办结" in body and "处理记录" in body and "派单" in body
    assert f'href="/tickets/{number}/print"' in text(pages.get("dispatcher", f"/tickets/{number}"))


def test_a_unit_prints_its_own_ticket_with_the_callers_number_masked(pages):
    number = pages.dispatched_call("zjj")
    body = text(pages.get("zjj", f"/tickets/{number}/print"))
    assert "138****5678" in body and CALL["caller_phone"] not in body
    assert f'href="/department/tickets/{number}"' in body  # back to the unit's own page
    assert f'href="/tickets/{number}/print"' in text(pages.get("zjj", f"/department/tickets/{number}"))
    assert pages.get("jtj", f"/tickets/{number}/print").status_code == 404
