"""Requests to addresses a user typed (webhook targets), without server-side request forgery.

A team owner chooses the URL, so without care the server could be made to call its own
network: a cloud metadata service (169.254.169.254), a database's admin page, localhost. So:

- the host name is resolved here, and every address it resolves to is checked: private,
  loopback, link-local, multicast, reserved, unspecified and shared addresses are refused, IPv4
  hidden in IPv6 (::ffff:127.0.0.1, 6to4, Teredo, NAT64) checked as the IPv4 it carries;
- the connection goes to the address that was checked (the host name is sent as Host and as
  the TLS server name), so a second lookup cannot swap in another: no DNS rebinding;
- it is done again at every request (a name's addresses change), never once when saving;
- redirects are not followed, the wait is short and the answer is read up to a cap.

settings.WEBHOOKS_ALLOW_PRIVATE lifts the address rule (a receiver on a trusted private
network; the tests' local receiver); everything else still holds.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass

import urllib3
from urllib3.exceptions import HTTPError, LocationParseError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class RefusedAddress(Exception):
    """The target is, or resolves to, an address the server must not call."""


class OutboundError(Exception):
    """The request could not be made or answered: no such host, timeout, connection refused."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), else itself: each
    of those can lead to an IPv4 host, which is what must be judged."""
    if address.version != 6:
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refusal(address: IPAddress) -> str | None:
    """Why this address may not be called ("loopback", "private", ...), or None if public."""
    judged = embedded_ipv4(address)
    reasons = (
        ("unspecified", judged.is_unspecified),
        ("loopback", judged.is_loopback),
        ("link-local", judged.is_link_local),
        ("multicast", judged.is_multicast),
        ("private", judged.is_private),
        ("reserved", judged.is_reserved),
        # Shared (100.64.0.0/10), documentation, benchmarking...: none of them the internet.
        ("non-public", not judged.is_global),
    )
    return next((reason for reason, applies in reasons if applies), None)


def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name has now (a module function, so tests can stand in a resolver)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OutboundError(f"{host} could not be resolved ({error}).") from error
    # Zone ids ("fe80::1%eth0") are dropped: the address part is what is judged.
    return [ipaddress.ip_address(entry[4][0].split("%")[0]) for entry in found]


def checked_address(host: str, port: int, *, allow_private: bool) -> IPAddress:
    """The address to connect to, after every address of the name has passed the rule.

    One bad address refuses the name: a record that mixes a public address with an internal
    one is an attack, not a mistake to route around.
    """
    addresses = resolve(host, port)
    if not addresses:
        raise OutboundError(f"{host} has no address.")
    if not allow_private:
        for address in addresses:
            if reason := refusal(address):
                shown = host if host == str(address) else f"{host} ({address})"
                raise RefusedAddress(
                    f"{shown} is {article(reason)} {reason} address: webhooks only go to "
                    "public addresses."
                )
    return addresses[0]


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    max_bytes: int,
    allow_private: bool,
) -> Answer:
    """POST `body` to `url` at the address checked now; the answer's first `max_bytes`.

    Raises RefusedAddress before any connection for an address the rule refuses, and
    OutboundError when the request fails; any HTTP status is an Answer (3xx included:
    redirects are not followed).
    """
    try:
        parts = urllib3.util.parse_url(url)
    except LocationParseError as error:
        raise OutboundError(f"{url!r} is not a URL.") from error
    if parts.scheme not in ("http", "https") or not parts.host:
        raise OutboundError("Only http and https addresses with a host name can be called.")
    host = parts.host.strip("[]")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = checked_address(host, port, allow_private=allow_private)
    pool = _pool(parts.scheme, host, address, port, timeout)
    default_port = port == (443 if parts.scheme == "https" else 80)
    host_header = parts.host if default_port else f"{parts.host}:{port}"
    try:
        response = pool.urlopen(
            "POST",
            parts.request_uri,
            body=body,
            headers={**headers, "Host": host_header},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        return Answer(status=response.status, body=_read_capped(response, max_bytes, timeout))
    except (HTTPError, OSError) as error:
        raise OutboundError(f"{type(error).__name__}: {error}") from error
    finally:
        pool.close()


def _pool(scheme: str, host: str, address: IPAddress, port: int, timeout: float):
    """A pool that connects to `address` itself; for https the certificate is checked against
    the host name, which is also sent as SNI."""
    options = {
        "timeout": urllib3.Timeout(connect=timeout, read=timeout),
        "retries": False,
        "maxsize": 1,
    }
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            str(address),
            port,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            **options,
        )
    return urllib3.HTTPConnectionPool(str(address), port, **options)


def _read_capped(response, max_bytes: int, timeout: float) -> bytes:
    """At most max_bytes, within about `timeout` in all: a receiver that drips its answer a
    byte at a time cannot hold the worker."""
    deadline = time.monotonic() + timeout
    chunks, size = [], 0
    try:
        for chunk in response.stream(8192, decode_content=False):
            chunks.append(chunk)
            size += len(chunk)
            if size >= max_bytes or time.monotonic() > deadline:
                break
    finally:
        response.release_conn()
    return b"".join(chunks)[:max_bytes]
