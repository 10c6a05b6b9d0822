"""Fast tier: what a newcomer types first is refused early or agrees everywhere."""

from __future__ import annotations

import keyword
from pathlib import Path

import pytest

from harness.commands import ROOT, run
from harness.instructions import copier_message, message_commands, readme_blocks
from harness.options import hidden_names
from harness.render import COPIER, copier_copy


def test_the_keyword_list_is_pythons() -> None:
    """Every keyword a slug could spell is listed; the soft keywords, which
    import statements accept, are not."""
    spellable = {word for word in keyword.kwlist if word.islower()}
    assert set(hidden_names("reserved", "python_keywords")) == spellable
    for soft in keyword.softkwlist:
        if soft.isidentifier() and soft.islower() and soft[0] != "_":
            compile(f"import {soft}.core", "<slug>", "exec")


@pytest.mark.parametrize("slug", ["class", "async", "import"])
def test_a_keyword_slug_is_refused_and_nothing_is_written(
    tmp_path: Path, slug: str
) -> None:
    destination = tmp_path / "project"
    result = copier_copy(destination, {"project_slug": slug}, check=False)
    assert result.returncode != 0
    assert f'The project slug "{slug}" is a Python keyword' in result.stderr
    assert not destination.exists()


def test_a_relative_template_path_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    """Copier would record "." as the template for `copier update`, which then
    reads the project itself as the template."""
    destination = tmp_path / "project"
    result = run(
        [*COPIER, "copy", "--defaults", "--vcs-ref", "HEAD", ".", destination],
        cwd=ROOT,
        check=False,
    )
    assert result.returncode != 0
    assert 'The template path "." is relative' in result.stderr
    assert not destination.exists()


def test_the_readme_and_the_message_after_copy_list_the_same_steps() -> None:
    get_uv, generate = readme_blocks("Generate a project")
    assert get_uv == ["python3 -m pip install uv"]
    message = message_commands("after_copy")
    copy, cd, *steps = generate
    assert copy.startswith("uvx copier copy ") and cd.startswith("cd ")
    first, *later = message
    assert first == "cd {{ _copier_conf.dst_path }}"
    assert later[: len(steps)] == steps
    assert any("git commit" in step for step in steps)
    assert later[len(steps) :] == ["make superuser", "uv run nox"]
    assert "make superuser" in (ROOT / "README.md").read_text()


def test_the_message_after_update_says_how_to_find_and_resolve_conflicts() -> None:
    message = message_commands("after_update")
    assert message[0] == "git status"
    assert "git diff --name-only --diff-filter=U" in message
    assert any("<<<<<<<" in line for line in message)
    assert any("uv lock" in line for line in message)
    assert "pre-commit refuses" in copier_message("after_update")
