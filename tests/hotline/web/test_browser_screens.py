"""A whole shift in a real browser: a call typed before the session ended survives it, lists refresh by
themselves, the monthly report prints on A4 landscape, and a unit's pages fit a 390 px phone."""
from __future__ import annotations

import pytest

from models import TicketStatus
from tests.builders import ticket_row

from .conftest import CALL
from .test_browser import browser, open_as, server  # noqa: F401  (the fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.app_config(WTF_CSRF_ENABLED=True, AUTO_DISPATCH_THRESHOLD=1.01, LIVE_POLL_SECONDS=1),
]


def log_in_again(page, username: str) -> None:
    """Fill the login form the page was sent to."""
    page.wait_for_selector("#username")
    page.fill("#username", username)
    page.fill("#password", "demo12345")
    page.press("#password", "Enter")
    page.wait_for_selector("header .who")


def test_a_call_typed_when_the_session_ended_is_kept_and_registered_after_logging_in(open_as, session):
    page = open_as("operator")
    page.fill("#caller_phone", CALL["caller_phone"])
    page.fill("#caller_name", "王先生")
    page.fill("#address", CALL["address"])
    page.fill("#content", CALL["content"])
    page.context.clear_cookies()  # the session is over (the shift ended, the server forgot it)
    page.click("#submit-call")
    assert "/login" in page.url
    assert "登录已超时" in page.inner_text("main")
    log_in_again(page, "operator")
    assert page.url.endswith("/operator/")
    page.wait_for_selector("#draft-restored:not([hidden])")
    assert page.input_value("#content") == CALL["content"]
    assert page.input_value("#caller_phone") == CALL["caller_phone"]
    assert page.input_value("#caller_name") == "王先生"
    page.click("#submit-call")
    number = page.inner_text("#created-number")
    assert ticket_row(session, number).content == CALL["content"]
    page.goto("/operator/")  # registered: the draft is gone
    assert page.input_value("#content") == ""
    assert page.locator("#draft-restored").is_hidden()


def test_the_queue_shows_a_new_call_without_a_reload_but_waits_for_a_selection(open_as, desk):
    first = desk.call()
    page = open_as("dispatcher")
    page.wait_for_selector(f"#t-{first}")
    page.wait_for_selector(".nav-count[data-count=queue]:not([hidden])")
    assert page.inner_text(".nav-count[data-count=queue]") == "1"
    page.evaluate("window.stillTheSamePage = true")
    second = desk.call(caller_phone="13700000000", content="公交12路末班车经常提前发车，乘客赶不上车。")
    page.wait_for_selector(f"#t-{second}", timeout=8000)
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.inner_text(".nav-count[data-count=queue]") == "2"
    # While the dispatcher has text selected, the list stays as it is.
    page.evaluate("""() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('h1'));
                             window.getSelection().addRange(r); }""")
    third = desk.call(caller_phone="13700000002", content="路灯不亮，夜间行人出行不便。")
    page.wait_for_function("() => document.querySelector('.nav-count[data-count=queue]').textContent === '3'")
    page.wait_for_timeout(1500)
    assert page.locator(f"#t-{third}").count() == 0
    page.evaluate("window.getSelection().removeAllRanges()")
    page.wait_for_selector(f"#t-{third}", timeout=8000)


def test_a_unit_hears_of_a_new_work_order_on_its_open_inbox(open_as, desk, session):
    page = open_as("zjj")
    page.wait_for_timeout(1500)  # the first poll has set what the page already shows
    number = desk.call()
    desk.assign(number, "zjj")
    page.wait_for_selector(f"#live-news >> text=新工单 {number} 已派到本单位", timeout=8000)
    page.wait_for_selector(f"#t-{number}")
    assert ticket_row(session, number).status == TicketStatus.DISPATCHED
