"""The address rule of outgoing requests, on both sides of each range's edges."""

from __future__ import annotations

import ipaddress

import pytest

from decisions.lib.outbound import OutboundError, post, refusal


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.1", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("fd00::1", "private"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "private"),
        ("2002:7f00:1::1", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 around 169.254.169.254
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo around 127.0.0.1
        # The edges of 172.16.0.0/12 and 100.64.0.0/10 (shared address space), inside.
        ("172.16.0.0", "private"),
        ("172.31.255.255", "private"),
        ("100.64.0.0", "non-public"),
        ("100.127.255.255", "non-public"),
    ],
)
def test_internal_addresses_are_refused(address, reason):
    assert refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "::ffff:8.8.8.8",
        "2606:4700:4700::1111",
        # Just outside the edges above.
        "172.15.255.255",
        "172.32.0.0",
        "100.63.255.255",
        "100.128.0.0",
    ],
)
def test_public_addresses_pass(address):
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "http:///nohost"])
def test_only_http_and_https_with_a_host_are_called(url):
    with pytest.raises(OutboundError, match="Only http and https addresses with a host name"):
        post(url, b"{}", {}, timeout=1, max_bytes=10, allow_private=True)
