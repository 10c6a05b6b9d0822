"""Gunicorn settings for production: `gunicorn --config gunicorn.conf.py`.

https://docs.gunicorn.org/en/stable/settings.html. The listen address is left
to the command line (`--bind`) or gunicorn's own PORT variable.
"""

from config.env import web_concurrency

wsgi_app = "config.wsgi:application"

# JSON access and error logs; see config/access_log.py.
logger_class = "config.access_log.GunicornLogger"

workers = web_concurrency()
# Threads let a worker hold keep-alive connections from nginx and overlap
# requests that wait on the database; each takes a pooled connection.
worker_class = "gthread"
threads = 4

# Recycle each worker after about a thousand requests, staggered by the jitter
# so the workers do not all restart at once; this bounds slow memory leaks.
max_requests = 1000
max_requests_jitter = 100

# A request that runs past `timeout` gets its worker killed; on SIGTERM,
# workers get `graceful_timeout` to finish what they are serving.
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
