"""Gates tier: `nox -s mutation` scores the generated tests, and fails when they weaken.

The whole session mutates every module its [tool.mutmut] lists and takes the
better part of an hour, so it is no default gate; here it is narrowed, as its
docstring says it can be, to the request-id middleware and the test file that
covers it.
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.commands import run
from harness.gates import NOX
from harness.git import git_commit_all
from harness.render import generate, install

MODULE = "my_project/core/request_id.py"
TESTS = "tests/test_security.py"
MUTATION = [*NOX, "-s", "mutation", "--", MODULE, TESTS]
SCORE = re.compile(
    r"The tests killed (?P<killed>\d+) of (?P<total>\d+) mutants \([\d.]+%\); "
    r"the gate is (?P<gate>\d+)%\."
)
SURVIVOR = re.compile(
    r"^  (?P<mutant>my_project\.core\.request_id\.\S+): survived", re.M
)
# A test function of the generated suite, up to the next top-level statement
# (a line that starts with `)` still belongs to its signature).
TEST_FUNCTION = re.compile(
    r"^(?:@pytest[^\n]*\n)*def (?P<name>test_\w+)\(.*?(?=^[^\s)])", re.M | re.S
)


def without_tests(source: str, word: str) -> str:
    """The test module without the tests whose names contain ``word``."""
    return TEST_FUNCTION.sub(
        lambda test: "" if word in test["name"] else test[0], source
    )


def test_the_mutation_gate_passes_and_fails_once_the_tests_are_weakened(
    tmp_path: Path,
) -> None:
    project = generate(tmp_path)
    git_commit_all(project, "Initial commit from django-keel")
    install(project)

    passed = run(MUTATION, cwd=project, timeout=600)
    score = SCORE.search(passed.stderr)
    assert score, passed.stderr[-3000:]
    killed, total, gate = (int(score[key]) for key in ("killed", "total", "gate"))
    assert total >= 10 and 100 * killed >= gate * total, score[0]
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    assert status == "", f"mutmut's files are not git-ignored:\n{status}"

    # Without the tests of the request id, its mutants live and the gate fails.
    tests = project / TESTS
    weakened = without_tests(tests.read_text(), "request_id")
    assert weakened.count("def test_") == tests.read_text().count("def test_") - 4
    tests.write_text(weakened)
    failed = run(MUTATION, cwd=project, check=False, timeout=600)
    assert failed.returncode != 0, failed.stderr[-3000:]
    score = SCORE.search(failed.stderr)
    assert score, failed.stderr[-3000:]
    assert 100 * int(score["killed"]) < gate * int(score["total"]), score[0]
    survivors = SURVIVOR.findall(failed.stderr)
    assert len(survivors) > total - killed, failed.stderr[-3000:]
