""".env.example and the environment page are what config/env.py's table prints."""

from pathlib import Path

import pytest

from config.env import VARIABLES, docs, example, main, sample
from tests.test_docs import Project

ROOT = Path(__file__).resolve().parent.parent
SCRIPT_VARIABLES = {row.name for row in VARIABLES if "scripts" in row.read_by}


def test_env_example_is_what_the_table_prints() -> None:
    assert (ROOT / ".env.example").read_text() == example()


def test_the_environment_page_holds_the_tables_the_table_prints() -> None:
    assert docs() in (ROOT / "docs/architecture/environment.md").read_text()


def test_the_command_prints_either_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["example"]) == 0
    assert capsys.readouterr().out == example()
    assert main(["docs"]) == 0
    assert capsys.readouterr().out == docs()
    assert main(["sample"]) == 0
    assert capsys.readouterr().out == sample()
    assert "DJANGO_SECRET_KEY=sample-only-" in sample()
    assert main(["everything"]) == 2


def test_the_scripts_read_exactly_their_variables_of_the_table() -> None:
    assert Project.read(ROOT).script_variables == SCRIPT_VARIABLES
