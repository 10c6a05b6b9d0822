"""The bounds on PostgreSQL waits (config/database.py), without a server."""

from typing import Any
from unittest import mock

import psycopg
import psycopg_pool
import pytest
from psycopg import errors

from config import database
from config.env import load
from config.services import database as database_settings


def connection(answer_timeout: float) -> tuple[database.BoundedConnection, Any]:
    """A connection object with no server behind it, enough for its waits,
    and its libpq connection (a mock)."""
    cls = database.bounded_connection(int((answer_timeout - 1) * 1000))
    conn = cls.__new__(cls)
    pgconn = conn.pgconn = mock.Mock()
    # Closed, as far as the object's finaliser can tell.
    pgconn.status = psycopg.pq.ConnStatus.BAD
    return conn, pgconn


def test_waits_end_a_little_after_the_statement_timeout() -> None:
    cls = database.bounded_connection(2500)
    assert issubclass(cls, psycopg.Connection)
    assert cls.answer_timeout == 2.5 + database.ANSWER_MARGIN


def test_a_wait_without_an_answer_closes_the_connection() -> None:
    conn, pgconn = connection(3.0)
    with mock.patch.object(
        psycopg.Connection, "wait", side_effect=errors._WaitTimeout()
    ) as wait:
        with pytest.raises(errors.OperationalError, match="within 3.0 seconds"):
            conn.wait(mock.sentinel.gen)
    assert wait.call_args.kwargs["timeout"] == 3.0
    pgconn.finish.assert_called_once_with()


def test_a_wait_that_is_answered_returns_the_answer() -> None:
    conn, pgconn = connection(3.0)
    with mock.patch.object(psycopg.Connection, "wait", return_value=42) as wait:
        assert conn.wait(mock.sentinel.gen, timeout=1.0) == 42
    assert wait.call_args.kwargs["timeout"] == 1.0
    pgconn.finish.assert_not_called()


def test_the_pool_check_has_its_own_short_bound() -> None:
    conn, pgconn = connection(3.0)
    seen: list[Any] = []

    def check_connection(checked: database.BoundedConnection) -> None:
        seen.append(checked.answer_timeout)
        raise errors.OperationalError("no answer")

    with mock.patch.object(
        psycopg_pool.ConnectionPool, "check_connection", side_effect=check_connection
    ):
        with pytest.raises(errors.OperationalError):
            database.check(conn)
    assert seen == [database.CHECK_TIMEOUT]
    assert conn.answer_timeout == 3.0


def test_postgresql_connections_have_keepalives_and_a_user_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.internal:5432/app")
    config = database_settings(load("test"), pooled=True)
    options = config["OPTIONS"]
    assert options["keepalives"] == 1
    assert options["tcp_user_timeout"] > 0
    assert options["pool"]["check"] is database.check
    assert issubclass(options["pool"]["connection_class"], database.BoundedConnection)
