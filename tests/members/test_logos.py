"""Logos: bounded in pixels, resized, named by real type, replaced files deleted."""

from __future__ import annotations

import io
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def manage(client, organisation):
    from tests.factories import MembershipFactory

    referent = MembershipFactory(
        organisation=organisation, role=Membership.Role.REFERENT
    ).user
    client.force_login(referent)
    url = reverse("members:organisation_manage", args=[organisation.slug])
    return lambda upload: client.post(url, {"logo": upload})


def _png(size, name="logo.png", mode="RGB") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _stored(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_a_144_megapixel_png_is_refused(manage, organisation, media):
    # 1-bit pixels: 18 MB in memory to build, a few kB once compressed.
    response = manage(_png((12_000, 12_000), mode="1"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "25 mégapixels" in response.content.decode()
    organisation.refresh_from_db()
    assert not organisation.logo
    assert _stored(media) == []


def test_a_logo_is_resized_and_named_by_its_real_type(manage, organisation, media):
    response = manage(_png((2400, 1200), name="logo.jpg"))
    assert response.status_code == HTTPStatus.FOUND
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".png")
    with Image.open(organisation.logo.path) as stored:
        assert stored.format == "PNG" and stored.size == (600, 300)


def test_a_png_named_pdf_is_never_stored_as_pdf(manage, organisation, media):
    manage(_png((40, 40), name="rapport.pdf"))
    organisation.refresh_from_db()
    assert not any(p.suffix == ".pdf" for p in _stored(media))
    assert not organisation.logo or organisation.logo.name.endswith(".png")


def test_a_replaced_logo_leaves_the_disk(manage, organisation, media, on_commit):
    with on_commit():
        manage(_png((40, 40)))
    organisation.refresh_from_db()
    first = Path(organisation.logo.path)
    assert first.exists()
    with on_commit():
        manage(_png((50, 50)))
    organisation.refresh_from_db()
    assert not first.exists()
    assert _stored(media) == [Path(organisation.logo.path)]
