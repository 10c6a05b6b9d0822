"""Bounded waits on PostgreSQL, so that a dead network fails requests quickly.

When packets to the database are dropped, nothing tells the client: a query
waits for an answer that never comes. Three bounds end that wait:

- TCP keepalives notice an idle connection whose peer is gone, and
  ``tcp_user_timeout`` ends a connection whose sent data is never
  acknowledged (libpq parameters; see :data:`TCP_OPTIONS`).
- The pool checks a connection before it lends it, and :func:`check` gives
  that round trip :data:`CHECK_TIMEOUT` seconds, so a request that needs the
  database fails within the pool's timeout.
- Each wait for the server is bounded by the client too (psycopg has no such
  option, hence :func:`bounded_connection`): a little longer than the
  statement timeout, after which the server would have answered with an error
  itself. This also covers a peer that acknowledges packets and never answers,
  such as a hung proxy, which the TCP options cannot see.
"""

from typing import Any, TypeVar

import psycopg
from psycopg import errors
from psycopg.abc import PQGen
from psycopg_pool import ConnectionPool

RV = TypeVar("RV")

# https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-KEEPALIVES
# An idle connection to a vanished server is given up after about 5 + 3 * 1
# seconds; unacknowledged data after 5 seconds.
TCP_OPTIONS = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 1,
    "keepalives_count": 3,
    "tcp_user_timeout": 5000,
}
# Seconds the pool's check of a connection (an empty query) may take.
CHECK_TIMEOUT = 0.5
# Seconds a query may wait beyond the statement timeout before it is given up.
ANSWER_MARGIN = 1.0


class BoundedConnection(psycopg.Connection[Any]):
    """A connection whose every wait for the server ends after ``answer_timeout``.

    When a wait ends so, the connection's state is unknown: it is closed, and
    the pool replaces it.
    """

    answer_timeout: float | None = None

    def wait(
        self,
        gen: PQGen[RV],
        interval: float = 0.1,
        timeout: float | None = None,
    ) -> RV:
        bound = self.answer_timeout if timeout is None else timeout
        try:
            return super().wait(gen, interval=interval, timeout=bound)
        except errors._WaitTimeout:  # psycopg's own, raised only for `timeout`
            self.pgconn.finish()
            raise errors.OperationalError(
                f"no answer from the database within {bound} seconds"
            ) from None


def bounded_connection(statement_timeout_ms: int) -> type[BoundedConnection]:
    """The connection class for a pool whose statements end after the timeout."""
    return type(
        "BoundedConnection",
        (BoundedConnection,),
        {"answer_timeout": statement_timeout_ms / 1000 + ANSWER_MARGIN},
    )


def check(conn: BoundedConnection) -> None:
    """The pool's check before it lends a connection, within CHECK_TIMEOUT."""
    answer_timeout = conn.answer_timeout
    conn.answer_timeout = CHECK_TIMEOUT
    try:
        ConnectionPool.check_connection(conn)
    finally:
        conn.answer_timeout = answer_timeout
