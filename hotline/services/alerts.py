"""Hot spots (热点): N or more tickets of one category in one district within a window raise an alert."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ScalarSelect, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from models import Alert, Ticket

from .errors import InvalidInput, NotFound


@dataclass(frozen=True)
class HotspotRules:
    """How many tickets in how many hours make a hot spot."""

    min_tickets: int = 5
    window_hours: int = 24


def hotspot_count(category: str | None, district: str | None, now: datetime,
                  rules: HotspotRules = HotspotRules()) -> ScalarSelect | None:
    """How many tickets of the category were created in the district over the window (None: nothing to count)."""
    if not category or not district:
        return None
    since = now - timedelta(hours=rules.window_hours)
    return select(func.count()).select_from(Ticket).where(
        Ticket.district == district, Ticket.predicted_category == category, Ticket.created_at >= since,
    ).scalar_subquery()


def check_hotspot(session: Session, category: str | None, district: str | None, now: datetime,
                  rules: HotspotRules = HotspotRules()) -> Alert | None:
    """Raise one alert per (category, district) and window when the count reaches the threshold."""
    count = hotspot_count(category, district, now, rules)
    if count is None:
        return None
    return raise_hotspot(session, category, district, now, rules, session.scalar(select(count)))


def raise_hotspot(session: Session, category: str | None, district: str | None, now: datetime, rules: HotspotRules,
                  count: int) -> Alert | None:
    """Given the spot's count, raise its alert, or refresh the window's alert (one statement when it exists)."""
    if not category or not district or count < rules.min_tickets:
        return None
    since = now - timedelta(hours=rules.window_hours)
    latest = (select(Alert.id).where(Alert.category == category, Alert.district == district, Alert.window_end > since)
              .order_by(Alert.window_end.desc()).limit(1).scalar_subquery())
    # One alert per spot and window: refresh its count instead of flooding supervisors.
    recent = session.scalars(
        update(Alert).where(Alert.id == latest).values(ticket_count=count, window_end=now).returning(Alert),
        execution_options={"populate_existing": True, "synchronize_session": False},
    ).one_or_none()
    if recent is not None:
        return recent
    alert = Alert(category=category, district=district, window_start=since, window_end=now, ticket_count=count,
                  created_at=now)
    session.add(alert)
    return alert


def find(session: Session, alert_id: int) -> Alert:
    """The alert with this id, or a 404."""
    alert = session.get(Alert, alert_id) if 0 < alert_id < 2**31 else None
    if alert is None:
        raise NotFound("record_not_found", field="id", kind="alert", id=alert_id)
    return alert


def acknowledge(session: Session, alert_id: int, actor_id: int, now: datetime) -> Alert:
    """A supervisor has seen the hot spot: it stays listed, marked as acknowledged (once)."""
    alert = find(session, alert_id)
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by_id = now, actor_id
    return alert


def acknowledge_many(session: Session, alert_ids: list[int], actor_id: int, now: datetime, *,
                     limit: int) -> list[Alert]:
    """Mark several hot spots as seen at once (all or none: an unknown one refuses the lot)."""
    alert_ids = list(dict.fromkeys(alert_ids))
    if not alert_ids:
        raise InvalidInput("required", field="alert_ids", name="alert_ids")
    if len(alert_ids) > limit:
        raise InvalidInput("too_many_selected", field="alert_ids", limit=limit)
    return [acknowledge(session, alert_id, actor_id, now) for alert_id in alert_ids]


def listed(*, open_only: bool = False) -> Select:
    """Hot spots, newest first (only those nobody has acknowledged yet, if `open_only`)."""
    query = select(Alert).order_by(Alert.window_end.desc(), Alert.id.desc())
    if open_only:
        query = query.where(Alert.acknowledged_at.is_(None))
    return query


def recent(session: Session, limit: int = 100) -> list[Alert]:
    """The latest hot spots, newest first."""
    return list(session.scalars(listed().limit(limit)))
