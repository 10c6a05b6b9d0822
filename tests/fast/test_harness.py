"""Fast tier: the harness itself. Tiers follow from folders, xdist groups hold,
and the nox session keeps them whatever arguments it is given."""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
import tomllib
import types
from pathlib import Path

import pytest

from harness.commands import ROOT, run
from harness.pairwise import all_pairs, every_pair, pairs
from harness.tiers import TESTS, TIERS, mark_tier, tier_of


def test_every_test_module_lives_in_a_tier_folder() -> None:
    modules = sorted(TESTS.rglob("test_*.py"))
    assert len(modules) > 10
    outside = [m for m in modules if tier_of(m) is None]
    assert not outside, outside
    assert {tier_of(m) for m in modules} == set(TIERS)
    assert tier_of(TESTS / "runtime" / "backups" / "test_x.py") == "runtime"
    assert tier_of(TESTS / "harness" / "test_x.py") is None
    assert tier_of(ROOT / "test_x.py") is None


def test_a_test_outside_the_tier_folders_is_refused() -> None:
    item = types.SimpleNamespace(path=TESTS / "test_loose.py", nodeid="test_loose")
    with pytest.raises(pytest.UsageError, match="tier folder"):
        mark_tier(item)  # type: ignore[arg-type]


def test_the_tiers_are_the_declared_markers() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    markers = pyproject["tool"]["pytest"]["ini_options"]["markers"]
    assert [marker.partition(":")[0] for marker in markers] == list(TIERS)


def test_each_item_carries_its_folders_marker(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("fast") is not None
    assert all(request.node.get_closest_marker(t) is None for t in TIERS[1:])


GROUPED_TESTS = """
import pytest

@pytest.mark.xdist_group("together")
@pytest.mark.parametrize("n", range(8))
def test_grouped(n):
    pass

@pytest.mark.parametrize("n", range(8))
def test_free(n):
    pass
"""
GROUP_FIX = """
import pytest

from harness.tiers import add_group_suffixes

@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    add_group_suffixes(config, items)
"""
RESULT = re.compile(r"^\[(?P<worker>gw\d+)\] .*PASSED (?P<nodeid>\S+)", re.MULTILINE)


def run_two_workers(directory: Path, conftest: str) -> dict[str, str]:
    """Run the grouped tests on two workers; {node id: worker} of each."""
    directory.mkdir()
    (directory / "test_grouped.py").write_text(GROUPED_TESTS)
    (directory / "conftest.py").write_text(conftest)
    result = run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v",
         "-p", "no:cacheprovider", "--rootdir", directory, directory],
        cwd=directory, env={"PYTHONPATH": str(TESTS)},
    )  # fmt: skip
    found = {m["nodeid"]: m["worker"] for m in RESULT.finditer(result.stdout)}
    assert len(found) == 16, result.stdout
    return found


def test_loadgroup_keeps_a_group_on_one_worker(tmp_path: Path) -> None:
    """With the harness's hook, grouped node ids end in @together and run on
    one worker; the other tests still go to both."""
    found = run_two_workers(tmp_path / "fixed", GROUP_FIX)
    grouped = {n: w for n, w in found.items() if "::test_grouped[" in n}
    assert all(n.endswith("@together") for n in grouped), sorted(grouped)
    assert len(set(grouped.values())) == 1, grouped
    assert len(set(found.values())) == 2, "one worker ran everything"


def test_without_the_hook_xdist_loses_the_group(tmp_path: Path) -> None:
    """The bug tests/harness/tiers.py works around: when this fails, pytest-xdist
    adds the suffix itself again, and add_group_suffixes can go."""
    found = run_two_workers(tmp_path / "plain", "")
    assert not [n for n in found if "@" in n], sorted(found)


class RecordingSession:
    """Just enough of nox.Session for the noxfile's tests session."""

    def __init__(self, posargs: list[str]) -> None:
        self.posargs = posargs
        self.virtualenv = types.SimpleNamespace(location="/nowhere")
        self.commands: list[tuple[str, ...]] = []

    def run_install(self, *args: str, **kwargs: object) -> None:
        pass

    def run(self, *args: str, **kwargs: object) -> None:
        self.commands.append(args)


def template_noxfile(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The template's noxfile.py, loaded with a stand-in for nox."""
    nox = types.ModuleType("nox")
    nox.options = types.SimpleNamespace()  # type: ignore[attr-defined]
    nox.Session = RecordingSession  # type: ignore[attr-defined]
    nox.session = lambda *a, **k: (  # type: ignore[attr-defined]
        a[0] if a and callable(a[0]) else (lambda function: function)
    )
    nox.main = lambda: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nox", nox)
    spec = importlib.util.spec_from_file_location("noxfile", ROOT / "noxfile.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("posargs", "pytest_args"),
    [
        ([], ["--dist", "loadgroup", "-n", "auto"]),
        (["-m", "fast", "-n", "2"], ["--dist", "loadgroup", "-m", "fast", "-n", "2"]),
        (["-n", "2", "--dist", "load"], ["-n", "2", "--dist", "load"]),
        (["--dist=each", "-n", "2"], ["--dist=each", "-n", "2"]),
        (["-p", "no:xdist", "-k", "lock"], ["-p", "no:xdist", "-k", "lock"]),
    ],
    ids=["defaults", "one-tier", "dist-chosen", "dist-equals", "no-xdist"],
)
def test_the_tests_session_keeps_loadgroup(
    monkeypatch: pytest.MonkeyPatch, posargs: list[str], pytest_args: list[str]
) -> None:
    session = RecordingSession(posargs)
    template_noxfile(monkeypatch).tests(session)
    assert session.commands == [("pytest", *pytest_args)]


FACTORS = {"a": ["0", "1"], "b": ["x", "y", "z"], "c": ["p", "q"], "d": ["m", "n"]}


def test_all_pairs_holds_every_pair_in_few_rows() -> None:
    rows = all_pairs(FACTORS, [])
    assert every_pair(FACTORS) <= set().union(*(pairs(row, FACTORS) for row in rows))
    assert all(set(row) == set(FACTORS) for row in rows)
    # The full product has 24 rows; three answers of b need at least 6.
    assert 6 <= len(rows) <= 8, rows
    assert rows == all_pairs(FACTORS, []), "the matrix changed between runs"


def test_all_pairs_adds_only_what_the_seeds_lack() -> None:
    full = [
        dict(zip(FACTORS, answers)) for answers in itertools.product(*FACTORS.values())
    ]
    assert all_pairs(FACTORS, full) == []
    seeds = full[:3]
    rows = all_pairs(FACTORS, seeds)
    held = set().union(*(pairs(row, FACTORS) for row in seeds + rows))
    assert held == every_pair(FACTORS)
    assert not any(row in seeds for row in rows)
