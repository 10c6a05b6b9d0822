"""Fast tier: render the template and check what comes out, and what does not."""

from __future__ import annotations

import importlib.util
import py_compile
import re
import shlex
import tomllib
import zoneinfo
from pathlib import Path
from types import ModuleType

import jinja2
import pytest
import yaml
from conftest import (
    ALL_OFF,
    ALL_ON,
    COPIER,
    CUSTOM_ANSWERS,
    OPTIONS,
    ROOT,
    VERSIONS,
    copier_copy,
    default_answer,
    generate,
    git_commit_all,
    options,
    questions,
    run,
)
from workflows import (
    GITHUB_EXPRESSION,
    commands,
    load,
    run_scripts,
    steps,
    workflow_files,
)

pytestmark = pytest.mark.fast

JINJA_LEFTOVER = re.compile(r"{{|{%|{#")
YAML = (".yml", ".yaml")
# How CI must start nox: the version locked in uv.lock, at the pin.
LOCKED_NOX = ["uv", "run", "--locked", "nox"]


def jinja_left_in(relative_path: Path, line: str) -> bool:
    """Whether a rendered line still holds Jinja.

    GitHub Actions expressions, `${{ ... }}`, are meant to reach the workflow
    and Dependabot files under .github/, so there they are not leftovers.
    """
    if relative_path.parts[0] == ".github" and relative_path.suffix in YAML:
        line = GITHUB_EXPRESSION.sub("", line)
    return bool(JINJA_LEFTOVER.search(line))


def rendered_files(project: Path) -> list[Path]:
    return [p for p in project.rglob("*") if p.is_file() and ".git" not in p.parts]


RENDERS = {"defaults": None, "custom": CUSTOM_ANSWERS, "all-off": ALL_OFF}


@pytest.fixture(scope="module", params=list(RENDERS))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The defaults (every option on), custom answers, and every option off."""
    return generate(tmp_path_factory.mktemp(request.param), RENDERS[request.param])


def test_no_jinja_is_left_anywhere(project: Path) -> None:
    leftovers = [
        f"{path.relative_to(project)}:{number}: {line.strip()}"
        for path in rendered_files(project)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if jinja_left_in(path.relative_to(project), line)
    ]
    names = [p for p in rendered_files(project) if JINJA_LEFTOVER.search(str(p))]
    assert not leftovers and not names, "\n".join(leftovers + list(map(str, names)))
    assert not list(project.rglob("*.jinja"))


@pytest.mark.parametrize(
    ("path", "line", "left"),
    [
        (".github/workflows/ci.yml", "group: ${{ github.workflow }}", False),
        (".github/workflows/ci.yml", "if: ${{ a }} && ${{ b }}", False),
        (".github/workflows/ci.yml", "version: \"{{ versions['uv'] }}\"", True),
        (".github/workflows/ci.yml", "run: ${{ github.ref }} {{ slug }}", True),
        (".github/workflows/ci.yml", "{%- raw %}", True),
        (".github/workflows/ci.yml", "${{ {{ slug }} }}", True),
        (".github/dependabot.yml", "{# note #}", True),
        ("config/urls.py", "x = '${{ github.ref }}'", True),
        ("README.md", "Run ${{ github.ref }}", True),
    ],
)
def test_only_github_expressions_may_keep_braces(
    path: str, line: str, left: bool
) -> None:
    assert jinja_left_in(Path(path), line) is left


def test_every_python_file_compiles(project: Path) -> None:
    sources = [p for p in rendered_files(project) if p.suffix == ".py"]
    assert len(sources) > 20
    for source in sources:
        py_compile.compile(str(source), doraise=True, cfile=str(source) + "c-test")
        Path(str(source) + "c-test").unlink()


def test_answers_file_records_every_answer(project: Path) -> None:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"]
    assert answers["_commit"]
    slug = answers["project_slug"]
    assert (project / slug / "users" / "models.py").is_file()
    assert f'name = "{slug}"' in (project / "pyproject.toml").read_text()
    for hidden in ("versions", "reserved_names", "available_time_zones"):
        assert hidden not in answers


def test_options_are_the_questions_that_switch_features() -> None:
    """Every yes/no question and every two-way choice is an option, and back."""
    switches = {
        name: spec
        for name, spec in questions().items()
        if spec["type"] == "bool" or name in OPTIONS
    }
    assert sorted(switches) == sorted(OPTIONS)
    for name, spec in switches.items():
        option = OPTIONS[name]
        if spec["type"] == "bool":
            assert (option.on, option.off) == ("true", "false"), name
        else:
            assert sorted(spec["choices"]) == sorted([option.on, option.off]), name
    assert set(OPTION_FILES) == set(OPTIONS)


def relock_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relock", ROOT / "scripts/relock.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_relock_knows_every_option_that_adds_dependencies() -> None:
    pyproject = (ROOT / "template" / "pyproject.toml.jinja").read_text()
    named = {name for name in OPTIONS if re.search(rf"\b{name}\b", pyproject)}
    assert named, "no option adds a dependency"
    assert set(relock_script().DEPENDENCY_OPTIONS) == named


def synthetic_lock(on: set[str]) -> str:
    """A lock shaped like uv's: alpha needs a, beta a or b, zed a and b."""
    packages = [
        ("alpha", "a" in on),
        ("beta", bool(on)),
        ("keel-lock-placeholder", True),
        ("zed", on == {"a", "b"}),
    ]
    blocks = []
    for name, present in packages:
        if not present:
            continue
        block = f'[[package]]\nname = "{name}"\nversion = "1.0"\n'
        if name == "keel-lock-placeholder":
            block += 'source = { editable = "." }\ndependencies = [\n'
            block += "".join(
                f'    {{ name = "{dependency}" }},\n'
                for dependency, needed in packages[:2]
                if needed
            )
            block += "]\n"
        blocks.append(block)
    return 'version = 1\nrequires-python = ">=3.12"\n\n' + "\n".join(blocks)


