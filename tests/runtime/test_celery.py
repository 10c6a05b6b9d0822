"""Runtime tier: a real Celery worker and beat on the local Redis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.celery import celery, session_keys
from harness.commands import require, run
from harness.faults import fault_proxy
from harness.processes import manage, started, wait_for
from harness.services import CELERY_REDIS, DEAD_DATABASE, production_env

pytestmark = pytest.mark.xdist_group("runtime")


@pytest.fixture
def celery_env(all_on: Path, postgres_database: str) -> dict[str, str]:
    """Production settings on a migrated database, with an empty broker."""
    run([require("redis-cli"), "-u", CELERY_REDIS, "flushdb"], cwd=all_on)
    env = production_env(all_on, postgres_database, REDIS_URL=CELERY_REDIS)
    manage(all_on, env, "migrate", "--no-input")
    return env


CREATE_SESSIONS = (
    "from datetime import timedelta\n"
    "from django.contrib.sessions.backends.cached_db import SessionStore\n"
    "expired, current = SessionStore(), SessionStore()\n"
    "expired.set_expiry(timedelta(seconds=-60))\n"
    "expired.create()\n"
    "current.create()\n"
    "print(expired.session_key, current.session_key)\n"
)


QUEUE_TASK = (
    "from my_project.core.tasks import clear_expired_sessions\n"
    "clear_expired_sessions.delay()\n"
)


def test_a_celery_worker_runs_the_queued_session_task(
    all_on: Path, celery_env: dict[str, str], postgres_database: str, tmp_path: Path
) -> None:
    project = all_on
    out, log = tmp_path / "worker.out", tmp_path / "worker.log"
    created = manage(
        project, celery_env, "shell", "--no-imports", "-c", CREATE_SESSIONS
    )
    expired, current = created.stdout.split()
    assert session_keys(postgres_database) == {expired, current}
    # Queued while no worker runs: the task waits in Redis.
    manage(project, celery_env, "shell", "--no-imports", "-c", QUEUE_TASK)
    command = celery(
        project, "worker", "--loglevel", "INFO", "--concurrency", "1",
        "--hostname", f"keel-{tmp_path.name}@%h",
    )  # fmt: skip
    with started(command, project, celery_env, out, log) as worker:
        wait_for(
            "deleted session",
            lambda: expired not in session_keys(postgres_database),
            worker,
            log,
        )
    assert session_keys(postgres_database) == {current}
    assert worker.returncode == 0, log.read_text()  # a warm shutdown
    # The worker logs through the production LOGGING, in JSON lines (the
    # others are Python warnings, such as the one about running as root).
    text = log.read_text().splitlines()
    lines = [json.loads(line) for line in text if line.startswith("{")]
    done = [line for line in lines if "succeeded" in str(line["message"])]
    assert done and "core.clear_expired_sessions" in str(done[0]["message"])
    # Task arguments and results may be personal data: the log hides them.
    assert str(done[0]["message"]).endswith(": [hidden]"), done[0]
    assert done[0]["data"]["return_value"] == "[hidden]", done[0]


def test_celery_beat_loads_the_schedule_and_stops_cleanly(
    all_on: Path, celery_env: dict[str, str], tmp_path: Path
) -> None:
    project = all_on
    out, log = tmp_path / "beat.out", tmp_path / "beat.log"
    command = celery(
        project, "beat", "--loglevel", "DEBUG",
        "--schedule", str(tmp_path / "beat-schedule"),
    )  # fmt: skip
    with started(command, project, celery_env, out, log) as beat:
        wait_for(
            "schedule",
            lambda: "core.clear_expired_sessions" in log.read_text(),
            beat,
            log,
        )
    assert beat.returncode == 0, log.read_text()
    assert "clear-expired-sessions" in log.read_text()


# Publishes the session task and prints how it ended, in seconds, with the
# bound that config/celery/conf.py sets on every broker connection and command.
PUBLISH_TIMED = (
    "import time\n"
    "from kombu.exceptions import OperationalError\n"
    "from config.celery.conf import BROKER_SOCKET_TIMEOUT\n"
    "from my_project.core.tasks import clear_expired_sessions\n"
    "start = time.monotonic()\n"
    "try:\n"
    "    clear_expired_sessions.delay()\n"
    "except OperationalError as error:\n"
    "    print('failed', time.monotonic() - start, BROKER_SOCKET_TIMEOUT, error)\n"
    "else:\n"
    "    print('published', time.monotonic() - start, BROKER_SOCKET_TIMEOUT)\n"
)
# Seconds allowed beyond the socket timeout: one connection, with its retries'
# short intervals, under coverage on a busy machine.
PUBLISH_MARGIN = 2.0


@pytest.mark.parametrize("mode", ["hang", "drop"])
def test_publishing_a_task_to_a_stuck_broker_fails_within_the_socket_timeout(
    all_on: Path, mode: str
) -> None:
    """A request that queues a task while the broker hangs or drops packets
    gets kombu's OperationalError after BROKER_SOCKET_TIMEOUT, not a wait for
    as long as the outage lasts."""
    with fault_proxy(6379) as broker:
        broker.set(mode)
        env = production_env(
            all_on, DEAD_DATABASE, REDIS_URL=f"redis://127.0.0.1:{broker.port}/5"
        )
        result = manage(all_on, env, "shell", "--no-imports", "-c", PUBLISH_TIMED)
    outcome, elapsed, bound, *error = result.stdout.split()
    assert outcome == "failed", result.stdout
    assert "Timeout" in " ".join(error), result.stdout
    # It waited on the stuck broker (not a refusal), and no longer than the bound.
    assert float(bound) * 0.9 <= float(elapsed) <= float(bound) + PUBLISH_MARGIN
