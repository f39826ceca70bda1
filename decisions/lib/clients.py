"""Who is asking: the client's address, behind as many proxies as the settings trust."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# The longest an address can be written: IPv6 in brackets with a zone and a port fits.
MAX_ADDRESS_LENGTH = 64


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost one saw.

    Each proxy appends the address it was contacted from to X-Forwarded-For, so with N
    trusted proxies the client is the N-th entry from the right; anything left of it was sent
    by the client and proves nothing. A request that passed fewer proxies than configured
    did not come through them: its REMOTE_ADDR is the only address known to be true, as it
    is when the entry is longer than any address (it then keyed rate limits past their column).
    """
    remote = request.META.get("REMOTE_ADDR", "unknown")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    forwarded = [address.strip() for address in forwarded if address.strip()]
    if len(forwarded) < hops or len(forwarded[-hops]) > MAX_ADDRESS_LENGTH:
        return remote
    return forwarded[-hops]


def client_ip(request: HttpRequest) -> str | None:
    """The client address if it is an IP address, else None: for django-axes, which stores it
    in an IP address column."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address
