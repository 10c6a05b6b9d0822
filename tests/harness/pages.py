"""A generated project's pages, changed for a while to prove a check fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOME = Path("templates/pages/home.html")


@contextmanager
def added_to_home_page(project: Path, markup: str) -> Iterator[None]:
    """The home page with ``markup`` at the end of its main block, for a while."""
    page = project / HOME
    original = page.read_text(encoding="utf-8")
    assert original.count("{% endblock main %}") == 1
    page.write_text(
        original.replace("{% endblock main %}", f"{markup}\n{{% endblock main %}}"),
        encoding="utf-8",
    )
    try:
        yield
    finally:
        page.write_text(original, encoding="utf-8")
