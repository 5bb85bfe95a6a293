"""What the operator is shown before saving a call: the router's proposal, earlier repeats, knowledge-base answers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from .identifiers import normalise_phone
from .intake import check_content, check_district
from .knowledge import KBResult, KnowledgeIndex
from .policy import Policy
from .repeats import SimilarTicket, find_repeats
from .routing import RouteResult, RoutingEngine

MIN_SUGGEST_CHARS = 4  # fewer characters say too little to route or search on
MAX_ADDRESS_CHARS = 200
MAX_PHONE_CHARS = 20


def route_text(session: Session, engine: RoutingEngine, policy: Policy, content: str, address: str = "",
               district: str | None = None) -> RouteResult:
    """The top three categories and units for a text, without saving anything (a bad length or district is a 400)."""
    check_content(content, policy)
    check_district(engine.gazetteer, district)
    return engine.route(session, content, address, district)


def similar_tickets(
    session: Session, engine: RoutingEngine, policy: Policy, now: datetime, *, content: str,
    caller_phone: str | None = None, address: str = "", district: str | None = None, limit: int = 5,
) -> tuple[str | None, list[SimilarTicket]]:
    """The district the call is about, and the earlier tickets it would repeat (same caller or place, same problem)."""
    check_content(content, policy)
    check_district(engine.gazetteer, district)
    district = district or engine.gazetteer.extract(address, content)
    found = find_repeats(session, caller_phone=caller_phone or "", content=content, district=district, now=now,
                         rules=policy.repeat_rules, limit=limit)
    return district, found


@dataclass
class Suggestion:
    """Everything the call page shows while the operator types."""

    district: str | None
    route: RouteResult | None = None  # None: too little text yet
    kb: list[KBResult] = field(default_factory=list)
    similar: list[SimilarTicket] = field(default_factory=list)


def suggest(
    session: Session, engine: RoutingEngine, kb: KnowledgeIndex, policy: Policy, now: datetime, *, content: str,
    address: str = "", caller_phone: str = "", district: str | None = None, limit: int = 3,
) -> Suggestion:
    """Live suggestions for a call being typed: never an error, whatever half-typed input arrives."""
    content = content[:policy.max_content_chars].strip()
    address = address[:MAX_ADDRESS_CHARS].strip()
    caller_phone = caller_phone[:MAX_PHONE_CHARS].strip()
    caller_phone = normalise_phone(caller_phone) or caller_phone  # "138 1234 5678" finds the same caller
    if district not in engine.gazetteer.districts:
        district = None
    district = district or engine.gazetteer.extract(address, content)
    if len(content) < MIN_SUGGEST_CHARS:
        return Suggestion(district)
    return Suggestion(
        district,
        route=engine.route(session, content, address, district),
        kb=kb.search(session, content, limit=limit, min_score=policy.learning_rules.kb_min_score),
        similar=find_repeats(session, caller_phone=caller_phone, content=content, district=district, now=now,
                             rules=policy.repeat_rules, limit=limit),
    )
