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

from . import notes
from .errors import Param
from .notes import Note
from .places import Gazetteer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RouteCandidate:
    """One proposed category with the unit the rules give it, and the model's probability."""

    category: str
    department: Department | None
    probability: float
    category_row: Category | None = None  # the category's row, when a rule maps it (dispatch needs no look-up)


@dataclass(frozen=True)
class RouteResult:
    """What the router proposes for one appeal, and whether it is sure enough to dispatch alone."""

    candidates: list[RouteCandidate]
    district: str | None
    model_version: str | None
    auto_dispatch: bool
    # Why it is not auto-dispatched, as a system note (hotline/services/notes.py); "" when it is.
    reason_code: str = ""
    reason_params: dict[str, Param] = field(default_factory=dict)

    @property
    def reason_note(self) -> Note | None:
        """Why the router did not dispatch alone, as a system note (None when it did)."""
        return Note(self.reason_code, self.reason_params) if self.reason_code else None

    @property
    def reason(self) -> str:
        """The same in English, as the API shows it."""
        note = self.reason_note
        return note.text if note else ""

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
    load_note: Note | None = None  # why there is no model in service
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
            self.load_note = (notes.note("no_trained_model", model_dir=str(self.model_dir)) if self.model_dir
                              else notes.note("no_model"))
            return False
        try:
            router = classifier.Router.load(path)
        except classifier.ModelError as exc:
            log.error("model %s not loaded: %s", path.name, exc)
            self.load_note = notes.note("model_not_loaded", version=path.name, problem=str(exc))
            return False
        self._router, self.load_note = router, None
        return True

    @property
    def load_error(self) -> str | None:
        """Why there is no model in service, in English (None when there is one)."""
        return self.load_note.text if self.load_note else None

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
            why = self.load_note or notes.note("no_model")
            return RouteResult([], district, None, False, why.code, dict(why.params))
        predictions = self.router.predict(content, k=3)
        units = resolve_units(session, [p.label for p in predictions], district)
        candidates = []
        for p in predictions:
            unit, category = units.get(p.label, (None, None))
            candidates.append(RouteCandidate(p.label, unit, p.probability, category))
        why = self._decide(candidates)
        return RouteResult(candidates, district, self.router.version, why is None,
                           why.code if why else "", dict(why.params) if why else {})

    def _decide(self, candidates: list[RouteCandidate]) -> Note | None:
        """Auto-dispatch only a confident prediction that a rule maps to a unit: None, or why not."""
        if not candidates:
            return notes.note("empty_text")
        top = candidates[0]
        threshold = 1.0 if self.threshold is None else self.threshold
        if top.probability < threshold:
            return notes.note("below_threshold", probability=top.probability, threshold=threshold)
        if top.department is None:
            return notes.note("no_routing_rule", category=top.category)
        return None


def available_versions(model_dir: Path) -> list[str]:
    """Model versions present under `model_dir`, oldest first (version names sort by time)."""
    if not model_dir.is_dir():
        return []
    return sorted(p.name for p in model_dir.iterdir() if (p / "metadata.json").is_file())


def resolve_departments(session: Session, categories: list[str], district: str | None) -> dict[str, Department]:
    """Map each category name to its unit: the district's rule if there is one, else the city-wide rule."""
    return {name: unit for name, (unit, _category) in resolve_units(session, categories, district).items()}


def resolve_units(session: Session, categories: list[str], district: str | None
                  ) -> dict[str, tuple[Department, Category]]:
    """Map each category name to its unit (as resolve_departments) and its category row, in one query."""
    if not categories:
        return {}
    rows = session.execute(
        select(Category, RoutingRule.district, Department)
        .join(RoutingRule, RoutingRule.category_id == Category.id)
        .join(Department, Department.id == RoutingRule.department_id)
        .where(Category.name.in_(categories), Category.active.is_(True), Department.active.is_(True))
    ).all()
    city_wide = {cat.name: (dept, cat) for cat, rule_district, dept in rows if rule_district is None}
    local = {cat.name: (dept, cat) for cat, rule_district, dept in rows if district and rule_district == district}
    return {name: local.get(name) or city_wide[name] for name in categories if name in local or name in city_wide}


def category_of_department(session: Session, department: Department) -> Category | None:
    """The one category whose rules send work to `department`, or None when there are several or none."""
    categories = session.scalars(
        select(Category).join(RoutingRule, RoutingRule.category_id == Category.id)
        .where(RoutingRule.department_id == department.id).distinct()
    ).all()
    return categories[0] if len(categories) == 1 else None
