"""Start gunicorn, after the environment it and the settings read is checked.

Gunicorn reads WEB_CONCURRENCY itself, as a whole number, when it is imported
and before gunicorn.conf.py runs, so an empty value (as .env.example ships it)
or a word would stop it with a traceback that echoes the value, and a container
would restart forever. `python -m config.serve` takes gunicorn's own arguments
and first validates every variable, exiting with one error that names them all.
"""

import importlib
import os
import sys

from config.env import web_concurrency
from config.variables import InvalidEnvironment, exit_on_invalid_environment


def check_environment() -> None:
    """Raise one :class:`InvalidEnvironment` for every bad variable."""
    if not os.environ.get("WEB_CONCURRENCY", "").strip():
        os.environ.pop("WEB_CONCURRENCY", None)  # unset, as gunicorn expects
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    problems: dict[str, list[str]] = {}
    for check in (
        lambda: importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"]),
        web_concurrency,
    ):
        try:
            check()
        except InvalidEnvironment as exc:
            problems.update(exc.problems)
    if problems:
        raise InvalidEnvironment(problems)


def main(argv: list[str]) -> None:
    with exit_on_invalid_environment():
        check_environment()
    from gunicorn.app.wsgiapp import run

    sys.argv = ["gunicorn", *argv]
    run()


if __name__ == "__main__":
    main(sys.argv[1:])
