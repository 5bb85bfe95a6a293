"""Finding tickets: the centre's search box, the API's filtered list and a unit's inbox, each one query.

The search box takes a ticket number or its first digits, a phone or its last digits, a caller's name,
or words of the title, content and address. Words are cut by jieba the way intake cut the ticket
(hotline.services.search_terms) and looked up in the word index (models.search_index): PostgreSQL's
full text or SQLite's FTS5. Every other filter and the order use a B-tree index.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Column, ColumnElement, and_, bindparam, func, literal_column, or_, select, true, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.util import ClauseAdapter
from sqlalchemy.sql.visitors import iterate
from sqlalchemy.sql import Select
from sqlalchemy.sql.functions import FunctionElement

from models import (AppealType, Category, Channel, Department, Role, Ticket, TicketCoUnit, TicketEvent, TicketStatus,
                    User)
from models.search_index import FTS_TABLE, PG_COLUMN

from .access import identity_visible, visible_branches, visible_to
from .cycle.flags import flag_sql, instant, rank_sql
from .cycle.rules import CycleRules
from .errors import InvalidInput, NotFound
from .handlers import handler_filter
from .paging import Rows, capped_count, newest_after

S = TicketStatus
# What a unit's inbox shows for each status filter (None: everything).
INBOX_STATUSES: dict[str, tuple[TicketStatus, ...] | None] = {
    "open": (S.DISPATCHED, S.SIGNED),
    "dispatched": (S.DISPATCHED,),
    "signed": (S.SIGNED,),
    "replied": (S.REPLIED,),
    "closed": (S.CLOSED,),
    "all": None,
}
INBOX_SORTS = ("due", "sign", "flag", "new", "old")
# The status filters whose closed tickets sort by their stored flag (Ticket.flag_rank): those not bounded to open work.
STORED_FLAG_ORDER = ("closed", "all")
UNCLOSED = tuple(s for s in TicketStatus if s is not TicketStatus.CLOSED)
NEWEST_FIRST = (Ticket.created_at.desc(), Ticket.id.desc())
# The same order as an expression no index serves (coalesce(x, x) is x): for a search with few matches,
# which are best found through their own indexes and sorted (hotline.services.paging.page_of).
SORTED_CREATED = func.coalesce(Ticket.created_at, Ticket.created_at)
SORTED_NEWEST_FIRST = (SORTED_CREATED.desc(), Ticket.id.desc())
# A search lists at most this many pages: deeper pages of a common word cost more and more; narrow it instead.
MAX_PAGE = 25
# A search counts its matches up to here ("1000+"; the pages show 500 at most), and sorts them when under it.
COUNT_CAP = 1_000
# ... but digits count further: a day's numbers match thousands of tickets, all of one day, and walking the
# newest-first index back to that day would read every later ticket; sorting a few thousand is cheaper.
DIGITS_COUNT_CAP = 10_000



def by_number(session: Session, number: str) -> Ticket | None:
    """The ticket with this number, or None (for staff who see every ticket)."""
    return session.scalar(select(Ticket).where(Ticket.number == number))


def by_numbers(session: Session, numbers: Sequence[str]) -> tuple[list[Ticket], list[str]]:
    """The tickets with these numbers, in their order, and the numbers no ticket has (one query)."""
    found = {t.number: t for t in session.scalars(select(Ticket).where(Ticket.number.in_(numbers)))}
    return [found[n] for n in numbers if n in found], [n for n in numbers if n not in found]


def after_ticket(session: Session, user: User, number: str) -> ColumnElement[bool]:
    """Keyset paging of a newest-first list: the rows after the ticket `number` (one `user` may see), or a 404."""
    row = session.execute(select(Ticket.created_at, Ticket.id).where(Ticket.number == number, visible_to(user))).first()
    if row is None:
        raise NotFound("ticket_not_found", field="after", number=number)
    return newest_after(Ticket.created_at, Ticket.id, (row.created_at, row.id))


def list_options(*, events: bool = False) -> list:
    """What a ticket list loads with its tickets in one query each (and the history if `events`)."""
    options = [selectinload(Ticket.department), selectinload(Ticket.category),
               selectinload(Ticket.predicted_department), selectinload(Ticket.repeat_of),
               selectinload(Ticket.handler), selectinload(Ticket.co_units).selectinload(TicketCoUnit.department)]
    if events:
        options.append(selectinload(Ticket.events).options(selectinload(TicketEvent.actor),
                                                           selectinload(TicketEvent.department)))
    return options


# A phone's start or end is matched from this many digits: fewer would match a good part of the city.
PHONE_DIGITS_MIN = 4
# Spaces, dashes and brackets people type inside numbers; +86 / 0086 in front of a mobile number.
_NUMBER_NOISE = re.compile(r"[\s\-()（）]")
_COUNTRY = re.compile(r"^(\+86|0086)(?=1\d{10}$)")
FLAGS = ("green", "yellow", "red", "black")


class matches_words(FunctionElement):
    """``tickets`` rows whose search_terms hold every word (rendered for each database's word index).

    The single argument is the words in FTS5's syntax (each one quoted); PostgreSQL's plainto_tsquery
    reads the same string as the words joined by AND, the quotes being no part of a word.
    """

    type = Boolean()
    inherit_cache = True
    name = "matches_words"


@compiles(matches_words, "postgresql")
def _matches_words_pg(element, compiler, **kw) -> str:
    """The stored vector under the GIN index (migration 0019; the column is not on the model)."""
    table = compiler.preparer.format_table(Ticket.__table__)
    return (f"{table}.{PG_COLUMN} @@ "
            f"plainto_tsquery('simple'::regconfig, {compiler.process(element.clauses, **kw)})")


@compiles(matches_words, "sqlite")
def _matches_words_sqlite(element, compiler, **kw) -> str:
    """The FTS5 table's rowids are the tickets' ids."""
    column = compiler.process(Ticket.__table__.c.id, **kw)
    return (f"{column} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH "
            f"{compiler.process(element.clauses, **kw)})")


def words_query(words: Sequence[str]) -> str:
    """The words as FTS5 phrases ("噪音" "扰民": all of them), quotes inside a word doubled."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _starts_with(column, prefix: str) -> ColumnElement[bool]:
    """column LIKE 'prefix%' as a range, which a B-tree index serves whatever the collation."""
    return and_(column >= prefix, column < prefix[:-1] + chr(ord(prefix[-1]) + 1))


def digits_of(text: str) -> str | None:
    """What was typed as a number (spaces, dashes and +86 dropped), or None if it is not one."""
    digits = _COUNTRY.sub("", _NUMBER_NOISE.sub("", text))
    return digits if digits.isdigit() else None


def count_cap(q: str | None) -> int:
    """How far a search's count goes (and up to how many matches are sorted rather than read in order)."""
    return DIGITS_COUNT_CAP if q and digits_of(q.strip()) is not None else COUNT_CAP


def text_match(user: User, text: str) -> ColumnElement[bool]:
    """The tickets the search box's text finds, as `user` may search them.

    Digits: a number's start, or (for the centre) a phone's start or end. Anything else: the caller's
    name (its start) or every word in the title, content and address. A unit never finds a caller by an
    identity it may not see (identity_visible).
    """
    text = text.strip()
    if not text:
        return true()
    digits = digits_of(text)
    if digits is not None:
        found = [_starts_with(Ticket.number, digits)]
        if user.role != Role.DEPARTMENT and len(digits) >= PHONE_DIGITS_MIN:
            found += [_starts_with(Ticket.caller_phone, digits), _starts_with(Ticket.phone_reversed, digits[::-1])]
        return or_(*found)
    from classifier import tokenize  # jieba loads on first use, not when the services are imported

    found = [and_(_starts_with(Ticket.caller_name, text), identity_visible(user))]
    words = tokenize(text)
    if words:
        found.append(matches_words(bindparam(None, words_query(words))))
    return or_(*found)


@dataclass(frozen=True)
class Period:
    """Days of the city's calendar, both ends included (either may be open)."""

    start: date | None
    end: date | None
    tz: ZoneInfo

    def clause(self) -> ColumnElement[bool]:
        """created_at within the days."""
        clauses = []
        if self.start:
            clauses.append(Ticket.created_at >= datetime.combine(self.start, time(), self.tz))
        if self.end:
            clauses.append(Ticket.created_at < datetime.combine(self.end + timedelta(days=1), time(), self.tz))
        return and_(true(), *clauses)


def search_tickets(user: User, **filters) -> Select:
    """The tickets `user` may see that match every filter (as for :func:`search_where`), newest first: one
    query, for staff, who see every ticket (a unit's lists read its sets apart: :func:`found_page`)."""
    # created_at matches the (status|caller_phone, created_at) indexes, so a filtered page needs no sort.
    return select(Ticket).where(visible_to(user), *search_where(user, **filters)).order_by(*NEWEST_FIRST)


def search_where(
    user: User, *, statuses: Sequence[TicketStatus] = (), appeal_types: Sequence[AppealType] = (),
    number: str | None = None, caller_phone: str | None = None, department_code: str | None = None,
    district: str | None = None, q: str | None = None, channels: Sequence[Channel] = (),
    category: str | None = None, period: Period | None = None, flag: str | None = None,
    now: datetime | None = None, rules: CycleRules | None = None, handler: str | None = None,
) -> list[ColumnElement[bool]]:
    """The conditions of the filters given, each served by an index (who may see what aside: visible_to).

    `q` is the search box (:func:`text_match`); `flag` is the flag at `now` under `rules`.
    """
    where: list[ColumnElement[bool]] = []
    mine = handler_filter(user, handler)  # a unit's handler view: ?handler=me|none
    if mine is not None:
        where.append(mine)
    if q:
        where.append(text_match(user, q))
    if statuses:
        where.append(Ticket.status.in_(statuses))
    if appeal_types:
        where.append(Ticket.appeal_type.in_(appeal_types))
    if channels:
        where.append(Ticket.channel.in_(channels))
    if number:
        where.append(Ticket.number == number)
    if caller_phone:
        if user.role == Role.DEPARTMENT:
            raise InvalidInput("phone_search_not_allowed", field="caller_phone")
        where.append(Ticket.caller_phone == caller_phone)
    if department_code:
        where.append(Ticket.department_id == select(Department.id).where(Department.code == department_code)
                     .scalar_subquery())
    if category:
        where.append(Ticket.category_id == select(Category.id).where(Category.name == category)
                     .scalar_subquery())
    if district:
        where.append(Ticket.district == district)
    if period is not None:
        where.append(period.clause())
    if flag:
        if now is None or rules is None:
            raise ValueError("a flag filter needs now and the rules")
        where.append(flag_sql(instant(now), rules) == flag)
    return where


def found_page(session: Session, user: User, where: Sequence[ColumnElement[bool]], *, page: int, per_page: int,
               cap: int, after: str | None = None, few: bool = False, events: bool = False) -> Rows:
    """Page `page` of the tickets `user` may see that match `where` (:func:`search_where`), newest first, or
    with `after` (a ticket's number) the page after that ticket (a keyset page, numbered 0); counted up to `cap`.

    A unit's own tickets and those it co-handles are read apart (visible_branches), each off its index up to
    the page's last row, as the inbox does. With `few`, a count under the cap sorts its matches instead
    (SORTED_NEWEST_FIRST: for a search, walking the index pays only when matches are plentiful).
    """
    sets = visible_branches(user, *where)
    total, capped = _count_sets(session, sets, cap)
    key = Ticket.created_at
    if after:
        cursor = after_ticket(session, user, after)
        sets, page = [(*conditions, cursor) for conditions in sets], 0
    elif few and not capped:
        key = SORTED_CREATED
    offset = (page - 1) * per_page if page else 0
    items = _sets_rows(session, [(conditions, key) for conditions in sets], _descending, [Ticket.id.desc()],
                       offset=offset, limit=per_page, options=list_options(events=events))
    return Rows(items, page, per_page, total, capped)


def caller_history(session: Session, user: User, phone: str, limit: int) -> list[Ticket]:
    """The latest tickets of the caller on this phone (the call page shows them as the number is typed)."""
    digits = digits_of(phone or "")
    if user.role == Role.DEPARTMENT or not digits or len(digits) < PHONE_DIGITS_MIN + 3:
        return []  # too short to be one caller's number; a unit never looks callers up
    query = (select(Ticket).where(Ticket.caller_phone == digits).order_by(*NEWEST_FIRST).limit(limit)
             .options(selectinload(Ticket.department)))
    return list(session.scalars(query))


def _ascending(key: ColumnElement) -> ColumnElement:
    """Ascending with NULLs last: the order of PostgreSQL's b-tree indexes, read straight off them."""
    return key.asc().nulls_last()


def _descending(key: ColumnElement) -> ColumnElement:
    return key.desc()


# sort → (the leading key, its direction); every order then goes on by the reply deadline (for the flag) and id.
INBOX_KEYS = {"due": (Ticket.reply_by, _ascending), "sign": (Ticket.sign_by, _ascending),
              "new": (Ticket.dispatched_at, _descending), "old": (Ticket.dispatched_at, _ascending)}


def _inbox_parts(
    user: User, now: datetime, rules: CycleRules, *, status: str = "open", flag: str | None = None,
    urgency: str | None = None, appeal_type: str | None = None, number: str | None = None, sort: str = "due",
    q: str | None = None, handler: str | None = None,
) -> tuple[list[tuple[tuple[ColumnElement[bool], ...], ColumnElement]], Callable, list[ColumnElement]]:
    """The inbox's disjoint sets of tickets, each with the filters and its leading sort key; the key's
    direction; and the rest of the order."""
    flag_now = flag_sql(instant(now), rules)
    where = []
    mine = handler_filter(user, handler)
    if mine is not None:
        where.append(mine)
    if q:
        where.append(text_match(user, q))
    statuses = INBOX_STATUSES[status]
    if statuses:
        where.append(Ticket.status.in_(statuses))
    if flag:
        where.append(flag_now == flag)
    for name, value in (("urgency", urgency), ("appeal_type", appeal_type), ("number", number)):
        if value:
            where.append(getattr(Ticket, name) == value)
    sets = visible_branches(user, *where)
    if sort != "flag":
        key, direction = INBOX_KEYS.get(sort, INBOX_KEYS["due"])
        return [(conditions, key) for conditions in sets], direction, [Ticket.id.asc()]
    rest = [_ascending(Ticket.reply_by), Ticket.id.asc()]
    if status not in STORED_FLAG_ORDER:
        return [(conditions, rank_sql(flag_now)) for conditions in sets], _ascending, rest
    # Closed tickets' flags are final, stored by the daily job's refresh (flag_rank): read off the unit's
    # index instead of judging every ticket the unit ever had; the open ones (few) are judged now.
    # Literals, so that both databases match the partial index's WHERE (bound values they cannot compare).
    closed = literal_column("tickets.status") == literal_column(f"'{TicketStatus.CLOSED.value}'")
    parts = [((*conditions, closed), Ticket.flag_rank) for conditions in sets]
    if status != "closed":
        # The other statuses by name, not `<> 'closed'`: an inequality is no range of (department_id, status),
        # so PostgreSQL would bitmap every ticket the unit ever had to find its few open ones.
        parts += [((*conditions, Ticket.status.in_(UNCLOSED)), rank_sql(flag_now)) for conditions in sets]
    return parts, _ascending, rest


def _windowed(parts: Sequence[tuple[Sequence[ColumnElement[bool]], ColumnElement]], direction: Callable,
              rest: Sequence[ColumnElement], window: int | None) -> Select:
    """The tickets of disjoint sets (their conditions, each with its leading sort key) in the order
    direction(key), *rest. With `window`, each set is first cut at that many rows, read off its index in the
    order: PostgreSQL does not merge the ordered sets of a UNION ALL.
    """
    # The sets carry ids and the order's columns only, and the tickets are joined to them by id: a subquery of
    # the whole ticket (65 columns, each proxied with its foreign keys at every level) cost ~6 ms of Python per
    # page to build, more than the queries took.
    id_column = Ticket.__table__.c.id
    columns = {c.key: c for o in rest for c in iterate(o) if isinstance(c, Column) and c is not id_column}
    branches = [select(Ticket.id, *columns.values(), key.label("sort_key")).where(*conditions)
                for conditions, key in parts]
    if window is not None:
        # Wrapped: SQLite orders no arm of a UNION.
        branches = [branch.order_by(direction(key), *rest).limit(window).subquery().select()
                    for branch, (_conditions, key) in zip(branches, parts, strict=True)]
    visible = union_all(*branches).subquery("visible")
    on_rows = ClauseAdapter(visible).traverse  # the order, over the visible rows' columns
    query = select(Ticket).join(visible, Ticket.id == visible.c.id)
    return query.order_by(direction(visible.c.sort_key), *(on_rows(o) for o in rest))


def _count_sets(session: Session, sets: Sequence[Sequence[ColumnElement[bool]]], cap: int) -> tuple[int, bool]:
    """How many tickets the disjoint sets hold, up to `cap`: ids only (an index, no table rows where the
    visibility map allows), where their OR would be a bitmap of every ticket a unit ever had."""
    ids = union_all(*(select(Ticket.id).where(*conditions) for conditions in sets))
    return capped_count(session, ids.subquery().select(), cap)


def _sets_rows(session: Session, parts, direction: Callable, rest: Sequence[ColumnElement], *, offset: int,
               limit: int, options: Sequence) -> list[Ticket]:
    """Rows offset..offset+limit of the sets' union in the order (:func:`_windowed`), each set read up to the
    last of them, with `options` (what to load with them)."""
    query = _windowed(parts, direction, rest, offset + limit)
    return list(session.scalars(query.options(*options).offset(offset).limit(limit)))


# The inbox's rows show their handler and whether a co-handled one awaits the unit's part: loaded with the
# page, not one query per row.
INBOX_ROW_OPTIONS = (selectinload(Ticket.handler), selectinload(Ticket.co_units))


def inbox(user: User, now: datetime, rules: CycleRules, *, window: int | None = None, **filters) -> Select:
    """A unit's tickets matching the filters (status, flag, urgency, appeal_type, number, sort, q, handler), in
    the chosen order, read off the unit's indexes. `q` is the unit's own search box: the same matching as the
    centre's, within the unit's tickets. With `window`, only the first `window` rows in that order.
    """
    return _windowed(*_inbox_parts(user, now, rules, **filters), window).options(*INBOX_ROW_OPTIONS)


def inbox_page(session: Session, user: User, now: datetime, rules: CycleRules, *, page: int, per_page: int,
               cap: int, **filters) -> Rows:
    """Page `page` of a unit's inbox (the filters as for :func:`inbox`), with its count capped at `cap`.

    Each set is cut at the page's last row: a page reads page × per_page rows of an index at most, however
    many tickets the unit ever had.
    """
    parts, direction, rest = _inbox_parts(user, now, rules, **filters)
    total, capped = _count_sets(session, [conditions for conditions, _key in parts], cap)
    items = _sets_rows(session, parts, direction, rest, offset=(page - 1) * per_page, limit=per_page,
                       options=INBOX_ROW_OPTIONS)
    return Rows(items, page, per_page, total, capped)
