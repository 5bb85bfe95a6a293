"""Service tests call the services with a session, the policy and `now`, without HTTP."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from hotline.services.policy import Policy, load_policy
from models import User

NOW = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)  # 09:00 in Hengyang, a working Monday


@pytest.fixture
def policy(app, session) -> Policy:
    """The rules in force for the demo city with the test app's settings."""
    return load_policy(session, app.config)


@pytest.fixture
def user(session):
    """A demo user by username."""
    return lambda username: session.scalar(select(User).where(User.username == username))
