"""What error reports may show of the settings.

Django's debug page and its error emails list every setting, hiding the values
of names that look secret (PASSWORD, TOKEN, KEY and the like). A password
inside a URL, such as REDIS_URL or a cache's LOCATION, passes that test by
name. This filter also blanks the user information of every URL it shows.
"""

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

# scheme://user:password@host: everything between "://" and "@".
CREDENTIALS = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)[^/@\s]+@", re.I)


class ReportFilter(SafeExceptionReporterFilter):
    """Django's filter, which also hides the credentials inside URLs."""

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str):
            hidden = f"{self.cleansed_substitute}@"
            return CREDENTIALS.sub(lambda url: url["scheme"] + hidden, str(cleansed))
        return cleansed
