"""The client's address as seen through the reverse proxy."""

import ipaddress

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address nginx saw, when the request came through a local proxy.

    nginx overwrites X-Real-IP with the address it accepted the connection
    from. The header is trusted only when the direct peer is on a loopback or
    private network, so a client that reaches gunicorn directly cannot spoof
    its address to dodge the login lockout.
    """
    peer = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = str(request.META.get("HTTP_X_REAL_IP", ""))
    try:
        behind_proxy = ipaddress.ip_address(peer).is_private
        ipaddress.ip_address(forwarded)
    except ValueError:
        return peer
    return forwarded if behind_proxy else peer
