"""A worker or beat refuses to start without the Redis broker."""

from typing import Any

from celery import current_app

from .conf import MEMORY_BROKER


def require_a_broker(**kwargs: Any) -> None:
    """Refuse to start a worker or beat without REDIS_URL.

    Their in-memory queue would be one that no other process can reach: they
    would look healthy and never run a task. Connected to Celery's
    worker_init and beat_init signals in app.py.
    """
    if current_app.conf.broker_url == MEMORY_BROKER:
        # SystemExit, because Celery logs and swallows a handler's exceptions.
        raise SystemExit(
            "REDIS_URL is not set: a worker or beat needs the Redis broker. "
            "Without it, tasks run at once in the process that queues them."
        )
