"""gunicorn settings: bounded queues for a hotline's intake (docs/scale.md, "A caller who hung up"), and metrics.

    gunicorn -c gunicorn_conf.py --preload -w 4 wsgi:app

What happens to a request when the server is behind:
* ``backlog``: connections the kernel holds before a worker accepts them. Bounded (64, not gunicorn's
  2048): a burst beyond it is refused at connect, at once, instead of waiting for minutes for callers
  who have hung up. 64 is ~1 s of intakes for 2 workers at the intake's ~30 ms.
* A request whose client closed its side while it waited is skipped before it writes anything
  (hotline/client_gone.py, 499 in the access log).
* ``timeout``: a sync worker silent for longer is killed and replaced; its transaction was not
  committed, so nothing of that request is saved (the database rolls back the dropped connection).
* A caller who hangs up *while* the intake runs still gets the ticket saved, without the answer: its
  retry with the same Idempotency-Key gets that ticket back, never a second (the page form always sends one).
"""
from __future__ import annotations

import os

backlog = int(os.environ.get("GUNICORN_BACKLOG", "64"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # seconds; an intake takes tens of milliseconds
graceful_timeout = 30  # a restart lets the requests in progress finish
keepalive = 2


def child_exit(server, worker):
    """A worker that exits takes its live gauges with it (its counters stay summed)."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return  # single-process metrics: nothing on disk to drop
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
