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
    # A page session (and its forms' CSRF tokens) lasts one shift from login, plus an hour of overlap.
    "SESSION_HOURS": 9,
    "PASSWORD_MIN_LENGTH": 8,
    "LIVE_POLL_SECONDS": 20,  # how often an open list page asks /live/counts whether it changed
    "MAX_CONTENT_CHARS": 5000,
    # No request body is larger (a call of 5000 characters is ~15 kB); a bigger one is refused (413) unread.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "MAX_RETURNS": 2,
    "MAX_CALLBACK_ATTEMPTS": 3,
    "CALLBACK_RETRY_HOURS": 2,  # unreached callback attempts at least this far apart (wall-clock hours)
    "MAX_EXTENSION_WORKING_DAYS": 15,
    "MAX_PAUSE_WORKING_DAYS": 20,  # 挂起: the longest pause a unit may ask for
    "COUNT_APPEAL_WINDOW_DAYS": 10,  # 申诉/核减: calendar days after a month's report is first published
    # Emergency hand-off: where an operator may hand a call (110 police … utilities' emergency lines).
    "EMERGENCY_SERVICES": ["110", "119", "120", "122", "95598", "96777", "96166"],
    # Working hours as "HH:MM-HH:MM" periods.
    "WORKING_HOURS": ["09:00-12:00", "13:30-17:30"],
    # None: sla.DEFAULT_TIME_LIMITS.
    "TIME_LIMITS": None,
    "TRAIN_DATA": "",  # empty: the bundled data/msga_domain.csv
    "KB_DATA": "",  # empty: the bundled data/msga_dept.csv
    "INTAKE_KEY_HOURS": 24,
    "POLICY_CACHE_SECONDS": 30,  # another host's change to holidays or time limits reaches this one within this  # how long an intake's Idempotency-Key returns the first ticket
    "REPEAT_WINDOW_DAYS": 30,
    "REPEAT_SIMILARITY": 0.5,  # same district: bigram cosine at least this
    "REPEAT_CALLER_SIMILARITY": 0.3,  # same caller: a looser match is enough
    "HOTSPOT_MIN_TICKETS": 5,
    "HOTSPOT_WINDOW_HOURS": 24,
    # 回头看: this share of the tickets closed REVISIT_AFTER_DAYS to REVISIT_WITHIN_DAYS ago is called again.
    "REVISIT_SHARE": 0.10,
    "REVISIT_AFTER_DAYS": 14,
    "REVISIT_WITHIN_DAYS": 42,
    "BATCH_MIN_CALLS": 3,  # 集中交办: a matter is a repeat cluster with this many calls (the first and its repeats)
    "LOG_LEVEL": "INFO",
    # Failed-login counters: memory:// counts per process (embedded default); several hosts share redis://host:6379/0.
    "RATELIMIT_STORAGE_URL": "memory://",
    "LOGIN_FAILURES_PER_USERNAME": "5 per minute; 20 per hour",  # guessing one account's password
    "LOGIN_FAILURES_PER_ADDRESS": "30 per minute; 200 per hour",  # one machine trying many accounts (a centre may share a NAT)
    # How many reverse proxies (nginx, the balancer) put the client's address in X-Forwarded-For; 0: none.
    "TRUSTED_PROXIES": 0,
    "PAGE_SIZE": 20,  # rows per page of the staff pages' lists
    "BULK_MAX": 100,  # tickets or alerts handled by one bulk action (派单, 标记已处理)
    # The staff pages' session cookie: not sent on other sites' requests (CSRF tokens guard the forms too).
    "SESSION_COOKIE_SAMESITE": "Lax",
    # None: Secure (sent over HTTPS only) unless this is the embedded default; set it false only for plain-http tests.
    "SESSION_COOKIE_SECURE": None,
    # The supervision cycle (docs/metrics.md defines every figure).
    "FLAG_YELLOW_SHARE": 0.8,  # yellow once this share of the allowed working time is used
    "FLAG_BLACK_AFTER_WORKING_DAYS": 5,  # black once overdue by more than this
    "FLAG_BLACK_AFTER_REOPENS": 2,  # black once reopened (重办) this many times
    "CALLBACK_WORKING_DAYS": 1,  # a replied ticket's callback is due within this
    "SUPERVISION_REPEAT_MIN": 3,  # repeats of one ticket in a quarter that open a supervision case
    "SUPERVISION_DEADLINE_WORKING_DAYS": 10,  # a supervision case's deadline after it opens
    "ASSESSMENT_WEIGHTS": {"response": 20, "solved": 40, "satisfaction": 40},  # 年度考核 (and the monthly rank)
    "CYCLE_DAILY_AT": "08:00",  # `cycle due` runs the daily job from this local time
    "CYCLE_GRACE_DAYS": 5,  # ... and a month/quarter/year's job this many days after the period ends
    # Routing that learns (hotline/services/learning_rules.py says what each one does).
    "RETRAIN_MIN_HOLDOUT": 200,  # held-back recent tickets both models are scored on, at least
    "RETRAIN_HOLDOUT_SHARE": 0.2,
    "RETRAIN_HISTORY_DAYS": 730,
    "RETRAIN_HALF_LIFE_DAYS": 90,
    "RETRAIN_HISTORY_WEIGHT": 3.0,
    "RETRAIN_CORRECTION_WEIGHT": 2.0,
    "RETRAIN_TARGET_PRECISION": 0.92,
    "RETRAIN_ACCURACY_MARGIN": 0.02,
    "RETRAIN_COVERAGE_MARGIN": 0.02,
    "RETRAIN_CATEGORY_MIN": 30,
    "RETRAIN_CATEGORY_MARGIN": 0.05,
    "RETRAIN_BOOTSTRAP_ROUNDS": 2000,
    "KB_MIN_SCORE": 0.40,  # knowledge-base hits below this score are right under half the time (bench/router.py)
    # Interfaces to citizens and other systems (README: Open311, status lookup, attachments, notifications, metrics, logs).
    "RATELIMIT_STORAGE_URL": "memory://",  # Flask-Limiter's storage; redis://… shares the counts between hosts
    "STATUS_LOOKUP_RATE": "10 per minute",  # per client address, on /status and /api/v1/status
    "ATTACHMENT_DIR": "",  # empty: <instance>/attachments; a shared volume when there are several hosts
    "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    "ATTACHMENT_MAX_PER_TICKET": 10,
    "ATTACHMENT_THUMB_PX": 240,
    "OPEN311_MEDIA_FETCH_TIMEOUT": 10,  # seconds to fetch a request's media_url
    "OPEN311_MEDIA_ALLOW_PRIVATE": False,  # fetch media_url from loopback/private addresses too (tests only)
    "OUTBOX_MAX_ATTEMPTS": 5,  # then the message is dead-lettered and shown to the admin
    "OUTBOX_BACKOFF_SECONDS": 60,  # doubled after each failure
    "OUTBOX_LEASE_SECONDS": 300,  # a host's claim on a message it is sending
    "OUTBOX_BATCH": 50,
    "SMTP_HOST": "localhost",
    "SMTP_PORT": 25,
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_STARTTLS": False,
    "MAIL_FROM": "12345@localhost",
    "WEBHOOK_TIMEOUT": 10,
    "SMS_CHANNEL": "hotline.notify.sms:LogSms",  # "module:Class" of the city's SMS gateway
    "METRICS_TOKEN": "",  # when set, /metrics wants "Authorization: Bearer <token>"
    "LOG_FORMAT": "text",  # "json": one JSON object per line
}
