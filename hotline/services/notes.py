"""Notes the system writes on a ticket: a stable code and its parameters; the English text is built from the code.

An event keeps the English text in ``note`` (the API and older rows read it) and the code with its parameters in
``data["note"]``; the pages say the same in Chinese from ``hotline/web/messages.py`` (``NOTE_ZH``), keyed by the
same code. Notes people type are not system notes and have no code.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Param, render

# code → English template over the parameters.
NOTES: dict[str, str] = {
    "auto_dispatched": "auto: {category} {probability:.2f}",
    "below_threshold": "confidence {probability:.2f} below threshold {threshold:.2f}",
    "no_routing_rule": "no routing rule for category {category}",
    "empty_text": "the model had nothing to go on (empty text)",
    "no_model": "no model",
    "no_trained_model": "no trained model under {model_dir}",
    "model_not_loaded": "model {version} not loaded: {problem}",
    "routing_failed": "routing failed; please assign by hand",
    "repeat_of": "repeat of {original} ({reason})",
    "repeated_by": "repeated by {repeat} ({reason})",
    "repeat_of_merged": "repeat of {original} (merged)",
    "merged_into": "merged into {original}",
    "merged_here": "merged {repeat} into this ticket",
    "unlinked_by_merge": "{repeat} is no longer counted here: merged into {original}",
    "deadline_missed": "{deadline} deadline missed (催办)",
    "batch_handed_over": "handed over in batch {batch}",
    # A retrain's decision (hotline/services/retrain.py).
    "retrain_no_champion": "promoted: no model was in service",
    "retrain_no_worse": "promoted: no worse than {champion} on {holdout} recent tickets",
    "retrain_worse_accuracy": "kept {champion}: accuracy {difference:+.3f}, 95 % interval down to {ci_low:+.3f} "
                              "(allowed -{margin:.3f})",
    "retrain_worse_coverage": "kept {champion}: coverage at target precision {challenger:.3f} against {before:.3f}",
    "retrain_worse_auto_dispatch": "kept {champion}: at its own threshold {threshold:.3f} the challenger would "
                                   "auto-dispatch {challenger:.3f} of the held-back tickets against {before:.3f}",
    "retrain_worse_category": "kept {champion}: recall of {category} {challenger:.3f} against {before:.3f}",
    "retrain_not_enough_holdout": "skipped: {count} recent closed tickets to hold back, at least {minimum} needed",
    "retrain_not_enough_history": "skipped: {count} closed tickets with a category, at least {minimum} needed",
}


@dataclass(frozen=True)
class Note:
    """A system note: its code and parameters; `text` is the English the API shows."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in NOTES:  # a programming error, caught by the tests
            raise ValueError(f"no system note {self.code!r}")

    @property
    def text(self) -> str:
        """The English note."""
        return render(NOTES[self.code], self.params)

    def as_data(self) -> dict[str, Any]:
        """What an event's data (or a ticket's column) keeps: {"code": ..., "params": {...}}."""
        return {"code": self.code, "params": dict(self.params)}


def note(code: str, **params: Param) -> Note:
    """The system note `code` with its parameters."""
    return Note(code, params)


def from_data(value: Mapping[str, Any] | None) -> Note | None:
    """The note kept by `as_data` (None when there is none, or its code is unknown)."""
    if not value or value.get("code") not in NOTES:
        return None
    return Note(value["code"], value.get("params") or {})
