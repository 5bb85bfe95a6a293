"""What every page needs: the policy in force, paging on the server, finding a ticket, running a service call."""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, flash, g, request, url_for
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from models import ExtensionRequest, Ticket, User

from .. import clock
from ..db import get_session
from ..policy_setup import current_policy as policy  # noqa: F401  (the views import it from here)
from ..services import extensions
from ..services.access import visible_ticket
from ..services.errors import DomainError
from ..services.paging import COUNT_CAP, Rows, page_of
from .forms import WebForm
from .messages import zh_error

def now() -> datetime:
    """Now (the CLOCK setting pins it in tests)."""
    return clock.now()




@dataclass
class Page:
    """One page of a list: its rows, where it is, and how many rows there are in all (up to COUNT_CAP)."""

    items: list[Any]
    page: int
    per_page: int
    total: int
    capped: bool = False  # there are more than `total` rows

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one, even when empty)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        """The 1-based position of the first row shown."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    def url(self, page: int) -> str:
        """This list at another page, with the same filters."""
        args = request.args.to_dict()
        args["page"] = page
        return url_for(request.endpoint, **(request.view_args or {}), **args)


def paginate(query: Select, page: int | None, per_page: int | None = None, *, scalars: bool = True,
             few_order=None, cap: int | None = None) -> Page:
    """One page of `query` (run in the database, with a capped count), at the PAGE_SIZE setting by default.

    The count stops at `cap` (COUNT_CAP unless given); `few_order` is the order to sort by when the count
    is under the cap (hotline.services.paging.page_of).
    """
    rows = page_of(get_session(), query, page or 1, per_page or int(current_app.config.get("PAGE_SIZE", 20)),
                   cap=COUNT_CAP if cap is None else cap, scalars=scalars, few_order=few_order)
    return Page(rows.items, rows.page, rows.per_page, rows.total, capped=rows.capped)


def paged(rows_of: Callable[..., Rows], page: int | None) -> Page:
    """One page from a service that pages its list itself: ``rows_of(page=, per_page=, cap=)``."""
    rows = rows_of(page=page or 1, per_page=int(current_app.config.get("PAGE_SIZE", 20)), cap=COUNT_CAP)
    return Page(rows.items, rows.page, rows.per_page, rows.total, capped=rows.capped)


def find_ticket(number: str, user: User, session: Session | None = None) -> Ticket:
    """The ticket with this number; a department user finds only its own unit's (others are a 404)."""
    return visible_ticket(session or get_session(), number, user)


def page_error(message: str) -> None:
    """A message shown at the top of the page being rendered (not carried to the next request)."""
    g.setdefault("page_errors", []).append(message)


def perform(action: Callable[[], Any], form: WebForm | None = None, done: str | None = None, *,
            redirecting: bool = False) -> DomainError | None:
    """Run a service call and commit (one commit per request); on a domain error roll back and show it.

    The error's Chinese wording goes next to the form field it names, else at the top of the page
    (flashed to the next page when the view redirects either way). Returns the error, or None after
    success (then `done` is flashed for the page redirected to).
    """
    session = get_session()
    try:
        action()
        session.commit()
    except DomainError as exc:
        session.rollback()
        message = zh_error(exc)
        if redirecting:
            flash(message, "error")
        elif form is None or not form.add_error(exc.field, message):
            page_error(message)
        return exc
    if done:
        flash(done, "success")
    return None


def local(moment: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A moment in the city's time zone, e.g. 2026-11-16 09:00 (an ISO text, as model metadata keeps it, too)."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
        if moment.tzinfo is None:
            return moment.strftime(fmt)
    return moment.astimezone(policy().tz).strftime(fmt) if moment else ""


def duration_text(delta: timedelta) -> str:
    """A duration in words a person reads at a glance: 3天2小时, 2小时15分, 40分."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    return f"{minutes}分"


def time_left(due: datetime | None, at: datetime | None = None) -> dict | None:
    """{text, overdue} for a deadline: 剩 2小时 or 超 1天3小时 (natural time; the deadline itself is shown too)."""
    if due is None:
        return None
    delta = due - (at or now())
    if delta >= timedelta():
        return {"text": f"剩 {duration_text(delta)}", "overdue": False}
    return {"text": f"超 {duration_text(delta)}", "overdue": True}


def url_with(**changes: Any) -> str:
    """This page's address with some query-string values changed (a sort order, back to page 1)."""
    args = {**request.args.to_dict(), **changes}
    return url_for(request.endpoint, **(request.view_args or {}), **{k: v for k, v in args.items() if v is not None})


def safe_next(target: str | None, default: str) -> str:
    """A redirect target on this site only (a list page with its filters), else `default`."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default


def extension_requests(ticket: Ticket) -> list[ExtensionRequest]:
    """The ticket's extension requests (延期申请), oldest first."""
    return extensions.of_ticket(get_session(), ticket)
