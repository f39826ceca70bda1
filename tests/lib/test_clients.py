"""The client's address behind proxies: an entry longer than any address is not believed."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from decisions.accounts.models import RequestCount
from decisions.lib.clients import client_address


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("a" * 64, "a" * 64),  # as long as an address with brackets, zone and port can be
        ("a" * 65, "10.0.0.2"),
        ("[2001:db8::1]:443", "[2001:db8::1]:443"),
    ],
)
def test_a_forwarded_address_longer_than_any_address_is_not_believed(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_300_character_forwarded_for_counts_against_the_proxy_not_a_new_bucket(
    settings, client, db
):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(
        "/accounts/signup/",
        {"username": ""},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="x" * 300,
    )
    assert response.status_code == 422  # the empty form, refused: not a server error
    # The bucket column holds 200 characters: PostgreSQL refused the longer key with a 500.
    assert list(RequestCount.objects.values_list("bucket", flat=True)) == ["signup:10.0.0.2"]
