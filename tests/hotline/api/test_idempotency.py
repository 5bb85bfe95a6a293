"""Idempotent intake: a retry with the same Idempotency-Key returns the first ticket, never a second."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models import IntakeKey, Ticket

from .helpers import CALL


def count_tickets(session) -> int:
    return session.scalar(select(func.count()).select_from(Ticket))


def test_a_retry_returns_the_first_ticket(api, session):
    headers = {"Idempotency-Key": "4f0c1a9e-retry-1"}
    first = api.post("/tickets", "operator", CALL, headers=headers)
    again = api.post("/tickets", "operator", CALL, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json["number"] == first.json["number"]
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert count_tickets(session) == 1


def test_other_keys_and_no_key_make_new_tickets(api, session):
    numbers = {api.post("/tickets", "operator", CALL, headers={"Idempotency-Key": k}).json["number"]
               for k in ("a-1", "a-2")}
    numbers.add(api.post("/tickets", "operator", CALL).json["number"])
    assert len(numbers) == 3 and count_tickets(session) == 3


def test_a_key_expires_after_a_day(api, session, clock):
    headers = {"Idempotency-Key": "old-key"}
    first = api.post("/tickets", "operator", CALL, headers=headers).json["number"]
    clock.set(clock.now + timedelta(hours=25))
    later = api.post("/tickets", "operator", CALL, headers=headers).json["number"]
    assert later != first
    assert session.scalar(select(func.count()).select_from(IntakeKey)) == 1  # the expired key was replaced


def test_concurrent_retries_make_one_ticket(app, api, session):
    for i in range(5):
        before = count_tickets(session)
        key = f"race-{i}"
        responses = race_with_key(app, api, key)
        assert [r.status_code for r in responses] == [201, 201], [r.json for r in responses]
        assert responses[0].json["number"] == responses[1].json["number"]
        assert count_tickets(session) == before + 1


def race_with_key(app, api, key: str):
    """Two intakes with one key at the same moment."""
    import threading

    from ...conftest import Api

    api.token("operator")
    barrier = threading.Barrier(2)
    responses: list = [None, None]

    def send(index: int) -> None:
        caller = Api(app.test_client())
        caller.tokens = dict(api.tokens)
        barrier.wait()
        responses[index] = caller.post("/tickets", "operator", CALL, headers={"Idempotency-Key": key})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return responses


def test_a_malformed_key_is_a_400_naming_the_header(api, session):
    response = api.post("/tickets", "operator", CALL, headers={"Idempotency-Key": "含中文"})
    assert response.status_code == 400 and response.json["field"] == "Idempotency-Key"
    assert count_tickets(session) == 0


def test_the_daily_job_drops_expired_keys(api, session, clock, runner):
    api.post("/tickets", "operator", CALL, headers={"Idempotency-Key": "yesterday"})
    clock.set(clock.now + timedelta(hours=23))
    api.post("/tickets", "operator", CALL, headers={"Idempotency-Key": "today"})
    clock.set(clock.now + timedelta(hours=2))  # "yesterday" is now 25 hours old, "today" 2
    assert runner.invoke(args=["cycle", "daily"]).exit_code == 0
    session.expire_all()
    assert list(session.scalars(select(IntakeKey.key))) == ["today"]
