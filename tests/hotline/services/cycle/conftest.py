"""The cycle's tests log in a dozen users each; tokens are issued directly to skip the (deliberately slow)
password hash check, which the auth tests already cover."""
import pytest
from hotline.auth import issue_token
from tests.builders import user
from tests.conftest import Api


class FastApi(Api):
    """The conftest's Api, with tokens signed for the demo users without checking their passwords."""

    def __init__(self, client, app) -> None:
        """An Api that signs its own tokens with `app`'s secret."""
        super().__init__(client)
        self.app = app

    def token(self, username: str) -> str:
        """A valid bearer token of a demo user."""
        if username not in self.tokens:
            with self.app.app_context(), self.app.extensions["hotline.sessionmaker"]() as session:
                self.tokens[username] = issue_token(user(session, username))
        return self.tokens[username]


@pytest.fixture
def api(client, app) -> FastApi:
    """The JSON API as demo users."""
    return FastApi(client, app)
