"""The client's address as seen through the reverse proxy."""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """DJANGO_TRUSTED_PROXIES as networks (config/env.py has checked them)."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def client_ip(request: HttpRequest) -> str:
    """The address nginx saw, when the request came through a trusted proxy.

    nginx overwrites X-Real-IP with the address it accepted the connection
    from. The header is believed only when the direct peer is one of
    DJANGO_TRUSTED_PROXIES (loopback unless set): behind anything else, a
    container bridge, a load balancer or nothing at all, a client could name any
    address it likes and dodge the login lockout and the API throttles.
    """
    peer = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = str(request.META.get("HTTP_X_REAL_IP", ""))
    try:
        address = ipaddress.ip_address(peer)
        ipaddress.ip_address(forwarded)
    except ValueError:
        return peer
    trusted = networks(tuple(settings.TRUSTED_PROXIES))
    return forwarded if any(address in network for network in trusted) else peer
