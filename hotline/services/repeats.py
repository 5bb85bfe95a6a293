"""重复件: a new appeal by the same caller, or at the same place, about the same problem within 30 days.

The search is bounded by indexes whatever the history: the caller's and the district's tickets created
in the window, and their open tickets older than it (partial indexes on the open ones), the most recent
MAX_CANDIDATES of each, in one statement. It reads each candidate's stored bigrams (``content_bigrams``,
written at intake), never the full rows; only the tickets it returns are loaded.
"""
from __future__ import annotations

import math
import re
from itertools import repeat
from operator import mul
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ScalarSelect, Select, case, literal, select, true, union_all
from sqlalchemy.orm import Session

from models import Ticket, TicketStatus

NOISE = re.compile(r"[\W_*]+")
MAX_CANDIDATES = 300  # the most recent tickets of that caller, and of that district, are plenty to compare


@dataclass(frozen=True)
class RepeatRules:
    """How alike and how recent two appeals must be to count as one matter."""

    window_days: int = 30
    place_similarity: float = 0.5  # same district: the texts must say nearly the same thing
    caller_similarity: float = 0.3  # same caller: a looser match is enough


@dataclass(frozen=True)
class SimilarTicket:
    """An earlier ticket this appeal repeats, and why."""

    ticket: Ticket
    reason: str  # "same_caller" or "same_place"
    similarity: float


@dataclass(frozen=True)
class Match:
    """An earlier ticket found by the search, by id: the first ticket of its matter, and why it matched."""

    ticket_id: int
    original_id: int  # the ticket a repeat is linked to (the earlier one's own original, if it is a repeat)
    reason: str
    similarity: float


def bigram_text(text: str) -> str:
    """The stored form of a text's bigrams (``Ticket.content_bigrams``): space-separated, in text order."""
    clean = NOISE.sub("", text)
    return " ".join(clean[i:i + 2] for i in range(len(clean) - 1))


def bigrams(text: str) -> Counter:
    """Character bigrams of the text without punctuation or masking: robust to word-segmentation noise."""
    return Counter(bigram_text(text).split())


def cosine(a: Counter, b: Counter) -> float:
    """Cosine similarity of two bigram bags."""
    if not a or not b:
        return 0.0
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


class Measure:
    """Cosine similarity of one text's bigrams against many stored ones, in C-level loops (hundreds per search)."""

    def __init__(self, text: str) -> None:
        self.grams = dict(bigrams(text))
        self.norm = math.sqrt(sum(v * v for v in self.grams.values()))

    def against(self, stored: str) -> float:
        """The similarity to a text whose stored bigrams are `stored` (Ticket.content_bigrams)."""
        theirs = stored.split()
        if not theirs or not self.norm:
            return 0.0
        # Summed over every occurrence of a gram in theirs, mine[g] adds up to mine[g] * theirs[g].
        dot = sum(map(self.grams.get, theirs, repeat(0)))
        if not dot:
            return 0.0
        counts = list(Counter(theirs).values())
        return dot / (self.norm * math.sqrt(sum(map(mul, counts, counts))))


def _recent(where, since: datetime) -> list[Select]:
    """The newest tickets matching `where` in the window, and its open ones created before it (two index ranges)."""
    columns = (Ticket.id, Ticket.caller_phone, Ticket.district, Ticket.repeat_of_id, Ticket.created_at,
               Ticket.content_bigrams,
               # Only tickets older than migration 0021's back-fill lack stored bigrams: read their text instead.
               case((Ticket.content_bigrams.is_(None), Ticket.content), else_=literal(None)).label("content"))
    newest = (Ticket.created_at.desc(),)
    return [
        select(*columns).where(where, Ticket.created_at >= since).order_by(*newest).limit(MAX_CANDIDATES),
        select(*columns).where(where, Ticket.created_at < since, Ticket.status != TicketStatus.CLOSED)
        .order_by(*newest).limit(MAX_CANDIDATES),
    ]


@dataclass(frozen=True)
class Search:
    """What one search found, and the value of the count asked for alongside (None if none was)."""

    matches: list[Match]
    counted: int | None = None


def search(session: Session, *, caller_phone: str, content: str, district: str | None, now: datetime,
           rules: RepeatRules = RepeatRules(), exclude_id: int | None = None, limit: int = 5,
           also_count: ScalarSelect | None = None) -> Search:
    """Earlier tickets (created within the window, or still open) this appeal repeats, most similar first.

    One statement; `also_count` (the intake's hot-spot count) is answered by the same statement.
    """
    since = now - timedelta(days=rules.window_days)
    parts = _recent(Ticket.caller_phone == caller_phone, since) if caller_phone else []
    if district:
        parts += _recent(Ticket.district == district, since)
    if not parts and also_count is None:
        return Search([])
    if not parts:
        return Search([], session.scalar(select(also_count)))
    found_rows = union_all(*(part.subquery().select() for part in parts)).subquery("found")
    query = select(found_rows)
    if also_count is not None:
        counted = select(also_count.label("counted")).subquery("counted")
        query = select(counted.c.counted, found_rows).select_from(counted.outerjoin(found_rows, true()))
    mine = Measure(content)
    found: dict[int, Match] = {}
    value = None
    for row in session.execute(query):
        value = row.counted if also_count is not None else None
        if row.id is None or row.id == exclude_id or row.id in found:
            continue
        stored = row.content_bigrams if row.content_bigrams is not None else bigram_text(row.content)
        similarity = mine.against(stored)
        if caller_phone and row.caller_phone == caller_phone and similarity >= rules.caller_similarity:
            reason = "same_caller"
        elif district and row.district == district and similarity >= rules.place_similarity:
            reason = "same_place"
        else:
            continue
        found[row.id] = Match(row.id, row.repeat_of_id or row.id, reason, similarity)
    # Most similar first; of equally similar ones the newest (the highest id), as the old search did.
    return Search(sorted(found.values(), key=lambda m: (-m.similarity, -m.ticket_id))[:limit], value)


def find_matches(session: Session, *, caller_phone: str, content: str, district: str | None, now: datetime,
                 rules: RepeatRules = RepeatRules(), exclude_id: int | None = None, limit: int = 5) -> list[Match]:
    """Earlier tickets this appeal repeats, most similar first, by id (one query)."""
    return search(session, caller_phone=caller_phone, content=content, district=district, now=now, rules=rules,
                  exclude_id=exclude_id, limit=limit).matches


def find_repeats(session: Session, *, caller_phone: str, content: str, district: str | None, now: datetime,
                 rules: RepeatRules = RepeatRules(), exclude_id: int | None = None, limit: int = 5) -> list[SimilarTicket]:
    """Earlier tickets this appeal repeats, most similar first, loaded (the search, then the few it found)."""
    matches = find_matches(session, caller_phone=caller_phone, content=content, district=district, now=now,
                           rules=rules, exclude_id=exclude_id, limit=limit)
    if not matches:
        return []
    tickets = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_([m.ticket_id for m in matches])))}
    return [SimilarTicket(tickets[m.ticket_id], m.reason, m.similarity) for m in matches]
