"""Gunicorn settings for production: `python -m config.serve --config gunicorn.conf.py`.

https://docs.gunicorn.org/en/stable/settings.html. config/serve.py checks the
environment before gunicorn reads it. The listen address is left to the
command line (`--bind`) or gunicorn's own PORT variable.
"""

import gc
from typing import Any

from config import metrics
from config.env import web_concurrency

wsgi_app = "config.wsgi:application"

# JSON access and error logs; see config/access_log.py.
logger_class = "config.access_log.GunicornLogger"

workers = web_concurrency()
# Threads let a worker hold keep-alive connections from nginx and overlap
# requests that wait on the database; each takes a pooled connection.
worker_class = "gthread"
threads = 4

# The master imports Django once and forks ready workers from it, so a
# recycled worker serves again in milliseconds instead of re-importing
# everything. Nothing opens a connection at import: each worker connects to
# the database and Redis on first use. A code change needs a restart (SIGHUP
# only starts new workers from the same, already-imported code).
preload_app = True

# Recycle each worker after 10,000 to 15,000 requests, which bounds slow
# memory leaks. A worker can serve a thousand requests a second, so a smaller
# limit restarts workers all the time. The jitter is half the limit: under
# even load the workers reach their limits together, and a small jitter
# restarts them all within a moment of each other (benchmarks/recycling.py).
max_requests = 10000
max_requests_jitter = 5000

# A worker whose main loop stops for `timeout` seconds is killed. With threads,
# that loop keeps running while a request thread waits, so `timeout` does not
# end a slow request: the database and Redis bounds do (config/database.py,
# config/services.py). On SIGTERM, workers get `graceful_timeout` to finish
# what they are serving.
timeout = 30
graceful_timeout = 30
# Seconds an idle keep-alive connection from nginx stays open.
keepalive = 5

# Access log to stdout, error log to stderr, for the container runtime.
accesslog = "-"
errorlog = "-"

# Worker heartbeats go to memory, not to a possibly slow container disk.
# Gunicorn creates them with mkstemp, so a shared directory is safe here.
worker_tmp_dir = "/dev/shm"  # nosec B108

# Gunicorn's control socket (gunicornc) goes to $HOME, which the container's
# user does not have; nothing here uses it.
control_socket_disable = True

# Prometheus metrics: every worker writes its samples to files in one
# directory, which must be named before the app (and prometheus_client) is
# loaded; /metrics adds them up (config/metrics.py).
metrics.prepare()


def on_starting(server: object) -> None:
    """Start the master with no samples left from an earlier run."""
    metrics.empty()


def on_exit(server: object) -> None:
    """Delete the samples' directory, unless PROMETHEUS_MULTIPROC_DIR named it."""
    metrics.remove()


def child_exit(server: object, worker: Any) -> None:
    """Forget a dead worker's gauges, so they never report for it again."""
    metrics.worker_exited(worker.pid)


def pre_fork(server: object, worker: object) -> None:
    """Hide what the master has imported from the garbage collector, so that
    a new worker's collections neither scan nor, by touching it, copy those
    pages: recycling then costs nothing measurable (benchmarks/recycling.py)."""
    gc.freeze()
