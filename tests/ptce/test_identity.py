from __future__ import annotations

import pytest

from ptce.identity import absolute_url, get_identity
from ptce.models import SiteIdentity

pytestmark = pytest.mark.django_db


def test_identity_is_read_once_then_from_the_cache(django_assert_num_queries):
    get_identity()
    with django_assert_num_queries(0):
        assert get_identity().name == "PTCE"


def test_saving_the_identity_drops_the_cached_copy(django_capture_on_commit_callbacks):
    assert get_identity().name == "PTCE"
    identity = SiteIdentity.load()
    identity.name = "PTCE des Rives"
    with django_capture_on_commit_callbacks(execute=True):
        identity.save()
    assert get_identity().name == "PTCE des Rives"


def test_absolute_url_keeps_empty_and_absolute_links(settings):
    settings.SITE_URL = "https://ptce.example"
    assert absolute_url("/membres/") == "https://ptce.example/membres/"
    assert absolute_url("") == ""
    assert absolute_url("https://ailleurs.example/") == "https://ailleurs.example/"
