"""gunicorn settings: threaded workers, bounded queues for a hotline's intake (docs/scale.md, "A caller who
hung up"), and metrics.

    gunicorn -c gunicorn_conf.py --preload -w 2 wsgi:app        # 2 workers × 4 threads (the defaults below)

Why threads (``worker_class = "gthread"``): a request spends much of its time waiting for PostgreSQL — an
intake makes a dozen round trips and two commits (in-process, 22 ms of CPU in an intake of 45–110 ms on a
loaded machine) — and a sync worker does nothing else meanwhile. With ``threads`` per worker one request's
Python runs while the others wait on the database. Recommended: ``-w`` = the cores, ``GUNICORN_THREADS`` = 4.
Measured on 2 shared cores (docs/scale.md §10): POST /route 1.6–2.1× and the intake 1.1–1.2× the rate of
sync workers, the open loop's answers +24–31 %, the CPU being the limit there; threads do not add CPU, so
where the CPU is saturated add cores or hosts, not threads. The model
(``--preload``) is shared by the workers and is safe to call from several threads; each request has its
own database session. Each thread may hold two pooled connections at once (the intake takes its ticket
number on a second one, hotline/services/numbers.py): SQLAlchemy's default pool (5 + 10 overflow) serves up
to 7 threads; workers × threads × 2, over every host, must stay below PostgreSQL's ``max_connections``.

What happens to a request when the server is behind:
* ``backlog``: connections the kernel holds before a worker accepts them. Bounded (64, not gunicorn's
  2048): a burst beyond it is refused at connect, at once, instead of waiting for minutes for callers
  who have hung up. 64 is ~1 s of intakes for 2 workers.
* ``worker_connections``: connections a threaded worker takes at once (twice its threads): one waiting
  for a free thread waits inside the worker, the rest in the backlog above, so neither queue grows unbounded.
* A request whose client closed its side while it waited is skipped before it writes anything
  (hotline/client_gone.py, 499 in the access log; every worker class hands over ``gunicorn.socket``).
* ``timeout``: a worker whose main loop is silent for longer is killed and replaced (a sync worker stuck in
  one request; a threaded worker's loop keeps answering while its threads work); a killed request's
  transaction was not committed, so nothing of it is saved (the database rolls back the dropped connection).
* A caller who hangs up *while* the intake runs still gets the ticket saved, without the answer: its
  retry with the same Idempotency-Key gets that ticket back, never a second (the page form always sends one).
"""
from __future__ import annotations

import os

worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# gunicorn turns a sync worker with threads > 1 into gthread: GUNICORN_WORKER_CLASS=sync alone means sync.
threads = int(os.environ.get("GUNICORN_THREADS", "4" if worker_class == "gthread" else "1"))
worker_connections = 2 * threads
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