def test_relock_merges_locks_into_a_template_exact_for_each() -> None:
    relock = relock_script()
    every = [frozenset(c) for c in ({"a", "b"}, {"a"}, {"b"}, set())]
    template = relock.merge({on: synthetic_lock(set(on)) for on in every})
    assert "{%- if a %}" in template and "{%- if a and b %}" in template
    assert "{%- if a or b %}" in template
    environment = jinja2.Environment(keep_trailing_newline=True)
    for on in every:
        rendered = environment.from_string(template).render(
            a="a" in on, b="b" in on, project_slug="keel_lock_placeholder"
        )
        assert rendered == synthetic_lock(set(on)), sorted(on)


def test_relock_tests_a_choice_by_its_answer() -> None:
    relock = relock_script()
    relock.DEPENDENCY_OPTIONS = {"a": ("true", "false"), "b": ("drf", "none")}
    every = [frozenset(c) for c in ({"a", "b"}, {"a"}, {"b"}, set())]
    template = relock.merge({on: synthetic_lock(set(on)) for on in every})
    assert '{%- if a and b == "drf" %}' in template
    environment = jinja2.Environment(keep_trailing_newline=True)
    for on in every:
        rendered = environment.from_string(template).render(
            a="a" in on,
            b="drf" if "b" in on else "none",
            project_slug="keel_lock_placeholder",
        )
        assert rendered == synthetic_lock(set(on)), sorted(on)


def test_relock_refuses_options_that_are_not_monotone() -> None:
    relock = relock_script()
    # beta is in the lock with no option on, but not with a on.
    locks = {
        frozenset({"a", "b"}): synthetic_lock({"a", "b"}),
        frozenset({"a"}): synthetic_lock(set()),
        frozenset({"b"}): synthetic_lock({"b"}),
        frozenset(): synthetic_lock({"b"}),
    }
    with pytest.raises(SystemExit, match="not monotone"):
        relock.merge(locks)


LOCK_COMBINATIONS = {
    "all-off": ALL_OFF,
    "all-on": ALL_ON,
    **{f"only-{name}": options(name) for name in OPTIONS},
}


