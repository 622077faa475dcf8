"""Who is asking: the client's address as the log-in lockout counts it."""

import ipaddress

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the browser, also behind our reverse proxy.

    Only a proxy on this machine (a loopback peer) is believed, and only the last
    X-Forwarded-For entry, the one that proxy appended: a client can put anything
    in the entries before it.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not _is_loopback(peer):
        return peer
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return peer


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
