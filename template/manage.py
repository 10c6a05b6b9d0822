#!/usr/bin/env python
"""Django's command-line utility; uses the development settings by default."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    from config.variables import exit_on_invalid_environment

    with exit_on_invalid_environment():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
