"""The outbox end to end: rows written with the event, delivered to a real SMTP server and HTTP receiver."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.notify import build_channels, deliver_due, rules_from_settings
from hotline.services import outbox
from hotline.services.cycle import daily
from models import NotifyChannel, OutboxMessage, OutboxStatus
from tests import builders
from tests.servers import Receiver, smtp_server

SECRET = "a-webhook-secret-of-some-length"
CST = ZoneInfo("Asia/Shanghai")


def targets(session, webhook_url: str, email: str = "zjj@example.gov.cn") -> None:
    """zjj hears by e-mail and webhook."""
    zjj = builders.department(session, "zjj").id
    outbox.add_target(session, zjj, "email", email)
    outbox.add_target(session, zjj, "webhook", webhook_url, SECRET)
    session.commit()


def deliver(app, clock, smtp_port: int = 1, **settings):
    """One delivery round with the app's settings (SMTP on `smtp_port`)."""
    config = {**app.config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port, **settings}
    return deliver_due(app.extensions["hotline.sessionmaker"], build_channels(config), rules_from_settings(config),
                       clock, CST, host="test-host")


def messages(session, **where) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.id)))


def test_a_dispatch_is_mailed_and_posted_once_and_the_caller_gets_a_receipt(app, session, policy, clock, caplog):
    with Receiver() as receiver, smtp_server() as (port, inbox):
        targets(session, receiver.url)
        ticket = builders.dispatched(session, policy, clock.now, caller_phone="13812345678")
        session.commit()
        kinds = sorted((m.kind, m.channel.value) for m in messages(session))
        assert kinds == [("new_ticket", "email"), ("new_ticket", "webhook"), ("receipt", "sms")]

        with caplog.at_level(logging.INFO, logger="hotline.notify.sms"):
            assert deliver(app, clock, port)["sent"] == 3
            assert deliver(app, clock, port)["sent"] == 0  # nothing twice

        assert len(inbox) == 1
        assert inbox[0]["To"] == "zjj@example.gov.cn" and ticket.number in inbox[0]["Subject"]
        assert len(receiver.posts) == 1
        headers, body = receiver.posts[0]
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Hotline-Signature"] == expected
        payload = json.loads(body)
        assert payload["number"] == ticket.number and payload["kind"] == "new_ticket"
        assert "13812345678" not in body.decode() and "caller" not in body.decode()  # a unit never gets the caller
        sms = [r.getMessage() for r in caplog.records if r.name == "hotline.notify.sms"]
        assert len(sms) == 1 and ticket.number in sms[0] and "13812345678" not in sms[0]
        assert {m.status for m in messages(session)} == {OutboxStatus.SENT}


def test_a_failed_webhook_is_retried_after_its_backoff_and_delivered_once(app, session, policy, clock):
    with Receiver(fail=1) as receiver:
        zjj = builders.department(session, "zjj").id
        outbox.add_target(session, zjj, "webhook", receiver.url, SECRET)
        builders.dispatched(session, policy, clock.now)
        session.commit()

        assert deliver(app, clock)["failed"] == 1
        [hook] = messages(session, channel=NotifyChannel.WEBHOOK)
        assert hook.attempts == 1 and hook.status == OutboxStatus.PENDING and "500" in hook.last_error
        assert hook.next_attempt_at == clock.now + timedelta(seconds=app.config["OUTBOX_BACKOFF_SECONDS"])
        assert deliver(app, clock)["sent"] == 0  # not due yet
        clock.set(clock.now + timedelta(seconds=61))
        assert deliver(app, clock)["sent"] == 1
        assert len(receiver.posts) == 1
        [hook] = messages(session, channel=NotifyChannel.WEBHOOK)
        assert hook.status == OutboxStatus.SENT and hook.attempts == 2


@pytest.mark.app_config(OUTBOX_MAX_ATTEMPTS=3, OUTBOX_BACKOFF_SECONDS=1)
def test_after_n_failures_a_message_is_dead_lettered_shown_to_the_admin_and_can_be_retried(
        app, session, policy, clock, client):
    with Receiver(fail=100) as receiver:
        zjj = builders.department(session, "zjj").id
        outbox.add_target(session, zjj, "webhook", receiver.url, SECRET)
        builders.dispatched(session, policy, clock.now)
        session.commit()
        outcomes = []
        for _ in range(3):
            outcomes.append(deliver(app, clock))
            clock.set(clock.now + timedelta(seconds=10))
        assert [o["failed"] for o in outcomes] == [1, 1, 0] and outcomes[-1]["dead"] == 1
        assert deliver(app, clock)["dead"] == 0  # a dead letter is not tried again
        [hook] = messages(session, channel=NotifyChannel.WEBHOOK)
        assert hook.status == OutboxStatus.DEAD and hook.attempts == 3 and receiver.failed == 3

    client.post("/login", data={"username": "admin", "password": "demo12345"})
    page = client.get("/admin/outbox")
    assert page.status_code == 200 and f'id="dead-{hook.id}"' in page.text
    assert client.post(f"/admin/outbox/{hook.id}/retry").status_code == 302
    [hook] = messages(session, channel=NotifyChannel.WEBHOOK)
    assert hook.status == OutboxStatus.PENDING and hook.attempts == 0


