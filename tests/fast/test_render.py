"""Fast tier: render the template and check what comes out."""

from __future__ import annotations

import py_compile
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.commands import ROOT, run
from harness.git import git_commit_all
from harness.options import OPTIONS, questions
from harness.render import (
    COPIER,
    CUSTOM_ANSWERS,
    RENDERS,
    copier_copy,
    generate,
    rendered_files,
)
from harness.workflows import GITHUB_EXPRESSION

JINJA_LEFTOVER = re.compile(r"{{|{%|{#")
# Prometheus' own templates in the alert annotations: {{ $labels.job }}.
PROMETHEUS_TEMPLATE = re.compile(r"{{ \$(labels|value)\b[^{}]*}}")


YAML = (".yml", ".yaml")
DJANGO = (".html", ".txt")


def jinja_left_in(relative_path: Path, line: str) -> bool:
    """Whether a rendered line still holds Jinja.

    GitHub Actions expressions, `${{ ... }}`, are meant to reach the workflow
    and Dependabot files under .github/, so there they are not leftovers; nor
    is Django's template language in templates/, which Copier copies as it is
    (test_django_templates_are_copied_verbatim), nor are Prometheus'
    templates of label values in the alert rules of deploy/prometheus/.
    """
    if relative_path.parts[0] == "templates" and relative_path.suffix in DJANGO:
        return False
    if relative_path.parts[0] == ".github" and relative_path.suffix in YAML:
        line = GITHUB_EXPRESSION.sub("", line)
    if relative_path.parts[:2] == ("deploy", "prometheus"):
        line = PROMETHEUS_TEMPLATE.sub("", line)
    return bool(JINJA_LEFTOVER.search(line))


def offered(spec: dict[str, Any]) -> set[str]:
    """The answers a question of copier.yml offers, as the command line spells
    them; empty for free text."""
    if spec["type"] == "bool":
        return {"true", "false"}
    return {str(choice) for choice in spec.get("choices", [])}


def spelled(spec: dict[str, Any], answer: object) -> str:
    return str(answer).lower() if spec["type"] == "bool" else str(answer)


def test_the_renders_give_every_question_each_answer_it_offers() -> None:
    """Every choice of every question (each option's two answers, each Python
    version) is in one of the renders that the checks below run on."""
    checked = {name: spec for name, spec in questions().items() if offered(spec)}
    assert set(OPTIONS) < set(checked)
    for name, spec in checked.items():
        given = {
            spelled(spec, (answers or {}).get(name, spec.get("default")))
            for answers in RENDERS.values()
        }
        assert given == offered(spec), (name, given)


def test_no_jinja_is_left_anywhere(rendered: Path) -> None:
    leftovers = [
        f"{path.relative_to(rendered)}:{number}: {line.strip()}"
        for path in rendered_files(rendered)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if jinja_left_in(path.relative_to(rendered), line)
    ]
    names = [p for p in rendered_files(rendered) if JINJA_LEFTOVER.search(str(p))]
    assert not leftovers and not names, "\n".join(leftovers + list(map(str, names)))
    assert not list(rendered.rglob("*.jinja"))


def test_django_templates_are_copied_verbatim(rendered: Path) -> None:
    """Copier renders only .jinja files: Django's templates reach the project
    byte for byte, so the exemption above hides nothing Copier left."""
    source = ROOT / "template" / "templates"
    files = sorted(p.relative_to(source) for p in source.rglob("*") if p.is_file())
    assert files and not [f for f in files if f.suffix == ".jinja"]
    for relative in files:
        target = rendered / "templates" / relative
        assert target.read_bytes() == (source / relative).read_bytes(), relative


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
        ("templates/base.html", "{% block main %}{{ site_name }}", False),
        ("templates.py", "{% if x %}", True),
    ],
)
def test_only_github_expressions_may_keep_braces(
    path: str, line: str, left: bool
) -> None:
    assert jinja_left_in(Path(path), line) is left


def test_every_python_file_compiles(rendered: Path) -> None:
    sources = [p for p in rendered_files(rendered) if p.suffix == ".py"]
    assert len(sources) > 20
    for source in sources:
        py_compile.compile(str(source), doraise=True, cfile=str(source) + "c-test")
        Path(str(source) + "c-test").unlink()


def test_answers_file_records_every_answer(rendered: Path) -> None:
    answers = yaml.safe_load((rendered / ".copier-answers.yml").read_text())
    assert answers["_src_path"]
    assert answers["_commit"]
    slug = answers["project_slug"]
    assert (rendered / slug / "users" / "models.py").is_file()
    assert f'name = "{slug}"' in (rendered / "pyproject.toml").read_text()
    for hidden in ("versions", "images", "reserved_names", "available_time_zones"):
        assert hidden not in answers


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