@pytest.mark.parametrize(
    "answers",
    # With a single option, "only" it is "all-on": render each set once.
    list({tuple(a.items()): a for a in LOCK_COMBINATIONS.values()}.values()),
    ids=lambda answers: next(
        name for name, value in LOCK_COMBINATIONS.items() if value == answers
    ),
)
def test_the_lock_is_exact_for_every_option_combination(
    tmp_path: Path, answers: dict[str, str]
) -> None:
    """uv would write the very same uv.lock, so `uv sync --locked` works."""
    project = generate(tmp_path, answers)
    run(["uv", "lock", "--check", "--offline"], cwd=project)
    lock = (project / "uv.lock").read_text()
    assert "{" + "%" not in lock
    assert ('name = "sentry-sdk"' in lock) is (answers["use_sentry"] == "true")
    assert ('name = "djangorestframework"' in lock) is (answers["api"] == "drf")
    assert ('name = "django-anymail"' in lock) is (answers["email"] == "anymail")


# The files each option adds; the rest of it is a few lines in shared files.
OPTION_FILES = {
    "use_sentry": ["config/sentry.py", "tests/test_sentry.py"],
    "use_docker": ["Dockerfile", "compose.yaml", ".dockerignore"],
    "use_celery": [
        "config/celery/app.py",
        "my_project/core/tasks.py",
        "tests/test_celery.py",
    ],
    "api": [
        "my_project/api/throttling.py",
        "my_project/api/urls.py",
        "my_project/api/views.py",
        "tests/test_api.py",
    ],
    # A choice between two ways of sending mail: lines in shared files only.
    "email": [],
}


@pytest.mark.parametrize("option", OPTIONS)
def test_an_option_that_is_off_leaves_no_trace(tmp_path: Path, option: str) -> None:
    """No file, dependency, variable, setting or doc names it; the others stay."""
    project = generate(tmp_path, options(*(set(OPTIONS) - {option})))
    word = OPTIONS[option].trace
    traces = [
        str(path.relative_to(project))
        for path in rendered_files(project)
        if path.name != ".copier-answers.yml"
        and (word in str(path.relative_to(project)).lower()
             or word in path.read_text().lower())
    ]  # fmt: skip
    assert not traces, f"{option} is off, yet these name {word}: {traces}"
    for other in set(OPTIONS) - {option}:
        for name in OPTION_FILES[other]:
            assert (project / name).is_file(), f"{other} is on, {name} is missing"


def test_the_defaults(tmp_path: Path) -> None:
    """The defaults are copier.yml's, and their files are there."""
    project = generate(tmp_path)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    for option, files in OPTION_FILES.items():
        default = default_answer(option)
        assert str(answers[option]).lower() == default
        on = default == OPTIONS[option].on
        for name in files:
            assert (project / name).is_file() is on, name


def test_custom_answers_reach_the_files(tmp_path: Path) -> None:
    project = generate(tmp_path, CUSTOM_ANSWERS)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    for key, value in CUSTOM_ANSWERS.items():
        assert answers[key] == value
    assert (project / ".python-version").read_text().strip() == "3.12"
    assert (
        'TIME_ZONE = "Europe/Paris"'
        in (project / "config/settings/base.py").read_text()
    )
    assert '"harbour.users"' in (project / "config/settings/base.py").read_text()
    assert "noreply@harbour.example.org" in (project / "config/env.py").read_text()
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["tool"]["mypy"]["python_version"] == "3.12"
    assert pyproject["tool"]["black"]["target-version"] == ["py312"]
    assert "# Harbour Logistics" in (project / "README.md").read_text()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"project_slug": "My-Project"}, "must start with a lowercase letter"),
        ({"project_slug": "9lives"}, "must start with a lowercase letter"),
        ({"project_slug": "json"}, "would shadow the Python module"),
        ({"project_slug": "django"}, "would shadow the Python module"),
        ({"project_slug": "config"}, "would shadow the Python module"),
        ({"project_slug": "s" * 31}, "at most 30 characters"),
        ({"author_email": "not-an-email"}, "is not a valid email address"),
        ({"author_email": "a@b"}, "is not a valid email address"),
        ({"domain_name": "http://example.com"}, "is not a valid lowercase hostname"),
        ({"domain_name": "exa_mple.com"}, "is not a valid lowercase hostname"),
        ({"domain_name": "d" * 50 + ".example.com"}, "at most 60 characters"),
        ({"time_zone": "Mars/Olympus_Mons"}, "is not an IANA time zone name"),
        ({"time_zone": "utc"}, "is not an IANA time zone name"),
        ({"python_version": "3.11"}, "3.11"),
        ({"project_name": "  "}, "must not be empty"),
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_written(
    tmp_path: Path, answers: dict[str, str], message: str
) -> None:
    destination = tmp_path / "project"
    result = copier_copy(destination, answers, check=False)
    assert result.returncode != 0
    assert message in result.stderr + result.stdout
    assert not destination.exists()


