"""The browser tests' harness: Chromium through Playwright against a live
server, a screenshot of every page, axe-core on it, and no page may log an
error or break its Content Security Policy.

`nox -s e2e` runs them and picks the browser (E2E_BROWSER, an installed
Chromium, or Playwright's own); `nox -s tests` leaves this folder out.
"""

import gc
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, Response

# Playwright's synchronous API runs an event loop in this thread, where Django
# would refuse the ORM calls the tests make to set up their data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Chromium's flags for a container or CI runner: no sandbox (root), no GPU,
# and nothing that reaches out to the network on its own.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Reported by the page itself, before any of its own scripts run.
LISTEN_FOR_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def pytest_configure(config: pytest.Config) -> None:
    # pytest-base-url, which pytest-playwright uses, defines a session fixture
    # in a way pytest 9 warns about; the warning is about that plugin, not us.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods"
        ":pytest.PytestRemovedIn10Warning",
    )
    # The live server's threads leave SQLite connections in reference cycles,
    # and the garbage collector reports each one, at any moment of any test.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:unclosed database in <sqlite3.Connection:ResourceWarning",
    )


def pytest_sessionfinish() -> None:
    """The same connections, collected once the server has stopped: after
    this hook pytest no longer applies the filter above."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
) -> dict[str, Any]:
    """Launch the browser that `nox -s e2e` found, with FLAGS."""
    arguments = {**browser_type_launch_args, "args": FLAGS}
    executable = os.environ.get("E2E_BROWSER", "playwright")
    if executable != "playwright":
        arguments["executable_path"] = executable
    return arguments


@dataclass
class Visit:
    """A person's tab: every page it opens is photographed and checked."""

    page: Page
    base: str
    name: str
    problems: list[str] = field(default_factory=list)
    shots: int = 0

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, (path, response)

    def check(self, label: str) -> dict[str, Any]:
        """Photograph the page, run axe-core on it, and return axe's result;
        fail on any WCAG A or AA violation, CSP violation or logged error."""
        self.page.wait_for_load_state("load")
        self.shots += 1
        folder = SCREENSHOTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=folder / f"{self.shots:02d}-{label}.png", full_page=True
        )
        result: dict[str, Any] = (
            Axe()
            .run(self.page, options={"runOnly": {"type": "tag", "values": WCAG}})
            .response
        )
        violations = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + ", ".join(str(node["target"]) for node in violation["nodes"])
            for violation in result["violations"]
        ]
        problems, self.problems = self.problems, []
        assert not problems, f"on {self.page.url}:\n" + "\n".join(problems)
        assert not violations, f"axe on {self.page.url}:\n" + "\n".join(violations)
        return result


@pytest.fixture
def visit(
    page: Page, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Visit]:
    name = re.sub(r"\W+", "-", request.node.name).strip("-")
    tab = Visit(page, live_server.url, name)
    page.expose_function(
        "reportViolation", lambda what: tab.problems.append(f"CSP refused {what}")
    )
    page.add_init_script(LISTEN_FOR_VIOLATIONS)

    def logged(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.problems.append(f"console: {message.text}")

    def answered(response: Response) -> None:
        if response.status >= 400:
            tab.problems.append(f"{response.status} for {response.url}")

    page.on("console", logged)
    page.on("response", answered)
    page.on("pageerror", lambda error: tab.problems.append(f"error: {error}"))
    yield tab
    assert not tab.problems, "\n".join(tab.problems)
