"""The update tier's scenario: the two releases, and the user's edits between them.

tests/update/test_release.py's docstring tells the story; this module holds its
data: what v2 changes in the template, and what the user changes in a project
generated from v1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SLUG = "my_project"  # what the default answers give


# The tool that v2 bumps: v1 pins an older release of it.
BUMPED = "pre-commit-hooks"


V1_PIN = "5.0.0"


@dataclass(frozen=True)
class Edit:
    """Replace `old`, which must occur exactly once, by `new` in one file."""

    path: str
    old: str
    new: str

    def applied_to(self, text: str) -> str:
        count = text.count(self.old)
        assert count == 1, f"{self.path}: {self.old!r} occurs {count} times"
        return text.replace(self.old, self.new)

    def apply(self, root: Path) -> None:
        target = root / self.path
        target.write_text(self.applied_to(target.read_text()))


# The line that both the release and the user rewrite.
README_LINE = (
    "The site answers on <http://127.0.0.1:8000/health/live/>. "
    "In a second terminal,\n"
)


RELEASE_README_LINE = (
    "The site answers on <http://localhost:8000/health/live/>. "
    "In a second terminal,\n"
)


USER_README_LINE = (
    "The site answers on <http://127.0.0.1:8000/health/live/>, and the notes "
    "admin on\n<http://127.0.0.1:8000/admin/notes/>. In a second terminal,\n"
)


# A row of config/env.py's table: the settings default that v2 changes.
CONNECT_TIMEOUT_ROW = (
    '        name="DATABASE_CONNECT_TIMEOUT",\n'
    '        parser="int",\n'
    '        meaning="Seconds allowed to open a PostgreSQL connection.",\n'
    "        default=3,\n"
    '        shown_default="`3`",\n'
    '        example="3",\n'
)
CONNECT_TIMEOUT_ROW_V2 = CONNECT_TIMEOUT_ROW.replace("3", "5")

# v2, as paths of the template repository.
RELEASE = [
    # A settings default, with its documentation and its test.
    Edit("template/config/env.py.jinja", CONNECT_TIMEOUT_ROW, CONNECT_TIMEOUT_ROW_V2),
    Edit(
        "template/.env.example.jinja",
        "Default: 3\nDATABASE_CONNECT_TIMEOUT=3\n",
        "Default: 5\nDATABASE_CONNECT_TIMEOUT=5\n",
    ),
    Edit(
        "template/docs/architecture/environment.md.jinja",
        "| `DATABASE_CONNECT_TIMEOUT` | no | `3` |",
        "| `DATABASE_CONNECT_TIMEOUT` | no | `5` |",
    ),
    Edit(
        "template/tests/test_env.py",
        'options["connect_timeout"] == 3\n',
        'options["connect_timeout"] == 5\n',
    ),
    # A settings value, in the file where the user registers an app.
    Edit(
        "template/config/settings/base.py.jinja",
        "out for fifteen minutes.",
        "out for thirty minutes.",
    ),
    Edit(
        "template/config/settings/base.py.jinja",
        "AXES_COOLOFF_TIME = timedelta(minutes=15)\n",
        "AXES_COOLOFF_TIME = timedelta(minutes=30)\n",
    ),
    # A new target, in the Makefile where the user changes another one.
    Edit(
        "template/Makefile.jinja",
        "backup restore backup-verify\n",
        "backup restore backup-verify outdated\n",
    ),
    Edit(
        "template/Makefile.jinja",
        "check-all: ## Every gate, exactly as CI runs them\n\t$(NOX)\n",
        "check-all: ## Every gate, exactly as CI runs them\n\t$(NOX)\n\n"
        "outdated: ## List the direct dependencies that have newer releases\n"
        "\tuv tree --outdated --depth 1\n",
    ),
    # A page the user deletes: it must stay deleted.
    Edit(
        "template/docs/development/ci.md.jinja",
        "# Continuous integration\n\n",
        "# Continuous integration\n\n`make docs` runs the docs job locally.\n\n",
    ),
    Edit("template/README.md.jinja", README_LINE, RELEASE_README_LINE),
]


NEW_FILE = "SECURITY.md"


NEW_FILE_TEMPLATE = (
    "# Security policy\n\n"
    "Report a vulnerability in {{ project_name }} to {{ author_email }},\n"
    "never in a public issue.\n"
)


NEW_FILE_RENDERED = (
    "# Security policy\n\n"
    "Report a vulnerability in My Project to you@example.com,\n"
    "never in a public issue.\n"
)


# The dependency the user adds. Their lock holds it at an older release, a
# choice pyproject.toml does not force: settling uv.lock must keep it.
USER_DEPENDENCY, USER_LOCKED = "humanize", "4.9.0"


# The user's edits, as paths of the generated project.
USER_EDITS = [
    Edit(
        "config/settings/base.py",
        f'    "{SLUG}.users",\n',
        f'    "{SLUG}.users",\n    "{SLUG}.notes",\n',
    ),
    Edit(
        "Makefile",
        "\tuv run --frozen pytest\n",
        "\tuv run --frozen pytest --exitfirst --failed-first\n",
    ),
    Edit(
        "pyproject.toml",
        '    "gunicorn>=23",\n',
        f'    "gunicorn>=23",\n    "{USER_DEPENDENCY}>=4.9",\n',
    ),
    Edit(
        "README.md",
        "built with `uv run nox -s docs`.\n",
        "built with `uv run nox -s docs`.\n\n## Notes\n\n"
        f"`{SLUG}/notes` keeps short notes, edited in the admin.\n",
    ),
    # Deleting docs/development/ci.md takes its nav entry with it.
    Edit("mkdocs.yml", "      - Continuous integration: development/ci.md\n", ""),
]


USER_CONFLICTING_EDIT = Edit("README.md", README_LINE, USER_README_LINE)


USER_DELETED = ["docs/development/ci.md"]


USER_FILES = {
    f"{SLUG}/notes/__init__.py": "",
    f"{SLUG}/notes/apps.py": (
        "from django.apps import AppConfig\n\n\n"
        "class NotesConfig(AppConfig):\n"
        f'    name = "{SLUG}.notes"\n'
        '    verbose_name = "Notes"\n'
    ),
    f"{SLUG}/notes/models.py": (
        "from django.db import models\n\n\n"
        "class Note(models.Model):\n"
        "    text = models.TextField()\n\n"
        "    def __str__(self) -> str:\n"
        "        return self.text\n"
    ),
    f"{SLUG}/notes/admin.py": (
        "from django.contrib import admin\n\n"
        "from .models import Note\n\n"
        "admin.site.register(Note)\n"
    ),
    f"{SLUG}/notes/migrations/__init__.py": "",
    f"{SLUG}/notes/migrations/0001_initial.py": (
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n\n"
        "    initial = True\n\n"
        "    dependencies = []\n\n"
        "    operations = [\n"
        "        migrations.CreateModel(\n"
        '            name="Note",\n'
        "            fields=[\n"
        "                (\n"
        '                    "id",\n'
        "                    models.BigAutoField(\n"
        "                        auto_created=True,\n"
        "                        primary_key=True,\n"
        "                        serialize=False,\n"
        '                        verbose_name="ID",\n'
        "                    ),\n"
        "                ),\n"
        '                ("text", models.TextField()),\n'
        "            ],\n"
        "        ),\n"
        "    ]\n"
    ),
    "tests/test_notes.py": (
        "import pytest\n\n"
        f"from {SLUG}.notes.models import Note\n\n\n"
        "@pytest.mark.django_db\n"
        "def test_a_note_reads_as_its_text() -> None:\n"
        '    note = Note.objects.create(text="Buy rope")\n'
        '    assert str(note) == "Buy rope"\n'
    ),
}
