"""The one place for API-level helpers: drive the JSON API as staff would, asserting every answer.

`new_ticket`, `dispatched_ticket` and `replied_ticket` make a ticket at the app's clock; `Desk` plays every
role with each call at a moment the test chooses (the cycle's scenes).
"""
from __future__ import annotations

from datetime import datetime
from itertools import count

import pytest

from tests.builders import CONTENT, REPLY

CALL = {
    "content": CONTENT,
    "caller_phone": "13812345678",
    "appeal_type": "complaint",
    "caller_name": "王先生",
    "address": "衡阳市雁峰区先锋街道某小区3栋",
}
# Every ticket goes to the dispatcher's queue (nothing is confident enough) and nothing is linked as a repeat
# by itself, so each test decides exactly where tickets go and which ones repeat.
BY_HAND = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01, REPEAT_SIMILARITY=1.1, REPEAT_CALLER_SIMILARITY=1.1)


def local(text: str | None) -> datetime | None:
    """Parse an ISO time from the API."""
    return datetime.fromisoformat(text) if text else None


class Desk:
    """Plays operator, dispatcher, units and supervisor; each call at the app's clock or at a moment given."""

    def __init__(self, api, clock=None) -> None:
        """Drive `api`, setting `clock` before every call that names a moment."""
        self.api = api
        self.clock = clock
        self.phones = count(1)

    def call(self, method: str, path: str, user: str, when: datetime | None = None, body=None, status: int = 200):
        """One API call (at `when`, if given); asserts the status and returns the JSON."""
        if when is not None:
            self.clock.set(when)
        response = self.api.call(method, path, user, **({} if body is None else {"json": body}))
        assert response.status_code == status, (path, response.json)
        return response.json

    def new(self, when: datetime, department: str | None = "zjj", appeal_type: str = "complaint", **extra) -> str:
        """Register a call at `when` and, unless department is None, assign it there; returns its number."""
        n = next(self.phones)
        body = {"content": f"第{n}号诉求：小区门口道路破损积水，行人通行困难，请尽快维修。", "caller_phone": f"1390000{n:04d}",
                "appeal_type": appeal_type, **extra}
        number = self.call("POST", "/tickets", "operator", when, body, status=201)["number"]
        if department is not None:
            self.assign(number, when, department)
        return number

    def assign(self, number: str, when: datetime | None = None, department: str = "zjj") -> dict:
        """The dispatcher sends the ticket to a unit."""
        return self.call("POST", f"/tickets/{number}/assign", "dispatcher", when, {"department": department})

    def sign(self, number: str, when: datetime | None = None, unit: str = "zjj") -> dict:
        """签收."""
        return self.call("POST", f"/tickets/{number}/sign", unit, when, {})

    def reply(self, number: str, when: datetime | None = None, unit: str = "zjj", text: str = "已处理完毕。") -> dict:
        """办结回复."""
        return self.call("POST", f"/tickets/{number}/reply", unit, when, {"reply": text})

    def give_back(self, number: str, when: datetime, unit: str) -> dict:
        """退单."""
        return self.call("POST", f"/tickets/{number}/return", unit, when, {"reason": "不属于本单位职责"})

    def callback(self, number: str, when: datetime, satisfaction: str | None = "satisfied", solved: bool = True,
                 reached: bool = True) -> dict:
        """回访: reached with a rating, or not reached (satisfaction None)."""
        body = {"reached": reached}
        if reached:
            body.update(solved=solved, satisfaction=satisfaction)
        return self.call("POST", f"/tickets/{number}/callback", "supervisor", when, body)

    def ticket(self, number: str, when: datetime | None = None, user: str = "supervisor") -> dict:
        """The ticket as the API shows it (at `when`, if given)."""
        return self.call("GET", f"/tickets/{number}", user, when)


def new_ticket(api, **overrides) -> dict:
    """Register a call as the operator and return the ticket JSON."""
    return Desk(api).call("POST", "/tickets", "operator", body={**CALL, **overrides}, status=201)


def dispatched_ticket(api, department: str = "zjj", **overrides) -> dict:
    """A ticket the dispatcher has sent to `department`."""
    return Desk(api).assign(new_ticket(api, **overrides)["number"], department=department)


def replied_ticket(api, department: str = "zjj", **overrides) -> dict:
    """A ticket signed and replied by `department`."""
    desk = Desk(api)
    number = dispatched_ticket(api, department, **overrides)["number"]
    desk.sign(number, unit=department)
    return desk.reply(number, unit=department, text=REPLY)
