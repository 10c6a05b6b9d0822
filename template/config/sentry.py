"""Error reporting to Sentry: on only when SENTRY_DSN is set.

https://docs.sentry.io/platforms/python/integrations/django/
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import ignore_logger

from config.env import Environment


def init_sentry(env: Environment) -> bool:
    """Start the Sentry SDK if a DSN is configured; return whether it started."""
    if not env.sentry_dsn:
        return False
    # Requests for unknown host names come from scanners, not from bugs.
    ignore_logger("django.security.DisallowedHost")
    sentry_sdk.init(
        dsn=env.sentry_dsn,
        environment=env.sentry_environment,
        release=env.sentry_release or None,
        traces_sample_rate=env.sentry_traces_sample_rate,
        integrations=[DjangoIntegration()],
        # Never send cookies, headers with credentials, user emails or IPs.
        send_default_pii=False,
    )
    return True
