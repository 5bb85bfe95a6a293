"""Open311 GeoReport v2 driven by the PyPI client `georeport` against the live app (POST with requests)."""
from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from georeport import GeoReport
from sqlalchemy import func, select

from hotline.services import workflow
from models import Attachment, Channel, EventAction, Open311Client, Ticket
from tests import builders
from tests.images import png
from tests.servers import Receiver, live_app

REQUEST = {"description": "雁峰区先锋街道某小区门口道路破损积水，行人通行困难，请尽快维修。",
           "address_string": "衡阳市雁峰区先锋街道", "phone": "13912345678", "first_name": "先生", "last_name": "王",
           "lat": "26.89", "long": "112.61"}


@pytest.fixture
def api_key(runner, session):
    """A client system made with the CLI, which prints its key."""
    result = runner.invoke(args=["hotline", "open311-client", "create", "city-app"])
    assert result.exit_code == 0, result.output
    key = result.output.strip()
    stored = session.scalar(select(Open311Client).where(Open311Client.name == "city-app"))
    assert stored.key_hash != key and key not in stored.key_hash  # only a hash is kept
    return key


@pytest.fixture
def base(app):
    """The live app's GeoReport root."""
    with live_app(app) as url:
        yield f"{url}/open311/v2"


def post(base: str, api_key: str, fmt: str = "json", files=None, **fields):
    """POST requests.<fmt> with the standard's form fields."""
    category = fields.pop("service_code", "1")
    return requests.post(f"{base}/requests.{fmt}", data={"api_key": api_key, "service_code": category,
                                                           **REQUEST, **fields}, files=files, timeout=30)


def tickets(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Ticket))


def test_services_and_definitions_in_json_and_xml(base, session):
    services = GeoReport(base).get_service_list()
    names = {s["service_name"] for s in services}
    assert "城建" in names and all(s["metadata"] is True for s in services)
    code = services[0]["service_code"]
    definition = GeoReport(base).get_service_definition(code)
    assert definition["service_code"] == code and definition["attributes"][0]["code"] == "appeal_type"
    xml_services = GeoReport(base, output_format="xml").get_service_list()
    assert {s["service_name"] for s in xml_services} == names


