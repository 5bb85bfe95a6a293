"""Fixtures of the page tests: log in as a demo user through the login form, register calls through the pages."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from hotline.auth import session_stamp
from hotline.db import get_session
from hotline.routing_setup import get_engine
from hotline.services import workflow
from hotline.services.intake import NewTicket, create_ticket
from hotline.services.policy import load_policy
from models import AppealType
from tests.builders import CONTENT, REPLY, department, ticket_row, user

CALL = {
    "caller_phone": "13812345678",
    "caller_name": "王先生",
    "appeal_type": "complaint",
    "urgency": "normal",
    "channel": "phone",
    "address": "衡阳市雁峰区先锋街道某小区3栋",
    "district": "",
    "content": CONTENT,
}
MANUAL = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01)  # every call waits for the dispatcher
AUTO = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=0.0)  # every call is dispatched at once
SMALL_PAGES = pytest.mark.app_config(PAGE_SIZE=3)  # paging shows with a handful of rows
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run, shared by every browser test module (Playwright's sync API runs one
    loop per process); skipped (saying why) only where there is no Chromium."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium or set CHROMIUM_PATH (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


class Pages:
    """A test client that logs in through the login page, one client per user."""

    def __init__(self, app) -> None:
        """Pages of `app`, no one logged in yet."""
        self.app = app
        self.clients: dict[str, object] = {}

    def as_(self, username: str):
        """A client logged in as `username` (created on first use).

        The session is written directly, as the login page writes it: checking a password takes a tenth
        of a second by design, and test_auth_pages covers the login page itself.
        """
        if username not in self.clients:
            with self.app.extensions["hotline.sessionmaker"]() as session:
                row = user(session, username)
                user_id, stamp = row.id, session_stamp(row)
            client = self.app.test_client()
            with client.session_transaction() as cookie:
                cookie["uid"], cookie["pw"], cookie["at"] = user_id, stamp, int(time.time())
            self.clients[username] = client
        return self.clients[username]

    def get(self, username: str, path: str, **kwargs):
        """GET a page as `username`."""
        return self.as_(username).get(path, **kwargs)

    def post(self, username: str, path: str, data=None, **kwargs):
        """POST a form as `username`."""
        if "json" not in kwargs:
            kwargs["data"] = data or {}
        return self.as_(username).post(path, **kwargs)

    def new_call(self, **overrides) -> str:
        """Register a call on the operator's page; returns the ticket number."""
        response = self.post("operator", "/operator/", {**CALL, **overrides})
        assert response.status_code == 302, response.get_data(as_text=True)
        match = re.search(r"created=(\d+)", response.headers["Location"])
        return match.group(1)

    def dispatched_call(self, department: str = "zjj", **call) -> str:
        """A call the dispatcher sent to `department` on the queue page; returns its number."""
        number = self.new_call(**call)
        response = self.post("dispatcher", f"/dispatcher/tickets/{number}/assign", {"department": department})
        assert response.status_code == 302, response.get_data(as_text=True)
        return number

    def replied_call(self, department: str = "zjj", reply: str = REPLY, **call) -> str:
        """A call `department` signed and replied to on its pages; returns its number."""
        number = self.dispatched_call(department, **call)
        assert self.post(department, f"/department/tickets/{number}/sign").status_code == 302
        response = self.post(department, f"/department/tickets/{number}/reply", {"rep-reply": reply})
        assert response.status_code == 302, response.get_data(as_text=True)
        return number

    def closed_call(self, department: str = "zjj", **call) -> str:
        """A call replied to and called back satisfied (so closed) on the pages; returns its number."""
        number = self.replied_call(department, **call)
        response = self.post("supervisor", f"/supervisor/callbacks/{number}", {
            f"cb{number}-reached": "1", f"cb{number}-solved": "1", f"cb{number}-satisfaction": "satisfied"})
        assert response.status_code == 302, response.get_data(as_text=True)
        return number


@pytest.fixture
def pages(app) -> Pages:
    """The pages, as demo users."""
    return Pages(app)


def text(response) -> str:
    """The page's HTML as text."""
    return response.get_data(as_text=True)


class Desk:
    """Sets a scene through the services directly (no page, no CSRF token): calls, assignments, replies."""

    def __init__(self, app) -> None:
        """The services of `app`."""
        self.app = app

    def _run(self, work):
        """Run `work(session, policy, now)` in an app context and commit, as one request would."""
        with self.app.app_context():
            session = get_session()
            result = work(session, load_policy(session, self.app.config), self.app.config["CLOCK"]())
            session.commit()
            return result

    def call(self, **overrides) -> str:
        """A call registered by the operator (routed as the service routes it); returns its number."""
        fields = {k: v for k, v in {**CALL, **overrides}.items() if k in NewTicket.__dataclass_fields__}
        fields["appeal_type"] = AppealType(fields["appeal_type"])
        fields.pop("urgency", None), fields.pop("channel", None)
        fields["district"] = fields.get("district") or None
        return self._run(lambda session, policy, now: create_ticket(
            session, NewTicket(**fields), user(session, "operator"), get_engine(), policy, now).number)

    def assign(self, number: str, code: str = "zjj") -> None:
        """The dispatcher sends the ticket to unit `code`."""
        self._run(lambda session, policy, now: workflow.dispatch(
            session, ticket_row(session, number), department(session, code), None, policy, now,
            actor=user(session, "dispatcher")))

    def reply(self, number: str, code: str = "zjj", text: str = REPLY) -> None:
        """The unit signs and replies."""
        def work(session, policy, now):
            """Sign, then reply."""
            ticket, unit = ticket_row(session, number), user(session, code)
            workflow.sign(session, ticket, unit, now)
            workflow.reply(session, ticket, text, unit, now, policy=policy)

        self._run(work)

    def request_extension(self, number: str, code: str = "zjj") -> None:
        """The unit asks for three more working days."""
        self._run(lambda session, policy, now: workflow.request_extension(
            session, ticket_row(session, number), "需协调供水、燃气等多家单位现场会商", 3, user(session, code),
            policy, now))


@pytest.fixture
def desk(app) -> Desk:
    """The services, to set a scene quickly."""
    return Desk(app)