def test_two_hosts_claim_each_message_once(session, policy, clock):
    builders.dispatched(session, policy, clock.now)
    session.commit()
    rules = outbox.DeliveryRules()
    first = outbox.claim_due(session, "host-a", clock.now, rules)
    session.commit()
    second = outbox.claim_due(session, "host-b", clock.now, rules)
    session.commit()
    assert first and second == []
    # A host that died holding its claim gives the message back when the lease ends.
    later = outbox.claim_due(session, "host-b", clock.now + timedelta(seconds=rules.lease_seconds + 1), rules)
    assert sorted(later) == sorted(first)


def test_a_near_deadline_and_a_missed_one_notify_the_unit_once_each(session, policy, clock):
    zjj = builders.department(session, "zjj").id
    outbox.add_target(session, zjj, "email", "zjj@example.gov.cn")
    ticket = builders.dispatched(session, policy, clock.now)
    session.commit()
    assert outbox.enqueue_deadline_warnings(session, clock.now) == 0  # nothing near yet
    near = ticket.sign_warn_at + timedelta(minutes=1)
    assert outbox.enqueue_deadline_warnings(session, near) == 1
    assert outbox.enqueue_deadline_warnings(session, near) == 0  # once per deadline, however often it runs
    daily.escalate_overdue(session, ticket.sign_by + timedelta(minutes=1))
    session.commit()
    kinds = [m.kind for m in messages(session, channel=NotifyChannel.EMAIL)]
    assert kinds == ["new_ticket", "deadline_near", "urged"]


def test_extension_decisions_and_replies_are_notified(session, policy, clock):
    from hotline.services import workflow

    zjj = builders.department(session, "zjj").id
    outbox.add_target(session, zjj, "email", "zjj@example.gov.cn")
    ticket = builders.signed(session, policy, clock.now)
    workflow.request_extension(session, ticket, "需要协调", 3, builders.user(session, "zjj"), policy, clock.now)
    workflow.decide_extension(session, ticket, True, builders.user(session, "supervisor"), policy, clock.now)
    workflow.reply(session, ticket, builders.REPLY, builders.user(session, "zjj"), clock.now, policy=policy)
    session.commit()
    rows = [(m.kind, m.channel.value) for m in messages(session)]
    assert ("extension_decided", "email") in rows and ("reply", "sms") in rows
    reply = next(m for m in messages(session) if m.kind == "reply")
    assert reply.payload["reply"] == builders.REPLY and reply.recipient == ticket.caller_phone


def test_the_deliver_command_sends_by_smtp(app, session, policy, clock, runner):
    with smtp_server() as (port, inbox):
        outbox.add_target(session, None, "email", "centre@example.gov.cn")  # system-wide
        builders.dispatched(session, policy, clock.now)
        session.commit()
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
        result = runner.invoke(args=["hotline", "deliver"])
        assert result.exit_code == 0, result.output
        assert "sent=2" in result.output  # the mail and the caller's receipt
        assert [m["To"] for m in inbox] == ["centre@example.gov.cn"]


@pytest.mark.parametrize("channel, address, secret, field", [
    ("email", "not-an-address", "", "address"),
    ("webhook", "ftp://x", SECRET, "address"),
    ("webhook", "http://127.0.0.1/x", "short", "secret"),
    ("fax", "x", "", "channel"),
])
def test_a_bad_target_is_refused_naming_the_field(session, channel, address, secret, field):
    from hotline.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        outbox.add_target(session, None, channel, address, secret)
    assert error.value.field == field


def test_the_admin_sets_a_units_targets_on_the_notify_page(client, session):
    client.post("/login", data={"username": "admin", "password": "demo12345"})
    added = client.post("/admin/notify", data={"department": "zjj", "channel": "webhook",
                                               "address": "https://zjj.example/hook", "secret": SECRET})
    assert added.status_code == 302
    refused = client.post("/admin/notify", data={"department": "zjj", "channel": "email", "address": "nobody"})
    assert refused.status_code == 400 and "格式不对" in refused.text
    [target] = outbox.targets(session)
    assert (target.department.code, target.channel, target.secret) == ("zjj", NotifyChannel.WEBHOOK, SECRET)
    assert "https://zjj.example/hook" in client.get("/admin/notify").text


def test_on_postgresql_a_host_skips_what_another_is_claiming_without_waiting(app, session, policy, clock):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: the second host waits for the first, then finds the lease taken")
    builders.dispatched(session, policy, clock.now)
    session.commit()
    rules = outbox.DeliveryRules()
    make = app.extensions["hotline.sessionmaker"]
    with make() as first, make() as second:
        claimed = outbox.claim_due(first, "host-a", clock.now, rules)  # its transaction still open: rows locked
        assert claimed and outbox.claim_due(second, "host-b", clock.now, rules) == []
        first.commit()
