"""The broker's readiness check, for /health/ready/."""

from .app import app

# Seconds the readiness check may wait for the broker, within the probe's
# budget (READY_BUDGET in the health views).
BROKER_CHECK_TIMEOUT = 0.5


def check_broker() -> None:
    """Connect to the broker once, without retrying."""
    timeouts = {
        "socket_connect_timeout": BROKER_CHECK_TIMEOUT,
        "socket_timeout": BROKER_CHECK_TIMEOUT,
    }
    with app.connection_for_read(transport_options=timeouts) as connection:
        connection.ensure_connection(max_retries=0)
