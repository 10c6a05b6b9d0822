"""Gates tier: a generated project passes its own gates, and the gates can fail."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest
import yaml

from harness.commands import require, run
from harness.gates import (
    DEFAULT_GATES,
    NOX,
    PRE_COMMIT,
    assert_succeeded,
    failed,
    hook_results,
)
from harness.git import git_commit_all
from harness.options import ALL_OFF, ALL_ON, OPTIONS, default_answer, value_choices
from harness.pairwise import all_pairs
from harness.render import CUSTOM_ANSWERS, RENDERS, generate, install
from harness.services import GATES_REDIS_URL, postgres_database
from harness.vulnerability import vulnerability_service

# Eighty untested functions: enough to pull coverage under the 90% gate.
UNCOVERED_MODULE = "".join(
    f"def f{n}(x: int) -> int:\n    return x + {n}\n\n\n" for n in range(80)
)


@pytest.mark.parametrize("answers", [None, CUSTOM_ANSWERS], ids=["defaults", "custom"])
def test_generated_project_passes_every_gate(
    tmp_path: Path, answers: dict[str, str] | None
) -> None:
    project = generate(tmp_path, answers)
    git_commit_all(project, "Initial commit from django-keel")
    install(project)

    # PyPI's vulnerability data is incomplete here, which fails the audit gate
    # (tests/gates/test_audit.py): pip-audit asks the local stand-in instead.
    with vulnerability_service() as service:
        gates = run(NOX, cwd=project, env=service.env, timeout=1200)
    summary = assert_succeeded(gates, DEFAULT_GATES)
    assert "format" not in summary

    run([*PRE_COMMIT, "run", "--all-files", "--show-diff-on-failure"], cwd=project)
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    assert status == "", f"the gates or hooks changed files:\n{status}"


# The questions the matrix varies: every option, and every other question with
# choices (python_version), all read from copier.yml. The defaults are the row
# the test above runs; everything off and everything on (with the other
# choices off their defaults) are rows too; harness/pairwise.py adds the rows
# that hold the pairs still missing. test_the_options_matrix_is_pairwise checks
# the coverage.
FACTORS = {
    **{name: [option.off, option.on] for name, option in OPTIONS.items()},
    **value_choices(),
}
DEFAULTS = {name: default_answer(name) for name in FACTORS}
OTHER_CHOICES = {
    name: next(c for c in choices if c != DEFAULTS[name])
    for name, choices in value_choices().items()
}
SEEDS = [{**DEFAULTS, **ALL_OFF}, {**DEFAULTS, **ALL_ON, **OTHER_CHOICES}]


# What the test settings make of DATABASE_URL and REDIS_URL.
SERVICES_USED = """
from django.conf import settings
print(settings.DATABASES["default"]["ENGINE"], settings.CACHES["default"]["BACKEND"])
"""


def test_the_generated_tests_pass_against_postgresql_and_redis(
    tmp_path: Path,
) -> None:
    """As the generated CI runs them: DATABASE_URL and REDIS_URL set, so the
    suite runs on PostgreSQL, the Redis cache and (with Celery) the Redis
    broker instead of SQLite, local memory and memory://."""
    project = generate(tmp_path, ALL_ON)
    git_commit_all(project, "Initial commit from django-keel")
    install(project)
    with postgres_database() as database_url:
        services = {"DATABASE_URL": database_url, "REDIS_URL": GATES_REDIS_URL}
        tests = run([*NOX, "-s", "tests"], cwd=project, env=services, timeout=1200)
        used = run(
            [project / ".venv/bin/python", "-c", SERVICES_USED],
            cwd=project,
            env={**services, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        ).stdout.split()
    assert "Session tests was successful" in tests.stderr, tests.stderr
    assert used == ["django.db.backends.postgresql", "django_redis.cache.RedisCache"]


def row_id(row: dict[str, str]) -> str:
    """The options that are on (or all-off), then each choice off its default."""
    on = [
        name.removeprefix("use_") for name in OPTIONS if row[name] == OPTIONS[name].on
    ]
    changed = [row[name] for name in value_choices() if row[name] != DEFAULTS[name]]
    return "-".join(["+".join(on) or "all-off", *changed])


PAIRWISE = {
    row_id(row): row for row in [*SEEDS, *all_pairs(FACTORS, [DEFAULTS, *SEEDS])]
}
MATRIX_GATES = [
    "lint", "typing", "tests", "deploy_check", "alerts", "migrations", "docs",
]  # fmt: skip


def test_the_options_matrix_is_pairwise() -> None:
    rows = [DEFAULTS, *PAIRWISE.values()]
    assert len(PAIRWISE) == len(SEEDS) + len(all_pairs(FACTORS, [DEFAULTS, *SEEDS]))
    assert {**DEFAULTS, **ALL_OFF} != DEFAULTS, "nothing to switch off"
    for first, second in itertools.combinations(FACTORS, 2):
        wanted = {(a, b) for a in FACTORS[first] for b in FACTORS[second]}
        assert {(row[first], row[second]) for row in rows} == wanted, (first, second)


@pytest.mark.parametrize("answers", list(PAIRWISE.values()), ids=list(PAIRWISE))
def test_every_options_combination_passes_the_gates(
    tmp_path: Path, answers: dict[str, str]
) -> None:
    project = generate(tmp_path, answers)
    git_commit_all(project, "Initial commit from django-keel")
    install(project)
    gates = run([*NOX, "-s", *MATRIX_GATES], cwd=project, timeout=1200)
    assert_succeeded(gates, MATRIX_GATES)
    run([*PRE_COMMIT, "run", "--all-files", "--show-diff-on-failure"], cwd=project)
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    assert status == "", f"the gates or hooks changed files:\n{status}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = generate(tmp_path_factory.mktemp("broken"))
    git_commit_all(project, "Initial commit from django-keel")
    install(project)
    return project


def break_and_run(project: Path, session: str, path: str, text: str) -> str:
    """Append text to a file, run one gate, restore the file; return its output."""
    target = project / path
    original = target.read_text() if target.exists() else None
    target.write_text((original or "") + text)
    try:
        result = run([*NOX, "-s", session], cwd=project, check=False, timeout=600)
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_text(original)
    assert result.returncode != 0, f"{session} passed on broken code:\n{result.stderr}"
    return result.stdout + result.stderr


# Appended to the last group of rules.yml: an expression that does not parse.
BROKEN_RULE = """
      - alert: Broken
        expr: sum(rate(django_http_requests_total[5m])
"""
# Appended to tests.yml: an alert expected to fire from series that never fire it.
UNFIRED_ALERT = """
  - name: an alert that does not fire
    interval: 15s
    input_series:
      - series: 'django_dependency_ready{job="web",instance="a",dependency="cache"}'
        values: "1x40"
    alert_rule_test:
      - eval_time: 5m
        alertname: DjangoDependencyNotReady
        exp_alerts:
          - exp_labels: {severity: critical, priority: P0, dependency: cache}
"""


@pytest.mark.xdist_group("broken-gates")
@pytest.mark.parametrize(
    ("session", "path", "text", "expected"),
    [
        ("lint", "config/urls.py", "import os\n", "F401"),
        ("lint", "config/urls.py", "x  =  1\n", "would reformat"),
        ("typing", "config/urls.py", "count: int = 'one'\n", "Incompatible types"),
        (
            "security",
            "config/urls.py",
            "import subprocess\nsubprocess.call('ls', shell=True)\n",
            "B602",
        ),
        (
            "tests",
            "tests/test_fails.py",
            "def test_fails() -> None:\n    assert False\n",
            "1 failed",
        ),
        (
            "tests",
            "config/uncovered.py",
            UNCOVERED_MODULE,
            "Coverage failure",
        ),
        ("deploy_check", "config/settings/production.py", "DEBUG = True\n", "W018"),
        (
            "migrations",
            "{slug}/users/models.py",
            "\n\nclass Note(models.Model):\n    text = models.TextField()\n",
            "Migrations for 'users'",
        ),
        ("docs", "docs/index.md", "\n[broken](missing.md)\n", "missing.md"),
        ("alerts", "deploy/prometheus/rules.yml", BROKEN_RULE, "could not parse"),
        ("alerts", "deploy/prometheus/tests.yml", UNFIRED_ALERT, "FAILED"),
    ],
    ids=["lint-flake8", "lint-black", "typing", "security", "tests", "coverage",
         "deploy_check", "migrations", "docs", "alerts-check",
         "alerts-test"],  # fmt: skip
)
def test_each_gate_fails_on_the_problem_it_guards(
    project: Path, session: str, path: str, text: str, expected: str
) -> None:
    if "models.Model" in text:
        text = "\nfrom django.db import models" + text
    output = break_and_run(project, session, path.format(slug="my_project"), text)
    assert expected in output


def path_without(tool: str, shadow: Path) -> str:
    """PATH with ``tool`` hidden: each directory that holds it is replaced by
    ``shadow``, which links to everything else in it."""
    shadow.mkdir()
    entries = []
    for entry in os.environ["PATH"].split(os.pathsep):
        directory = Path(entry)
        if not (directory / tool).exists():
            entries.append(entry)
            continue
        for item in directory.iterdir():
            if item.name != tool and not (shadow / item.name).exists():
                (shadow / item.name).symlink_to(item)
        entries.append(str(shadow))
    return os.pathsep.join(entries)


@pytest.mark.xdist_group("broken-gates")
def test_the_alerts_gate_says_in_one_line_that_promtool_is_missing(
    project: Path, tmp_path: Path
) -> None:
    env = {"PATH": path_without("promtool", tmp_path / "bin")}
    result = run([*NOX, "-s", "alerts"], cwd=project, env=env, check=False)
    assert result.returncode != 0
    errors = [
        line for line in (result.stdout + result.stderr).splitlines()
        if "promtool is not installed" in line
    ]  # fmt: skip
    assert len(errors) == 1, result.stderr
    assert "apt-get install prometheus" in errors[0]
    assert "Traceback" not in result.stderr


def hook_name(project: Path, hook_id: str) -> str:
    """The name pre-commit prints for a hook, from the generated config."""
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    (name,) = [
        hook["name"]
        for repo in config["repos"]
        for hook in repo["hooks"]
        if hook["id"] == hook_id
    ]
    return str(name)


@pytest.mark.xdist_group("broken-gates")
@pytest.mark.parametrize(
    ("name", "content", "hook_id"),
    [
        (
            "conflicted.txt",
            "<<<<<<< before updating\nmine\n=======\ntheirs\n>>>>>>> after\n",
            "check-merge-conflict",
        ),
        ("settings.py.rej", "@@ -1 +1 @@\n-a\n+b\n", "refuse-rej-files"),
    ],
    ids=["conflict-markers", "rej-file"],
)
def test_pre_commit_refuses_update_leftovers(
    project: Path, name: str, content: str, hook_id: str
) -> None:
    """The hook that guards against the leftover fails, and no other."""
    (project / name).write_text(content)
    run(["git", "add", "--force", name], cwd=project)  # *.rej is also git-ignored
    try:
        result = run([*PRE_COMMIT, "run", "--files", name], cwd=project, check=False)
    finally:
        run(["git", "rm", "--cached", "--quiet", name], cwd=project)
        (project / name).unlink()
    assert result.returncode != 0
    hooks = hook_results(result.stdout)
    assert failed(hooks) == {hook_name(project, hook_id)}, result.stdout


# Docker artefacts: no Docker engine runs here, so they are checked statically.


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Custom answers with every option on: the Dockerfile and compose file
    the fast tier's custom render checks for leftover Jinja."""
    return generate(tmp_path_factory.mktemp("docker"), RENDERS["custom"])


def test_dockerfile_passes_hadolint(rendered: Path, tmp_path: Path) -> None:
    hadolint = require("hadolint")
    run([hadolint, "Dockerfile"], cwd=rendered)
    text = (rendered / "Dockerfile").read_text()
    assert "FROM python:3.12-slim-bookworm AS build" in text
    assert "USER 10001:10001" in text
    assert "HEALTHCHECK" in text and "/health/live/" in text
    # The checker itself catches a root image with an unpinned base.
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install curl\n")
    result = run([hadolint, "--no-color", bad], cwd=tmp_path, check=False)
    assert result.returncode != 0
    # The rules for an unpinned base image and unpinned packages, by their ids.
    found = set(re.findall(r"\bDL\d{4}\b", result.stdout))
    assert {"DL3007", "DL3008"} <= found, result.stdout


def test_compose_file_matches_the_compose_specification(
    rendered: Path, tmp_path: Path
) -> None:
    checker = require("check-jsonschema")
    schema = ["--builtin-schema", "vendor.compose-spec"]
    run([checker, *schema, "compose.yaml"], cwd=rendered)
    compose = yaml.safe_load((rendered / "compose.yaml").read_text())
    services = compose["services"]
    celery = (rendered / "config/celery").is_dir()
    workers = {"worker", "beat"} if celery else set()
    assert set(services) == {"db", "redis", "release", "web", "nginx", *workers}
    for name in ("db", "redis", "web", "nginx", *workers - {"beat"}):
        assert "healthcheck" in services[name], name
    for name in ("web", *workers):
        assert services[name]["depends_on"]["release"]["condition"] == (
            "service_completed_successfully"
        )
    if celery:
        worker = services["worker"]
        assert "inspect ping --destination celery@$${HOSTNAME}" in (
            worker["healthcheck"]["test"][1]
        )
        assert worker["depends_on"]["db"]["condition"] == "service_healthy"
        assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
        # Queued tasks survive a Redis restart and are never evicted.
        assert "volatile-lru" in services["redis"]["command"]
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"
    broken = tmp_path / "compose.yaml"
    services["web"]["depends_on"]["redis"]["condition"] = "whenever"
    broken.write_text(yaml.safe_dump(compose))
    result = run([checker, *schema, broken], cwd=tmp_path, check=False)
    assert result.returncode != 0
    # The error is the condition the schema does not allow, not any error.
    assert "'whenever' is not one of" in result.stdout, result.stdout
