"""Gunicorn's side of the Prometheus metrics: one directory the workers share.

Each worker writes its samples to files in PROMETHEUS_MULTIPROC_DIR, which
prometheus_client reads when it is imported, and /metrics adds up the files of
every worker (see health/metrics.py in the project package). gunicorn.conf.py calls
:func:`prepare` before the app is loaded, :func:`empty` when the master starts,
:func:`worker_exited` when a worker dies and :func:`remove` when the master
exits. The variable is prometheus_client's own; it is set here, for gunicorn,
and never read from .env.
"""

import os
import shutil
import tempfile
from pathlib import Path

DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
# The directory prepare() made, which remove() deletes when the master exits.
_created: list[Path] = []


def prepare(base: str = "/dev/shm") -> Path:  # nosec B108
    """Point PROMETHEUS_MULTIPROC_DIR at an existing directory, a new private
    one under ``base`` unless the variable names one already."""
    if not os.environ.get(DIRECTORY):
        os.environ[DIRECTORY] = tempfile.mkdtemp(prefix="metrics-", dir=base)
        _created.append(Path(os.environ[DIRECTORY]))
    path = Path(os.environ[DIRECTORY])
    path.mkdir(parents=True, exist_ok=True)
    return path


def empty() -> None:
    """Remove every worker's files: counters start again from zero, which
    Prometheus reads as a restart, never as a drop."""
    path = prepare()
    for entry in path.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def remove() -> None:
    """Delete the directory prepare() made: its files live in memory (64 KiB
    or more for each kind of metric of each worker) and a new master makes
    another."""
    while _created:
        shutil.rmtree(_created.pop(), ignore_errors=True)


def worker_exited(pid: int) -> None:
    """Drop a dead worker's live gauges (its counters stay, as they must)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)
