"""`check --deploy` warns about links that lead nowhere and webhooks that reach inward."""

from __future__ import annotations

from decisions.lib.checks import site_url_check, webhooks_private_check


def ids(warnings) -> list[str]:
    return [warning.id for warning in warnings]


def test_the_local_default_site_url_is_a_warning(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert ids(site_url_check(None)) == ["decisions.W001"]


def test_an_http_site_url_is_a_warning(settings):
    settings.SITE_URL = "http://decisions.example.com"
    assert ids(site_url_check(None)) == ["decisions.W002"]


def test_an_https_site_url_passes(settings):
    settings.SITE_URL = "https://decisions.example.com"
    assert site_url_check(None) == []


def test_private_webhooks_allowed_is_a_warning_and_off_passes(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert ids(webhooks_private_check(None)) == ["decisions.W003"]
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert webhooks_private_check(None) == []


def test_a_site_url_without_a_scheme_or_with_a_path_is_an_error(settings):
    from decisions.lib.checks import site_url_form_check

    for wrong in ("decisions.example.com", "https://decisions.example.com/app", ""):
        settings.SITE_URL = wrong
        assert ids(site_url_form_check(None)) == ["decisions.E001"], wrong
    for right in ("https://decisions.example.com", "http://127.0.0.1:8000"):
        settings.SITE_URL = right
        assert site_url_form_check(None) == [], right
