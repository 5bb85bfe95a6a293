"""Input no field may hold is a 4xx naming the field, on every path, never a 500 and never half-saved."""
import json

import pytest
from sqlalchemy import func, select

from hotline.services import knowledge
from models import Ticket

from .api.helpers import CALL, new_ticket

HUGE = str(10**19)
LISTS = [("admin", "/tickets"), ("zjj", "/department/tickets"), ("dispatcher", "/dispatch/queue"),
         ("supervisor", "/callbacks"), ("supervisor", "/alerts"), ("supervisor", "/supervision"), ("admin", "/admin/audit")]
PAGE_LISTS = [("admin", "/tickets/"), ("zjj", "/department/"), ("dispatcher", "/dispatcher/"), ("supervisor", "/supervisor/cases"),
              ("admin", "/admin/users"), ("admin", "/admin/kb"), ("admin", "/admin/audit")]


def raw_post(api, path, user, body):
    """POST a JSON text as is (json= would refuse to encode a lone surrogate)."""
    return api.call("POST", path, user, data=json.dumps(body), content_type="application/json")


def tickets(session) -> int:
    return session.scalar(select(func.count()).select_from(Ticket))


@pytest.mark.parametrize("bad", ["\x00", "楼道\x00漏水", "\ud800", "漏水\udfff"], ids=["nul", "inner-nul", "surrogate", "low-surrogate"])
@pytest.mark.parametrize("field", ["content", "caller_name", "address", "caller_phone"])
def test_unstorable_characters_in_a_json_field_are_400_naming_it(api, session, field, bad):
    response = raw_post(api, "/tickets", "operator", {**CALL, field: bad})
    assert response.status_code == 400
    assert response.json["field"] == field
    assert tickets(session) == 0


def test_in_a_nested_json_field_the_path_is_named(api):
    response = raw_post(api, "/tickets", "operator", {**CALL, "extra": {"notes": ["ok", "a\x00"]}})
    assert response.status_code == 400 and response.json["field"] == "extra.notes.1"


@pytest.mark.parametrize(("path", "field"), [("/tickets?district=%00", "district"), ("/tickets?status=open%00", "status"),
                                             ("/tickets/2026%0011", "number"), ("/kb/search?q=%E5%B0%8F%00", "q")])
def test_nul_in_the_query_or_path_is_400_naming_it(api, path, field):
    response = api.get(path, "admin")
    assert response.status_code == 400 and response.json["field"] == field


def test_nul_in_the_login_username_is_400(client):
    response = client.post("/api/v1/auth/token", json={"username": "oper\x00ator", "password": "x"})
    assert response.status_code == 400 and response.json["field"] == "username"
    assert client.post("/login", data={"username": "oper\x00ator", "password": "x"}).status_code == 400


def test_nul_in_a_page_form_is_a_400_page(app, session):
    from tests.hotline.web.conftest import CALL as PAGE_CALL, Pages

    response = Pages(app).post("operator", "/operator/", {**PAGE_CALL, "content": PAGE_CALL["content"] + "\x00"})
    assert response.status_code == 400
    assert tickets(session) == 0


def test_deeply_nested_json_is_400(api):
    response = api.call("POST", "/tickets", "operator", data="[" * 100_000, content_type="application/json")
    assert response.status_code == 400 and response.json["field"] == "body"


@pytest.mark.parametrize(("user", "path"), LISTS)
@pytest.mark.parametrize("page", [HUGE, "²", "١٢", "0", "-1"])
def test_every_api_list_refuses_a_page_beyond_reason(api, user, path, page):
    response = api.get(f"{path}?page={page}", user)
    assert response.status_code == 400, response.json
    assert response.json["field"] == "page"


@pytest.mark.parametrize(("user", "path"), LISTS)
def test_every_api_list_is_paged(api, user, path):
    body = api.get(f"{path}?page=1&per_page=1", user).json
    assert (body["page"], body["per_page"]) == (1, 1) and "total" in body


@pytest.mark.parametrize(("user", "path"), PAGE_LISTS)
def test_every_page_list_refuses_a_page_beyond_reason(app, user, path):
    from tests.hotline.web.conftest import Pages

    assert Pages(app).get(user, f"{path}?page={HUGE}").status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/kb/entries/2147483648", "/api/v1/kb/entries/" + "9" * 40])
def test_an_id_beyond_a_database_integer_is_404(api, path):
    response = api.client.put(path, json={"question": "问", "answer": "答", "department": "市公安局"},
                              headers={"Authorization": f"Bearer {api.token('admin')}"})
    assert response.status_code == 404


@pytest.mark.parametrize("revision", [str(10**30), "²", "9" * 5000])
def test_report_revision_must_be_a_plain_number(api, app, revision):
    from tests.hotline.web.conftest import Pages

    response = api.get(f"/reports/monthly/2026-10?format=csv&revision={revision}", "supervisor")
    assert response.status_code == 400 and response.json["field"] == "revision"
    page = Pages(app).get("supervisor", f"/supervisor/reports/monthly/2026-10.csv?revision={revision}")
    assert page.status_code == 400


def test_report_page_keeps_only_its_own_arguments_for_the_downloads(app):
    from tests.hotline.web.conftest import Pages

    assert Pages(app).get("supervisor", "/supervisor/reports/monthly?kind=x&label=y&fmt=z").status_code == 200


@pytest.mark.app_config(MAX_CONTENT_LENGTH=64 * 1024)
@pytest.mark.parametrize(("path", "content_type"), [("/api/v1/auth/token", "application/json"),
                                                    ("/login", "application/x-www-form-urlencoded"),
                                                    ("/api/v1/tickets", "application/json")])
def test_a_body_beyond_the_limit_is_413_unread(client, path, content_type):
    body = b'{"username": "' + b"a" * (100 * 1024) + b'"}'
    response = client.post(path, data=body, content_type=content_type)
    assert response.status_code == 413


def test_the_default_limit_keeps_a_big_anonymous_login_out(client):
    body = b'{"username": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 413


def test_405_says_what_is_allowed(api, client):
    response = client.get("/api/v1/auth/token")
    assert response.status_code == 405 and response.headers["Allow"].split(", ").count("POST") == 1
    assert "GET" in client.post("/healthz").headers["Allow"]
    ticket = new_ticket(api)["number"]
    assert client.delete(f"/api/v1/tickets/{ticket}").headers["Allow"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_login_body_of_another_type_is_400(client, content_type):
    response = client.post("/api/v1/auth/token", data="username=operator", content_type=content_type)
    assert response.status_code == 400 and response.json["field"] == "body"


def test_knowledge_search_bounds_the_query(app, session, monkeypatch):
    seen: list[str] = []
    index = knowledge.KnowledgeIndex()
    monkeypatch.setattr(index, "_ensure", lambda _session: type("KB", (), {
        "search": lambda self, query, limit: seen.append(query) or []})())
    index.search(session, "小区楼道漏水" * 1000, 5)
    assert len(seen[0]) == knowledge.QUERY_MAX_CHARS
