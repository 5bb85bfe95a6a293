"""GET /live/counts for the open pages, and the markers the pages carry for live.js."""
from .conftest import MANUAL, text


def test_counts_need_a_session(client):
    response = client.get("/live/counts")
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


@MANUAL
def test_the_dispatcher_polls_the_queue_count(pages):
    pages.new_call()
    answer = pages.get("dispatcher", "/live/counts").json
    assert answer["counts"] == {"queue": 1} and "queue" in answer["stamps"]


@MANUAL
def test_a_unit_hears_of_its_own_new_ticket_only(pages):
    number = pages.dispatched_call("zjj")
    assert pages.get("zjj", "/live/counts").json["latest"]["number"] == number
    assert pages.get("jtj", "/live/counts").json["latest"] is None


def test_live_pages_carry_the_poll_address_and_the_menu_badges(pages):
    page = text(pages.get("zjj", "/department/"))
    assert 'name="live-counts" content="/live/counts" data-seconds="20"' in page
    assert 'data-count="new"' in page and 'data-count="overdue"' in page
    assert 'data-list="inbox"' in page
