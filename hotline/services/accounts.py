"""A user's own account: changing one's password (which also retires a one-time password)."""
from __future__ import annotations

from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from models import User

from .errors import InvalidInput


def change_password(session: Session, user: User, current_password: str, new_password: str, *,
                    minimum: int) -> None:
    """Replace `user`'s password after checking the current one; clears the must-change mark.

    The session stamp is made from the hash, so every other page session and API token of the user ends.
    """
    if not check_password_hash(user.password_hash, current_password):
        raise InvalidInput("wrong_password", field="current_password")
    if len(new_password) < minimum:
        raise InvalidInput("password_too_short", field="new_password", minimum=minimum)
    if new_password == current_password:
        raise InvalidInput("password_unchanged", field="new_password")
    user.password_hash = generate_password_hash(new_password)
    user.must_change_password = False
    session.flush()