def test_every_listed_time_zone_loads() -> None:
    documents = yaml.safe_load_all((ROOT / "includes" / "time_zones.yml").read_text())
    zones = next(iter(documents))["available_time_zones"]["default"]
    assert len(zones) > 400
    for name in zones:
        zoneinfo.ZoneInfo(name)


def test_reserved_names_cover_the_standard_library() -> None:
    import sys

    documents = yaml.safe_load_all((ROOT / "includes" / "reserved.yml").read_text())
    reserved = set(next(iter(documents))["reserved_names"]["default"])
    public = {n for n in sys.stdlib_module_names if n.islower() and n[0] != "_"}
    assert public <= reserved
    assert {"config", "tests", "django"} <= reserved


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        if isinstance(requirement, str) and "==" in requirement:
            name, version = requirement.split("==")
            found[name.lower()] = version
    return found


def test_tool_versions_agree_everywhere(project: Path) -> None:
    """includes/versions.yml feeds pyproject, pre-commit and the lock file."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    declared: dict[str, str] = {}
    for group in pyproject["dependency-groups"].values():
        declared.update(pins(group))
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hooked: dict[str, str] = {}
    for repo in hooks["repos"]:
        for hook in repo["hooks"]:
            hooked.update(pins(hook.get("additional_dependencies", [])))
    lock = tomllib.loads((project / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}

    expected = {name.lower(): version for name, version in VERSIONS.items()}
    for name, version in declared.items():
        assert expected[name] == version, f"pyproject pins {name}=={version}"
        assert locked[name] == version, f"uv.lock has {name}=={locked[name]}"
    for name, version in hooked.items():
        assert expected[name] == version, f"pre-commit pins {name}=={version}"
    assert {"black", "isort", "flake8", "bandit"} <= set(hooked) & set(declared)


def uv_setups(root: Path) -> list[tuple[str, dict[str, str]]]:
    """(where, inputs) of every astral-sh/setup-uv step in root's workflows."""
    return [
        (f"{path.name}: job {job}", step.get("with", {}))
        for path in workflow_files(root)
        for job, step in steps(load(path))
        if step.get("uses", "").startswith("astral-sh/setup-uv@")
    ]


