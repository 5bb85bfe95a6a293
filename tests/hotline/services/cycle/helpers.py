"""Builders for the cycle's tests: drive tickets through the API at chosen local moments."""
from __future__ import annotations

from datetime import datetime
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from models import Ticket

CST = ZoneInfo("Asia/Shanghai")
# Every ticket goes to the dispatcher's queue (nothing is confident enough) and nothing is linked as a repeat
# by itself, so each test decides exactly where tickets go and which ones repeat.
BY_HAND = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01, REPEAT_SIMILARITY=1.1, REPEAT_CALLER_SIMILARITY=1.1)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A local (Asia/Shanghai) moment."""
    return datetime(year, month, day, hour, minute, tzinfo=CST)


def local(text: str | None) -> datetime | None:
    """Parse an ISO time from the API."""
    return datetime.fromisoformat(text) if text else None


class Desk:
    """Plays operator, dispatcher, units and supervisor, each call at a moment the test chooses."""

    def __init__(self, api, clock) -> None:
        """Drive `api` with `clock` set before every call."""
        self.api = api
        self.clock = clock
        self.phones = count(1)

    def call(self, method: str, path: str, user: str, when: datetime, body=None, status: int = 200):
        """One API call at `when`; asserts the status and returns the JSON."""
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

    def assign(self, number: str, when: datetime, department: str) -> dict:
        """The dispatcher sends the ticket to a unit."""
        return self.call("POST", f"/tickets/{number}/assign", "dispatcher", when, {"department": department})

    def sign(self, number: str, when: datetime, unit: str = "zjj") -> dict:
        """签收."""
        return self.call("POST", f"/tickets/{number}/sign", unit, when, {})

    def reply(self, number: str, when: datetime, unit: str = "zjj") -> dict:
        """办结回复."""
        return self.call("POST", f"/tickets/{number}/reply", unit, when, {"reply": "已处理完毕。"})

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
        if when is not None:
            self.clock.set(when)
        response = self.api.get(f"/tickets/{number}", user)
        assert response.status_code == 200, response.json
        return response.json


def ticket_row(session, number: str) -> Ticket:
    """The ticket's row, fresh from the database."""
    session.expire_all()
    return session.scalar(select(Ticket).where(Ticket.number == number))
