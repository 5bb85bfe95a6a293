"""Routing: the trained model proposes categories, rules turn (category, district) into a unit.

This is the only module of the service that imports `classifier`.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

import classifier
from models import Category, Department, RoutingRule

from .places import Gazetteer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RouteCandidate:
    """One proposed category with the unit the rules give it, and the model's probability."""

    category: str
    department: Department | None
    probability: float


@dataclass(frozen=True)
class RouteResult:
    """What the router proposes for one appeal, and whether it is sure enough to dispatch alone."""

    candidates: list[RouteCandidate]
    district: str | None
    model_version: str | None
    auto_dispatch: bool
    reason: str = ""

    @property
    def top(self) -> RouteCandidate | None:
        """The most probable candidate, if any."""
        return self.candidates[0] if self.candidates else None


@dataclass
class RoutingEngine:
    """Holds the model in service (or why there is none) and the gazetteer.

    The model is loaded on first use, not at start-up: commands that never route (``flask --help``,
    the cycle jobs) then start without importing scikit-learn and jieba. ``gunicorn --preload`` loads
    it before forking (see wsgi.py), so the workers still share one copy.
    """

    gazetteer: Gazetteer
    load_error: str | None = None
    threshold_override: float | None = None
    model_dir: Path | None = field(default=None)
    _router: classifier.Router | None = field(default=None, repr=False)
    _tried: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_directory(cls, model_dir: Path, gazetteer: Gazetteer, threshold_override: float | None = None,
                       version: str | None = None, *, lazy: bool = False) -> RoutingEngine:
        """Load `version` (or the newest model) under `model_dir`, now or (lazy) on first use.

        A missing or bad model is recorded, not raised.
        """
        engine = cls(gazetteer=gazetteer, threshold_override=threshold_override, model_dir=model_dir)
        if not lazy:
            engine.activate(version)
        return engine

    @property
    def router(self) -> classifier.Router | None:
        """The model in service, loaded on first use; None (with load_error) when there is none."""
        if not self._tried:
            with self._lock:
                if not self._tried:
                    self.activate()
        return self._router

    def activate(self, version: str | None = None) -> bool:
        """Switch to another model version; on failure keep the model in service (if any) and record why."""
        self._tried = True
        path = self._version_path(version)
        if path is None:
            self.load_error = f"no trained model under {self.model_dir}" if self.model_dir else "no model"
            return False
        try:
            router = classifier.Router.load(path)
        except classifier.ModelError as exc:
            log.error("model %s not loaded: %s", path.name, exc)
            self.load_error = f"model {path.name} not loaded: {exc}"
            return False
        self._router, self.load_error = router, None
        return True

    def _version_path(self, version: str | None) -> Path | None:
        """The directory of `version`, or of the newest model when no version is named."""
        if self.model_dir is None:
            return None
        if version:
            return self.model_dir / version
        versions = available_versions(self.model_dir)
        return self.model_dir / versions[-1] if versions else None

    @property
    def threshold(self) -> float | None:
        """Probability at or above which a ticket is dispatched without a person."""
        if self.threshold_override is not None:
            return self.threshold_override
        return self.router.threshold if self.router else None

    def status(self) -> dict:
        """Model status for /healthz."""
        if self.router is None:
            return {"ok": False, "version": None, "reason": self.load_error}
        return {"ok": True, "version": self.router.version, "threshold": self.threshold}

    def route(self, session: Session, content: str, address: str = "", district: str | None = None) -> RouteResult:
        """Propose the top three categories with their units; decide whether to auto-dispatch."""
        district = district or self.gazetteer.extract(address, content)
        if self.router is None:
            return RouteResult([], district, None, False, self.load_error or "no model")
        predictions = self.router.predict(content, k=3)
        departments = resolve_departments(session, [p.label for p in predictions], district)
        candidates = [RouteCandidate(p.label, departments.get(p.label), p.probability) for p in predictions]
        auto, reason = self._decide(candidates)
        return RouteResult(candidates, district, self.router.version, auto, reason)

    def _decide(self, candidates: list[RouteCandidate]) -> tuple[bool, str]:
        """Auto-dispatch only a confident prediction that a rule maps to a unit."""
        if not candidates:
            return False, "the model had nothing to go on (empty text)"
        top = candidates[0]
        threshold = 1.0 if self.threshold is None else self.threshold
        if top.probability < threshold:
            return False, f"confidence {top.probability:.2f} below threshold {threshold:.2f}"
        if top.department is None:
            return False, f"no routing rule for category {top.category}"
        return True, ""


def available_versions(model_dir: Path) -> list[str]:
    """Model versions present under `model_dir`, oldest first (version names sort by time)."""
    if not model_dir.is_dir():
        return []
    return sorted(p.name for p in model_dir.iterdir() if (p / "metadata.json").is_file())


def resolve_departments(session: Session, categories: list[str], district: str | None) -> dict[str, Department]:
    """Map each category name to its unit: the district's rule if there is one, else the city-wide rule."""
    if not categories:
        return {}
    rows = session.execute(
        select(Category.name, RoutingRule.district, Department)
        .join(RoutingRule, RoutingRule.category_id == Category.id)
        .join(Department, Department.id == RoutingRule.department_id)
        .where(Category.name.in_(categories), Category.active.is_(True), Department.active.is_(True))
    ).all()
    city_wide = {name: dept for name, rule_district, dept in rows if rule_district is None}
    local = {name: dept for name, rule_district, dept in rows if district and rule_district == district}
    return {name: local.get(name) or city_wide[name] for name in categories if name in local or name in city_wide}


def category_of_department(session: Session, department: Department) -> Category | None:
    """The one category whose rules send work to `department`, or None when there are several or none."""
    categories = session.scalars(
        select(Category).join(RoutingRule, RoutingRule.category_id == Category.id)
        .where(RoutingRule.department_id == department.id).distinct()
    ).all()
    return categories[0] if len(categories) == 1 else None
