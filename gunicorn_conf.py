"""gunicorn settings for metrics in multi-process mode (PROMETHEUS_MULTIPROC_DIR): drop a dead worker's files."""
from __future__ import annotations


def child_exit(server, worker):
    """A worker that exits takes its live gauges with it (its counters stay summed)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
