"""An unexpected error is a 500 that saves nothing, and its log line names no citizen's data."""
import logging

import pytest
from sqlalchemy import func, select, text

from models import Ticket

from .api.helpers import CALL

PHONE, NAME, ADDRESS = "13912340000", "隐私测试人", "衡阳市雁峰区隐私路99号"


@pytest.fixture
def failing_ticket_insert(app, session):
    """A database that refuses every new ticket (a real database error, raised by the server)."""
    engine = app.extensions["hotline.engine"]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("CREATE FUNCTION refuse_ticket() RETURNS trigger LANGUAGE plpgsql AS "
                              "$$ BEGIN RAISE EXCEPTION 'refused by test'; END $$"))
            conn.execute(text("CREATE TRIGGER refuse_ticket BEFORE INSERT ON tickets "
                              "FOR EACH ROW EXECUTE FUNCTION refuse_ticket()"))
        else:
            conn.execute(text("CREATE TRIGGER refuse_ticket BEFORE INSERT ON tickets "
                              "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"))
    yield
    session.rollback()  # PostgreSQL's DROP TRIGGER waits for every open transaction on tickets
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER refuse_ticket ON tickets"))
            conn.execute(text("DROP FUNCTION refuse_ticket()"))
        else:
            conn.execute(text("DROP TRIGGER refuse_ticket"))


def test_database_error_logs_no_personal_data(api, session, caplog, failing_ticket_insert):
    body = {**CALL, "caller_phone": PHONE, "caller_name": NAME, "address": ADDRESS}
    with caplog.at_level(logging.DEBUG):
        response = api.post("/tickets", "operator", body)
    assert response.status_code == 500
    assert response.json["error"] == "internal_error"
    logged = caplog.text
    assert "INSERT INTO tickets" in logged  # the log still says what failed, and where
    assert "test_errors.py" not in logged and "intake.py" in logged
    for secret in (PHONE, NAME, ADDRESS, CALL["content"][:10]):
        assert secret not in logged
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0
