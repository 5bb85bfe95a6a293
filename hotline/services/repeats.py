"""重复件: a new appeal by the same caller, or at the same place, about the same problem within 30 days."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Ticket, TicketStatus

NOISE = re.compile(r"[\W_*]+")
MAX_CANDIDATES = 300  # the most recent tickets of that caller or district are plenty to compare


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


def bigrams(text: str) -> Counter:
    """Character bigrams of the text without punctuation or masking: robust to word-segmentation noise."""
    clean = NOISE.sub("", text)
    return Counter(clean[i:i + 2] for i in range(len(clean) - 1))


def cosine(a: Counter, b: Counter) -> float:
    """Cosine similarity of two bigram bags."""
    if not a or not b:
        return 0.0
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def find_repeats(session: Session, *, caller_phone: str, content: str, district: str | None, now: datetime,
                 rules: RepeatRules = RepeatRules(), exclude_id: int | None = None, limit: int = 5) -> list[SimilarTicket]:
    """Earlier tickets (created within the window, or still open) this appeal repeats, most similar first."""
    since = now - timedelta(days=rules.window_days)
    who_or_where = [Ticket.caller_phone == caller_phone]
    if district:
        who_or_where.append(Ticket.district == district)
    query = (
        select(Ticket)
        .where(or_(*who_or_where))
        .where(or_(Ticket.created_at >= since, Ticket.status != TicketStatus.CLOSED))
        .order_by(Ticket.created_at.desc())
        .limit(MAX_CANDIDATES)
    )
    if exclude_id is not None:
        query = query.where(Ticket.id != exclude_id)
    mine = bigrams(content)
    found = []
    for ticket in session.scalars(query):
        similarity = cosine(mine, bigrams(ticket.content))
        if ticket.caller_phone == caller_phone and similarity >= rules.caller_similarity:
            found.append(SimilarTicket(ticket, "same_caller", similarity))
        elif district and ticket.district == district and similarity >= rules.place_similarity:
            found.append(SimilarTicket(ticket, "same_place", similarity))
    found.sort(key=lambda s: -s.similarity)
    return found[:limit]