def test_ci_installs_the_pinned_tools(project: Path) -> None:
    """CI takes uv from includes/versions.yml and nox from uv.lock, nothing else."""
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    workflows = [load(path) for path in workflow_files(project)]
    jobs = sum(len(workflow["jobs"]) for workflow in workflows)
    setups = uv_setups(project)
    assert len(setups) == jobs >= 5, "every job sets up uv once"
    for where, inputs in setups:
        assert inputs["version"] == VERSIONS["uv"], where
        assert inputs["python-version"] == answers["python_version"], where

    nox_runs = [
        command
        for workflow in workflows
        for script in run_scripts(workflow)
        for command in commands(script)
        if any(re.match(r"nox\b", word) for word in command)
    ]
    assert len(nox_runs) >= 5
    for command in nox_runs:
        assert command[:4] == LOCKED_NOX, f"`{shlex.join(command)}`: not {LOCKED_NOX}"
    lock = tomllib.loads((project / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}
    assert locked["nox"] == VERSIONS["nox"]

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["tool"]["uv"]["required-version"] == f">={VERSIONS['uv']}"

    # Dependabot must not move a tool that pre-commit pins too.
    dependabot = yaml.safe_load((project / ".github/dependabot.yml").read_text())
    (uv_updates,) = [u for u in dependabot["updates"] if u["package-ecosystem"] == "uv"]
    ignored = {entry["dependency-name"] for entry in uv_updates["ignore"]}
    declared = {
        name
        for group in pyproject["dependency-groups"].values()
        for name in pins(group)
    }
    assert declared <= ignored <= set(VERSIONS), ignored ^ declared


USES = re.compile(
    r"^\s*(?:- )?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?P<comment>.*)$"
)


def test_actions_are_pinned_to_commits_with_their_tag(project: Path) -> None:
    """A full commit SHA, the tag in a comment, and one pin per action."""
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in workflow_files(project) + workflow_files(ROOT):
        for line in path.read_text().splitlines():
            if match := USES.match(line):
                where = f"{path.name}: {line.strip()}"
                assert re.fullmatch(r"[0-9a-f]{40}", match["ref"]), where
                tag = re.fullmatch(r" # (v\d+(?:\.\d+){2})", match["comment"])
                assert tag, f"{where}: no `# vX.Y.Z` comment"
                pins.setdefault(match["action"], set()).add((match["ref"], tag[1]))
    assert {"actions/checkout", "astral-sh/setup-uv"} <= set(pins)
    assert all(len(refs) == 1 for refs in pins.values()), pins


def pep_723_metadata(script: Path) -> dict[str, object]:
    """The inline script metadata of a Python script (PEP 723)."""
    block = re.search(
        r"(?m)^# /// script$\s(?P<content>(^#(| .*)$\s)+)^# ///$", script.read_text()
    )
    assert block, f"{script.name} has no `# /// script` block"
    lines = block["content"].splitlines(keepends=True)
    return tomllib.loads(
        "".join(line[2:] if line.startswith("# ") else line[1:] for line in lines)
    )


def test_template_repo_uses_the_same_shared_tools() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for group in pyproject["dependency-groups"].values():
        for name, version in pins(group).items():
            if name in VERSIONS:
                assert VERSIONS[name] == version, f"{name}: {version}"
    # The template's CI and `uv run noxfile.py` use the same uv and nox.
    setups = uv_setups(ROOT)
    assert setups, "the template's workflows set up no uv"
    for where, inputs in setups:
        assert inputs["version"] == VERSIONS["uv"], where
    script = pep_723_metadata(ROOT / "noxfile.py")
    assert script["dependencies"] == [f"nox=={VERSIONS['nox']}"]


def test_update_of_an_unchanged_project_is_a_no_op(tmp_path: Path) -> None:
    template = tmp_path / "template-repo"
    run(["git", "clone", "--quiet", "--no-hardlinks", ROOT, template], cwd=tmp_path)
    run(["git", "tag", "v1.0.0"], cwd=template)
    project = tmp_path / "project"
    copier_copy(project, src=template, vcs_ref="v1.0.0")
    git_commit_all(project, "generated")
    result = run(
        [*COPIER, "update", "--defaults", "--vcs-ref", "v1.0.0"],
        cwd=project,
    )
    status = run(["git", "status", "--porcelain"], cwd=project).stdout
    assert status == "", f"update changed files:\n{status}\n{result.stderr}"


def test_the_longest_answers_keep_python_lines_within_88_characters(
    tmp_path: Path,
) -> None:
    """Answers that land in Python code must not push a line past black's limit."""
    longest = {
        "project_slug": "p" * 30,
        "domain_name": "d" * 48 + ".example.com",
        "time_zone": "America/Argentina/ComodRivadavia",
    }
    project = generate(tmp_path, longest)
    too_long = [
        f"{path.relative_to(project)}:{number}"
        for path in project.rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        # flake8 lets a line that is one long token (a URL) through, as here.
        if len(line) > 88 and len(line.split()) > 1
    ]
    assert not too_long, too_long
