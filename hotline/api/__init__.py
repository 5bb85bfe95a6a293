"""JSON API v1: thin views that parse, call a service, commit once and serialise."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import auth_views, meta, tickets, dispatch, department, supervisor  # noqa: E402,F401  (register routes)
from . import audit, knowledge, routing_admin  # noqa: E402,F401
from . import calendar_admin, enterprises, flags, reports, supervision  # noqa: E402,F401  (the cycle)
from . import attachments  # noqa: E402,F401  (photos and PDFs)
from . import count_appeals, emergencies, pauses  # noqa: E402,F401  (挂起, 申诉/核减, emergency hand-offs)
from . import practice  # noqa: E402,F401  (回头看, 集中交办)
from . import coordination  # noqa: E402,F401  (grades, co-units, handlers, notes)
from . import confidential  # noqa: E402,F401  (保密: revealing a caller, an event)
from . import rectification  # noqa: E402,F401  (整改清单 by the responsible unit)
from . import merged_callbacks  # noqa: E402,F401  (合并件回访)
