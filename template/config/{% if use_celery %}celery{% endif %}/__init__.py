"""Background tasks with Celery, on the Redis broker at REDIS_URL.

`celery --app config.celery worker` (``make worker``) and ``make beat`` find
the app here. Each module has one job: app.py makes the app, conf.py its
settings, tasks.py the base class of every task, logs.py keeps task data out
of the logs, guard.py keeps a worker from starting without a broker, and
health.py checks the broker for /health/ready/.
"""

from .app import app

__all__ = ["app"]
