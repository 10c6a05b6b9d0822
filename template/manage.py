#!/usr/bin/env python
"""Django's command-line utility; uses the development settings by default."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    from config.variables import InvalidEnvironment

    try:
        execute_from_command_line(sys.argv)
    except InvalidEnvironment as exc:
        sys.exit(f"Configuration error: {exc}")


if __name__ == "__main__":
    main()
