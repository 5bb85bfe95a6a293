"""LOG_FORMAT=json: one JSON object per line, a request id, and no phone, name, password or token."""
from __future__ import annotations

import io
import json
import logging

import pytest

from hotline.logs import JsonLines
from hotline.services.demo import DEMO_PASSWORD
from tests.hotline.api.helpers import CALL


@pytest.fixture
def log_lines(app):
    """What the JSON handler writes during the test."""
    root = logging.getLogger()
    [handler] = [h for h in root.handlers if isinstance(h, JsonLines)]
    stream = io.StringIO()
    handler.setStream(stream)
    yield stream
    root.removeHandler(handler)


@pytest.mark.app_config(LOG_FORMAT="json")
def test_each_request_is_one_json_line_with_its_id_and_no_personal_data(client, api, log_lines):
    token = api.token("operator")
    created = api.post("/tickets", "operator", json=CALL, headers={"X-Request-ID": "req-abc-123"})
    assert created.status_code == 201 and created.headers["X-Request-ID"] == "req-abc-123"
    number = created.json["number"]
    client.get(f"/api/v1/status?number={number}&phone_tail={CALL['caller_phone'][-4:]}")
    client.get("/api/v1/tickets/nope", headers={"Authorization": "Bearer not-a-token"})

    text = log_lines.getvalue()
    records = [json.loads(line) for line in text.splitlines()]  # every line is one JSON object
    requests = [r for r in records if r.get("logger") == "hotline.request"]
    intake = next(r for r in requests if r["endpoint"] == "api.create")
    assert intake["request_id"] == "req-abc-123" and intake["status"] == 201
    assert intake["user_id"] is not None and intake["duration_ms"] >= 0 and intake["method"] == "POST"
    made = next(r for r in requests if r["endpoint"] == "public.status_api")
    assert len(made["request_id"]) == 32 and made["user_id"] is None  # an id is made when none is sent
    for secret in (CALL["caller_phone"], "phone_tail", CALL["caller_name"], DEMO_PASSWORD, token,
                   "not-a-token", CALL["content"][:10]):
        assert secret not in text


def test_text_logs_stay_the_default(app):
    assert app.config["LOG_FORMAT"] == "text"
    assert not any(isinstance(h, JsonLines) for h in logging.getLogger().handlers)
