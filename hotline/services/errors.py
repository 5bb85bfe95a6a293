"""Domain errors; the web layer turns each into an HTTP status with its message."""
from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; `field` names the input at fault, if any."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """A field's value is missing or wrong."""

    code = "invalid_input"


class NotFound(DomainError):
    """The thing asked for does not exist (or is not this user's to see)."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """The user's role may not do this."""

    status = 403
    code = "forbidden"


class InvalidTransition(DomainError):
    """The ticket is not in a state that allows this action; `current_status` says which it is in."""

    status = 409
    code = "invalid_transition"

    def __init__(self, message: str, field: str | None = None, current_status: str | None = None):
        super().__init__(message, field)
        self.current_status = current_status


class Conflict(InvalidTransition):
    """Someone else changed the ticket (or case) at the same moment, and won."""

    code = "concurrent_change"

    def __init__(self, message: str, current_status: str | None = None):
        super().__init__(message, current_status=current_status)
