"""Default settings; every one can be overridden by a HOTLINE_* environment variable."""
from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    # Empty means "a SQLite file in the instance folder" (the embedded default).
    "DATABASE_URL": "",
    # Empty: the embedded default makes one in <instance>/secret_key; a database server requires it set.
    "SECRET_KEY": "",
    # Where trained models live; empty means <instance>/models.
    "MODEL_DIR": "",
    # None: use the threshold the model chose on held-back data for its target precision.
    "AUTO_DISPATCH_THRESHOLD": None,
    "TIMEZONE": "Asia/Shanghai",
    "TOKEN_TTL_SECONDS": 8 * 3600,  # one shift
    "MAX_CONTENT_CHARS": 5000,
    "MAX_RETURNS": 2,
    "MAX_CALLBACK_ATTEMPTS": 3,
    "MAX_EXTENSION_WORKING_DAYS": 15,
    # Working hours as "HH:MM-HH:MM" periods.
    "WORKING_HOURS": ["09:00-12:00", "13:30-17:30"],
    # None: sla.DEFAULT_TIME_LIMITS.
    "TIME_LIMITS": None,
    "TRAIN_DATA": "",  # empty: the bundled data/msga_domain.csv
    "KB_DATA": "",  # empty: the bundled data/msga_dept.csv
    "INTAKE_KEY_HOURS": 24,  # how long an intake's Idempotency-Key returns the first ticket
    "REPEAT_WINDOW_DAYS": 30,
    "REPEAT_SIMILARITY": 0.5,  # same district: bigram cosine at least this
    "REPEAT_CALLER_SIMILARITY": 0.3,  # same caller: a looser match is enough
    "HOTSPOT_MIN_TICKETS": 5,
    "HOTSPOT_WINDOW_HOURS": 24,
    "LOG_LEVEL": "INFO",
    "PAGE_SIZE": 20,  # rows per page of the staff pages' lists
    # The staff pages' session cookie: not sent on other sites' requests (CSRF tokens guard the forms too).
    "SESSION_COOKIE_SAMESITE": "Lax",
    # The supervision cycle (docs/metrics.md defines every figure).
    "FLAG_YELLOW_SHARE": 0.8,  # yellow once this share of the allowed working time is used
    "FLAG_BLACK_AFTER_WORKING_DAYS": 5,  # black once overdue by more than this
    "CALLBACK_WORKING_DAYS": 1,  # a replied ticket's callback is due within this
    "SUPERVISION_REPEAT_MIN": 3,  # repeats of one ticket in a quarter that open a supervision case
    "SUPERVISION_DEADLINE_WORKING_DAYS": 10,  # a supervision case's deadline after it opens
    "ASSESSMENT_WEIGHTS": {"response": 20, "solved": 40, "satisfaction": 40},  # 年度考核 (and the monthly rank)
    "CYCLE_DAILY_AT": "08:00",  # `cycle due` runs the daily job from this local time
    "CYCLE_GRACE_DAYS": 5,  # ... and a month/quarter/year's job this many days after the period ends
}
