"""`flask --app wsgi hotline deliver` and `… open311-client create NAME`."""
from __future__ import annotations

import click
from flask import current_app

from . import clock
from .cli import hotline_cli
from .services import open311
from .services.errors import DomainError


@hotline_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep delivering; sleep --interval seconds when idle.")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between idle rounds with --loop.")
def deliver(loop: bool, interval: float) -> None:
    """Send the outbox's due notifications (e-mail, webhooks, SMS); safe to run on several hosts at once."""
    from .notify import build_channels, deliver_due, deliver_forever, rules_from_settings
    from .services.policy import policy_from_settings

    app = current_app._get_current_object()
    channels, rules = build_channels(app.config), rules_from_settings(app.config)
    tz = policy_from_settings(app.config).tz

    def run_once() -> dict[str, int]:
        with app.app_context():
            counts = deliver_due(app.extensions["hotline.sessionmaker"], channels, rules, clock.now, tz)
        click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))
        return counts

    if loop:
        deliver_forever(run_once, interval)
    else:
        run_once()


@hotline_cli.group("open311-client")
def open311_client() -> None:
    """Client systems allowed to file requests through Open311."""


@open311_client.command("create")
@click.argument("name")
def create_open311_client(name: str) -> None:
    """Create a client system and print its api_key (shown this once; only a hash is kept)."""
    with current_app.extensions["hotline.sessionmaker"]() as session:
        try:
            _client, api_key = open311.create_client(session, name, clock.now())
        except DomainError as exc:
            raise click.UsageError(exc.message) from None
        session.commit()
    click.echo(api_key)
