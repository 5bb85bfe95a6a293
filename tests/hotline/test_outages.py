"""A database that is unreachable or drops its connections gives 503 with Retry-After, never a 500."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, func, select, text

from hotline import create_app
from models import Ticket, TicketEvent

from .api.helpers import CALL

CLOSED_PORT = "postgresql+psycopg://postgres@127.0.0.1:1/hotline"


@pytest.fixture(params=[CLOSED_PORT, "sqlite:////nonexistent-folder/hotline.sqlite3"], ids=["closed-port", "no-file"])
def unreachable(request, model_dir, tmp_path):
    """An app whose database cannot be reached."""
    app = create_app({"TESTING": True, "DATABASE_URL": request.param, "SECRET_KEY": "test-secret",
                      "MODEL_DIR": str(model_dir), "WTF_CSRF_ENABLED": False})
    yield app.test_client()
    app.extensions["hotline.engine"].dispose()


def test_api_answers_503_with_retry_after(unreachable):
    response = unreachable.post("/api/v1/auth/token", json={"username": "operator", "password": "demo12345"})
    assert response.status_code == 503
    assert response.json["error"] == "database_unavailable"
    assert "retry" in response.json["message"]
    assert int(response.headers["Retry-After"]) > 0


def test_login_page_answers_a_chinese_503_page(unreachable):
    response = unreachable.post("/login", data={"username": "operator", "password": "demo12345"})
    assert response.status_code == 503
    assert "数据库暂时无法连接" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_a_logged_in_page_answers_503(unreachable):
    with unreachable.session_transaction() as cookie:
        cookie["uid"], cookie["pw"], cookie["at"] = 1, "x", int(time.time())  # logged in just now
    response = unreachable.get("/operator/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.get_data(as_text=True)


def test_terminated_backends_give_503_never_500_and_the_service_recovers(app, database_url, api, session):
    """Threads register calls while the test kills every connection of the app's database, again and again."""
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    tokens = api.token("operator")
    statuses: list[int] = []
    retry_after: list[str | None] = []
    stop = threading.Event()

    def caller() -> None:
        client = app.test_client()
        while not stop.is_set():
            response = client.post("/api/v1/tickets", json=CALL, headers={"Authorization": f"Bearer {tokens}"})
            statuses.append(response.status_code)
            if response.status_code == 503:
                retry_after.append(response.headers.get("Retry-After"))

    killer = create_engine(database_url, isolation_level="AUTOCOMMIT")
    threads = [threading.Thread(target=caller) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        with killer.connect() as conn:
            for _ in range(8):
                time.sleep(0.4)
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        killer.dispose()

    assert set(statuses) <= {201, 503}, sorted(set(statuses))
    assert 503 in statuses and 201 in statuses
    assert all(value and int(value) > 0 for value in retry_after)
    # Recovered by itself: the next call succeeds on a fresh connection.
    assert api.post("/tickets", "operator", CALL).status_code == 201
    created = statuses.count(201) + 1
    # Every 201 was saved whole (a 503 whose commit reached the server may have been saved too).
    tickets = session.scalar(select(func.count()).select_from(Ticket))
    assert created <= tickets <= created + statuses.count(503)
    without_events = session.scalar(select(func.count()).select_from(Ticket).where(
        ~select(TicketEvent.id).where(TicketEvent.ticket_id == Ticket.id).exists()))
    assert without_events == 0
