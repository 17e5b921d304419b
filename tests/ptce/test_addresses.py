"""The client's address for rate limits (ptce.addresses.client_address), and the places
that limit by address: a client-written X-Forwarded-For never escapes a limit."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from ptce.addresses import client_address


def request(remote="198.51.100.7", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    made = RequestFactory().get("/", **headers)
    made.user = AnonymousUser()
    return made


def test_no_trusted_proxy_reads_remote_addr_and_ignores_the_header(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request()) == "198.51.100.7"
    assert client_address(request(forwarded="203.0.113.9")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # One proxy: the address it appended, whatever the client wrote before it.
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "10.9.9.9, 203.0.113.9", "203.0.113.9"),
        (1, "10.9.9.9,10.8.8.8 , 203.0.113.9", "203.0.113.9"),
        # Two proxies: the second from the right.
        (2, "10.9.9.9, 203.0.113.9, 192.0.2.50", "203.0.113.9"),
        # Fewer entries than proxies: the leftmost one.
        (2, "203.0.113.9", "203.0.113.9"),
        # IPv6 is normalised.
        (1, "2001:DB8::1", "2001:db8::1"),
        # No header, or nonsense where the proxy's address should be: REMOTE_ADDR.
        (1, "", "198.51.100.7"),
        (1, "10.9.9.9, pas-une-adresse", "198.51.100.7"),
    ],
)
def test_trusted_proxies_read_the_header_from_the_right(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request(forwarded=forwarded)) == expected


def test_settings_read_it_from_the_environment_and_the_readme_lists_it():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    settings_source = (root / "platform" / "config" / "settings.py").read_text()
    assert 'env.int("TRUSTED_PROXY_COUNT", default=0)' in settings_source
    assert "| `TRUSTED_PROXY_COUNT` |" in (root / "README.md").read_text()


@pytest.mark.django_db
def test_allauth_rate_limits_read_the_same_address(settings):
    from allauth.account.adapter import get_adapter

    settings.TRUSTED_PROXY_COUNT = 0
    spoofed = request(forwarded="203.0.113.9")
    assert get_adapter(spoofed).get_client_ip(spoofed) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_adapter(spoofed).get_client_ip(spoofed) == "203.0.113.9"
