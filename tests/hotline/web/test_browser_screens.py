"""A whole shift in a real browser: a call typed before the session ended survives it, lists refresh by
themselves, the monthly report prints on A4 landscape, and a unit's pages fit a 390 px phone."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hotline.report_formats import COLUMNS
from models import TicketStatus
from tests.builders import ticket_row

from .conftest import CALL
from .test_browser import open_as, server  # noqa: F401  (the fixtures; `browser` is the conftest's, one per run)

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
    expect(page.locator(".nav-count[data-count=queue]")).to_have_text("3")
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


A4_LANDSCAPE_PX = round((297 - 2 * 10) / 25.4 * 96)  # the report's @page: A4 landscape, 10 mm margins (1047 px)


def test_the_monthly_report_prints_on_a4_landscape_with_every_column(open_as, desk):
    for code in ("zjj", "jtj", "sgq"):
        number = desk.call()
        desk.assign(number, code)
        desk.reply(number, code)
    page = open_as("supervisor")
    page.goto("/supervisor/reports/monthly/2026-11.html")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_LANDSCAPE_PX, "height": 740})
    measured = page.evaluate("""() => {
        const table = document.querySelector('table');
        const cut = [...table.querySelectorAll('th, td')].filter(c => c.scrollWidth > c.clientWidth + 1).length;
        return {table: table.getBoundingClientRect().width, page: document.documentElement.scrollWidth,
                columns: table.rows[0].cells.length, cut: cut};
    }""")
    assert measured["columns"] == 1 + len(COLUMNS)  # the unit and every figure of the report
    assert measured["table"] <= A4_LANDSCAPE_PX and measured["page"] <= A4_LANDSCAPE_PX, measured
    assert measured["cut"] == 0, measured
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    # The page size the PDF was laid out on: A4 landscape is 842 × 595 points.
    assert b"/MediaBox [0 0 841.91998 594.95996]" in pdf or b"/MediaBox [0 0 842 595]" in pdf


def no_sideways_scroll(page) -> None:
    """The page is no wider than the phone's screen; names what sticks out if it is."""
    wide = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return {page: document.documentElement.scrollWidth, width: width,
                out: [...document.querySelectorAll('main *, header *')].filter(e => e.getBoundingClientRect().right > width + 1)
                     .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.id || ''))};
    }""")
    assert wide["page"] <= wide["width"], wide


def test_a_units_pages_fit_a_390_px_phone(open_as, desk):
    numbers = []
    for phone in ("13812345678", "13700000001", "13600000002"):
        number = desk.call(caller_phone=phone)
        desk.assign(number, "zjj")
        numbers.append(number)
    desk.request_extension(numbers[0])
    page = open_as("zjj")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/department/", f"/department/tickets/{numbers[0]}", f"/tickets/{numbers[0]}/print"):
        page.goto(path)
        no_sideways_scroll(page)
    page.goto("/department/")
    assert page.locator(f"#t-{numbers[1]}").is_visible()