def test_a_posted_request_goes_through_the_intake_and_reads_back_open_then_closed(base, api_key, session, policy,
                                                                                    clock):
    answer = post(base, api_key, **{"attribute[appeal_type]": "help"})
    assert answer.status_code == 201, answer.text
    [created] = answer.json()
    number, token = created["service_request_id"], created["token"]

    ticket = builders.ticket_row(session, number)
    assert ticket.channel == Channel.OPEN311 and ticket.appeal_type.value == "help"
    assert ticket.caller_phone == "13912345678" and ticket.caller_name == "王先生"
    assert ticket.events[0].action == EventAction.CREATED and ticket.events[0].actor.username == "open311:city-app"
    assert ticket.events[1].action in (EventAction.ROUTED, EventAction.QUEUED)  # routed by the normal intake

    client = GeoReport(base)
    shown = client.get_service_request(number)
    assert shown["status"] == "open" and shown["lat"] == 26.89 and "13912345678" not in str(shown)
    assert requests.get(f"{base}/tokens/{token}.json", timeout=30).json() == [
        {"service_request_id": number, "token": token}]

    if ticket.status.value == "pending_dispatch":
        workflow.dispatch(session, ticket, builders.department(session, "zjj"), None, policy, clock.now,
                          actor=builders.user(session, "dispatcher"))
    unit = builders.user(session, ticket.department.code)
    workflow.sign(session, ticket, unit, clock.now)
    workflow.reply(session, ticket, "已修复路面。", unit, clock.now, policy=policy)
    session.commit()

    closed = client.get_service_request(number)
    assert closed["status"] == "closed" and closed["status_notes"] == "已修复路面。"
    assert closed["agency_responsible"] == ticket.department.name
    assert [r["service_request_id"] for r in client.get_service_requests(status="closed")] == [number]
    assert client.get_service_requests(status="open") == []
    later = (clock.now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.get_service_requests(start_date=later) == []
    assert [r["service_request_id"] for r in client.get_service_requests(service_code="1")] == [number]
    xml = GeoReport(base, output_format="xml").get_service_requests(service_request_id=number)
    assert xml["service_request_id"] == number and xml["status"] == "closed"


def test_a_retried_post_with_its_idempotency_key_files_one_ticket(base, api_key, session):
    first = post(base, api_key, files=None, **{})
    before = tickets(session)
    headers = {"Idempotency-Key": "app-req-1"}
    one = requests.post(f"{base}/requests.json", data={"api_key": api_key, "service_code": "1", **REQUEST},
                        headers=headers, timeout=30)
    two = requests.post(f"{base}/requests.json", data={"api_key": api_key, "service_code": "1", **REQUEST},
                        headers=headers, timeout=30)
    assert first.status_code == one.status_code == two.status_code == 201
    assert one.json() == two.json() and tickets(session) == before + 1


@pytest.mark.app_config(OPEN311_MEDIA_ALLOW_PRIVATE=True)  # the photo host of the test is on 127.0.0.1
def test_media_uploaded_or_fetched_from_media_url_becomes_an_attachment(base, api_key, session):
    uploaded = post(base, api_key, files={"media": ("road.png", png(), "image/png")})
    assert uploaded.status_code == 201, uploaded.text
    with Receiver(body=png(320, 200)) as photo_host:
        fetched = post(base, api_key, media_url=photo_host.url.replace("/hook", "/photo.png"))
    assert fetched.status_code == 201, fetched.text
    session.expire_all()
    attached = session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [(a.source, a.content_type) for a in attached] == [("open311", "image/png")] * 2
    shown = GeoReport(base).get_service_request(fetched.json()[0]["service_request_id"])
    assert shown["media_url"].endswith("/photo.png")


@pytest.mark.parametrize("fields, status, word", [
    ({"media_url": "http://127.0.0.1:9/inside.png"}, 400, "public"),
    ({"media_url": "file:///etc/passwd"}, 400, "media_url"),
    ({"api_key": "wrong"}, 403, "api_key"),
    ({"service_code": "9999"}, 400, "service_code"),
    ({"description": ""}, 400, "description"),
    ({"phone": ""}, 400, "phone"),
    ({"lat": "north"}, 400, "lat"),
    ({"lat": "", "long": "", "address_string": ""}, 400, "location"),
    ({"attribute[appeal_type]": "rant"}, 400, "appeal_type"),
])
def test_bad_posts_get_the_standard_error_and_save_nothing(base, api_key, session, fields, status, word):
    before = tickets(session)
    data = {"api_key": api_key, "service_code": "1", **REQUEST, **fields}
    for fmt in ("json", "xml"):
        answer = requests.post(f"{base}/requests.{fmt}", data=data, timeout=30)
        assert answer.status_code == status, answer.text
        if fmt == "json":
            [error] = answer.json()
            assert error["code"] == status and word in error["description"]
        else:
            assert f"<code>{status}</code>" in answer.text and "<errors><error>" in answer.text
    assert tickets(session) == before


def test_a_file_that_is_not_a_photo_is_refused_before_anything_is_saved(base, api_key, session):
    before = tickets(session)
    answer = post(base, api_key, files={"media": ("photo.jpg", b"MZ\x90\x00 not an image", "image/jpeg")})
    assert answer.status_code == 400 and "photo" in answer.json()[0]["description"]
    assert tickets(session) == before


@pytest.mark.parametrize("path, status", [
    ("/requests.json?start_date=yesterday", 400),
    ("/requests.json?status=pending", 400),
    ("/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", 400),
    ("/requests/2026000000000.json", 404),
    ("/tokens/nope.xml", 404),
    ("/services/abc.json", 404),
    ("/discovery.xml", 404),
])
def test_bad_queries_get_the_standard_error(base, path, status):
    answer = requests.get(base + path, timeout=30)
    assert answer.status_code == status
    if path.split("?")[0].endswith(".json"):
        assert answer.json()[0]["code"] == status
    else:
        assert f"<code>{status}</code>" in answer.text


def test_the_admin_issues_a_key_on_the_admin_page(client, session):
    client.post("/login", data={"username": "admin", "password": "demo12345"})
    page = client.post("/admin/open311", data={"name": "wechat-mini"})
    assert page.status_code == 200 and 'id="new-key"' in page.text
    key = page.text.split('<pre class="content-box">')[1].split("</pre>")[0]
    from hotline.services.open311 import client_for_key
    assert client_for_key(session, key).name == "wechat-mini"
    assert client.post("/admin/open311", data={"name": "wechat-mini"}).status_code == 400  # names are unique
