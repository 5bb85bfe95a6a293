"""Departments, categories, health and the OpenAPI document."""
import re

import pytest

from hotline.services.citypkg.sheets import read_csv
from hotline.services.demo import DEMO_CITY


def test_departments_list_their_codes(api):
    departments = api.get("/departments", "operator").json["departments"]
    by_code = {d["code"]: d for d in departments}
    assert by_code["zjj"]["name"] == "市住房和城乡建设局"
    assert by_code["xfjd"]["parent"] == "yfq"
    assert {d["kind"] for d in departments} >= {"bureau", "district", "street", "utility"}


def test_catalogue_is_the_bundled_labels_with_twenty_rows(api):
    names = {c["name"] for c in api.get("/categories", "operator").json["categories"]}
    assert names == {line[0] for _, line in read_csv(DEMO_CITY / "categories.csv").rows}
    assert {"城建", "交通", "教育", "金融"} <= names


def test_healthz_reports_database_and_model(client):
    body = client.get("/healthz").json
    assert body["database"]["ok"] is True
    assert body["model"]["ok"] is True
    assert body["model"]["version"]


@pytest.mark.app_config(MODEL_DIR="/nonexistent/models")
def test_without_a_model_the_service_stays_up_and_queues(client, api):
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json["model"]["ok"] is False
    assert "no trained model" in health.json["model"]["reason"]
    from .helpers import new_ticket

    ticket = new_ticket(api)
    assert ticket["status"] == "pending_dispatch"
    assert "no trained model" in ticket["routing_note"]


def test_corrupt_model_leaves_the_service_up(tmp_path, app_config, demo_password_hash):
    from hotline import create_app

    broken = tmp_path / "models" / "20260101T0000-deadbeef"
    broken.mkdir(parents=True)
    (broken / "metadata.json").write_text("{not json", encoding="utf-8")
    (broken / "model.joblib").write_bytes(b"garbage")
    app = create_app({**app_config, "MODEL_DIR": str(tmp_path / "models")})
    status = app.extensions["hotline.routing"].status()
    assert status["ok"] is False
    assert "20260101T0000-deadbeef" in status["reason"]
    app.extensions["hotline.engine"].dispose()


@pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=0.0)
def test_router_failure_still_saves_the_ticket(app, api, monkeypatch):
    engine = app.extensions["hotline.routing"]

    def explode(*args, **kwargs):
        raise RuntimeError("model blew up")

    monkeypatch.setattr(engine.router, "predict", explode)
    from .helpers import new_ticket

    ticket = new_ticket(api)
    assert ticket["status"] == "pending_dispatch"
    assert "routing failed" in ticket["routing_note"]
    assert api.get(f"/tickets/{ticket['number']}", "dispatcher").status_code == 200


def test_openapi_documents_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)
    assert "TicketCreate" in document["components"]["schemas"]


def test_route_proposes_three_candidates_with_units_and_district(api):
    body = api.post("/route", "operator", {"content": "小区物业不作为，楼道堆满杂物", "address": "石鼓区人民路街道"}).json
    assert len(body["candidates"]) == 3
    probabilities = [c["probability"] for c in body["candidates"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert 0 < sum(probabilities) <= 1.0001
    assert body["district"] == "石鼓区"
    assert body["model_version"]
    assert all(c["department"]["code"] for c in body["candidates"])


def test_route_with_empty_content_is_400(api):
    response = api.post("/route", "operator", {"content": ""})
    assert response.status_code == 400
    assert response.json["field"] == "content"


def test_healthz_is_degraded_not_failed_in_a_year_the_library_does_not_know(client, clock, session):
    from datetime import UTC, datetime

    from hotline.services.cycle import holidays

    clock.set(datetime(2027, 3, 1, 2, 0, tzinfo=UTC))  # chinese_calendar has no data for 2027
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json["ok"] is True and health.json["status"] == "degraded"
    assert health.json["warnings"] and "2027" in health.json["warnings"][0]
    holidays.set_override(session, datetime(2027, 3, 5).date(), False, "本地停工")
    session.commit()
    assert client.get("/healthz").json["status"] == "degraded"  # one override is not the year's schedule
    holidays.enter_year(session, 2027, holidays.parse_schedule(2027, "2027-01-01 休 元旦"), None, clock())
    session.commit()
    health = client.get("/healthz").json
    assert (health["ok"], health["status"], health["warnings"]) == (True, "ok", [])
