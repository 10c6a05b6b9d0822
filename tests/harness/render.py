"""Render the template with Copier, and install what it renders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jinja2

from harness.commands import ROOT, run
from harness.options import ALL_OFF, ALL_ON, SWITCHES, hidden_default, questions

TEMPLATE = ROOT / "template"
COPIER = [sys.executable, "-m", "copier"]

# Hidden questions whose defaults the tests compare files against.
VERSIONS: dict[str, str] = hidden_default("versions", "versions")
IMAGES: dict[str, str] = hidden_default("images", "images")

# Answers that differ from every default, for the "non-default" renders.
CUSTOM_ANSWERS = {
    "project_name": "Harbour Logistics",
    "project_slug": "harbour",
    "description": "Ships, tracked.",
    "author_name": "Ada Quay",
    "author_email": "ada@harbour.example.org",
    "domain_name": "harbour.example.org",
    "python_version": "3.12",
    "time_zone": "Europe/Paris",
}

# The fast tier's three renders: the defaults, custom answers with every option
# on (email=anymail too, which the defaults leave off), and every option off.
# Together they give each question every answer it offers, as
# tests/fast/test_render.py checks.
RENDERS = {
    "defaults": None,
    "custom": {**CUSTOM_ANSWERS, **ALL_ON},
    "all-off": ALL_OFF,
}


def copier_copy(
    dst: Path,
    answers: dict[str, str] | None = None,
    *,
    src: Path = ROOT,
    vcs_ref: str = "HEAD",
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    data = [arg for k, v in (answers or {}).items() for arg in ("--data", f"{k}={v}")]
    return run(
        [*COPIER, "copy", "--defaults", "--vcs-ref", vcs_ref, *data, src, dst],
        cwd=dst.parent,
        check=check,
    )


def generate(tmp_path: Path, answers: dict[str, str] | None = None) -> Path:
    """Render the template into tmp_path/project."""
    project = tmp_path / "project"
    copier_copy(project, answers)
    return project


def install(project: Path) -> None:
    """What `make install` does, minus the hooks: the locked virtualenv."""
    run(["uv", "sync", "--locked"], cwd=project)


def rendered_files(project: Path) -> list[Path]:
    return [p for p in project.rglob("*") if p.is_file() and ".git" not in p.parts]


def render_text(
    relative: str, answers: dict[str, str], slug: str = "my_project"
) -> str:
    """One template file rendered by jinja2 alone, for these option answers and
    the other defaults: cheap, for files whose Jinja reads only answers and
    versions (pyproject.toml, uv.lock)."""
    context: dict[str, object] = {
        name: spec["default"]
        for name, spec in questions().items()
        if "{" not in str(spec.get("default", ""))
    }
    context.update(project_slug=slug, versions=VERSIONS, images=IMAGES)
    context.update({name: SWITCHES[name].value(a) for name, a in answers.items()})
    environment = jinja2.Environment(
        keep_trailing_newline=True, undefined=jinja2.StrictUndefined
    )
    return environment.from_string((TEMPLATE / relative).read_text()).render(context)
