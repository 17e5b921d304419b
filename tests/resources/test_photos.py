"""Photos of a resource: uploaded from the site by its managers and from the Wagtail
admin, with the same rules (text alternative, JPEG/PNG/WebP, size cap), reordered and
removed; shown on the resource page and the catalogue cards."""

from __future__ import annotations

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as Pillow
from wagtail.images import get_image_model

from members.models import Membership
from ptce.models import AuditEvent
from resources import photos
from resources.models import ResourcePhoto
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.factories import ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def owner(db):
    return OrganisationFactory(name="Maison des associations")


@pytest.fixture
def room(owner):
    return ResourceFactory(owner=owner, name="Salle Rosa-Parks")


@pytest.fixture
def referent(owner):
    return MembershipFactory(organisation=owner, role=Membership.Role.REFERENT).user


def picture(fmt="PNG", name="salle.png", size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Pillow.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def _upload(client, room, upload, alt="Salle claire, douze chaises"):
    return client.post(
        reverse("resources:photos", args=[room.pk]), {"image": upload, "alt": alt}
    )


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "a.png"), ("JPEG", "b.jpg"),
                                           ("WEBP", "c.webp")])  # fmt: skip
def test_referent_uploads_a_photo_shown_on_the_page_and_the_card(
    client, room, referent, fmt, name
):
    client.force_login(referent)
    page = client.get(reverse("resources:photos", args=[room.pk]))
    assert page.status_code == HTTPStatus.OK
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = _upload(client, room, picture(fmt, name))

    assert response.status_code == HTTPStatus.FOUND
    photo = ResourcePhoto.objects.get()
    assert photo.alt == "Salle claire, douze chaises"
    assert photo.image.collection.name == photos.COLLECTION
    assert AuditEvent.objects.filter(action="resources.photo.add").count() == 1
    alt = 'alt="Salle claire, douze chaises"'
    assert alt in client.get(room.get_absolute_url()).content.decode()
    assert alt in client.get(reverse("pooling:catalogue")).content.decode()


@pytest.mark.parametrize(
    ("upload", "alt", "message"),
    [
        (lambda: picture(), "", "Décrivez la photo"),
        (lambda: picture("GIF", "anim.gif"), "Salle", "JPEG, PNG ou WebP"),
        (
            lambda: SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture"),
            "Salle",
            "JPEG, PNG ou WebP",
        ),
    ],
)
def test_bad_photos_are_refused_in_french_and_nothing_is_written(
    client, room, referent, media, upload, alt, message
):
    client.force_login(referent)
    response = _upload(client, room, upload(), alt=alt)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert not ResourcePhoto.objects.exists()
    assert not get_image_model().objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_the_size_cap_says_how_heavy_the_photo_is(client, room, referent, monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 10)
    client.force_login(referent)
    response = _upload(client, room, picture(size=(400, 300)))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "Mo au plus" in html and "pèse" in html
    assert not ResourcePhoto.objects.exists()


def test_photos_are_reordered_and_removed(client, room, referent, media):
    client.force_login(referent)
    for alt in ("Première", "Deuxième", "Troisième"):
        _upload(client, room, picture(), alt=alt)
    first, second, third = ResourcePhoto.objects.order_by("sort_order", "pk")
    client.post(
        reverse("resources:photo_move", args=[room.pk, third.pk]),
        {"direction": "up"},
    )
    client.post(
        reverse("resources:photo_move", args=[room.pk, first.pk]),
        {"direction": "down"},
    )
    order = list(room.photos.order_by("sort_order", "pk").values_list("alt", flat=True))
    assert order == ["Troisième", "Première", "Deuxième"]
    page = client.get(room.get_absolute_url()).content.decode()
    assert page.index("Troisième") < page.index("Première") < page.index("Deuxième")

    image_pk = second.image_id
    client.post(reverse("resources:photo_remove", args=[room.pk, second.pk]))
    assert not ResourcePhoto.objects.filter(pk=second.pk).exists()
    assert not get_image_model().objects.filter(pk=image_pk).exists()
    assert AuditEvent.objects.filter(action="resources.photo.remove").count() == 1
    assert AuditEvent.objects.filter(action="resources.photo.move").count() == 2


def test_only_the_resource_managers_handle_its_photos(client, room, owner, referent):
    client.force_login(referent)
    _upload(client, room, picture())
    photo = ResourcePhoto.objects.get()
    member = MembershipFactory(organisation=owner).user
    client.force_login(member)
    assert client.get(reverse("resources:photos", args=[room.pk])).status_code == 403
    assert _upload(client, room, picture()).status_code == HTTPStatus.FORBIDDEN
    response = client.post(reverse("resources:photo_remove", args=[room.pk, photo.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    # A photo id of another resource: 404, even for a manager.
    other = ResourceFactory(owner=owner)
    client.force_login(referent)
    response = client.post(reverse("resources:photo_remove", args=[other.pk, photo.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert ResourcePhoto.objects.count() == 1


def test_catalogue_cards_cost_no_query_per_photo(client, owner, referent):
    def add(count):
        for index in range(count):
            resource = ResourceFactory(owner=owner, name=f"Salle {index:02d}")
            photos.photo_add(
                resource=resource, by=referent, upload=picture(), alt=f"Photo {index}"
            )

    client.force_login(referent)  # signed in: no page cache in the way
    add(1)
    url = reverse("pooling:catalogue")
    client.get(url)  # renditions are made on the first visit
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == HTTPStatus.OK
    add(5)
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert html.count('class="card__photo"') == 6
    assert len(large.captured_queries) == len(small.captured_queries)


# --- The Wagtail admin ---------------------------------------------------------------
@pytest.fixture
def coordinator(db):
    from django.contrib.auth.models import Group

    from members.permissions import COORDINATORS_GROUP
    from tests.factories import UserFactory

    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    return user


def _library_image(fmt="PNG", name="lib.png"):
    image = get_image_model()(title="Bibliothèque", file=picture(fmt, name))
    image.save()
    return image


def test_admin_adds_places_describes_and_removes_photos_through_the_service(
    client, coordinator, room
):
    client.force_login(coordinator)
    assert client.get(reverse("resource_photos:index")).status_code == HTTPStatus.OK
    images = [_library_image() for _ in range(2)]
    add = reverse("resource_photos:add")
    for index, image in enumerate(images):
        response = client.post(
            add, {"resource": room.pk, "image": image.pk, "alt": f"Vue {index}"}
        )
        assert response.status_code == HTTPStatus.FOUND
    second = ResourcePhoto.objects.get(alt="Vue 1")
    response = client.post(
        reverse("resource_photos:edit", args=[second.pk]),
        {"alt": "Vue de la cour", "position": 1},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert list(room.photos.order_by("sort_order").values_list("alt", flat=True)) == [
        "Vue de la cour",
        "Vue 0",
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"resources.photo.add", "resources.photo.describe"} <= actions
    response = client.post(reverse("resource_photos:delete", args=[second.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert room.photos.count() == 1
    # A library image stays in the library.
    assert get_image_model().objects.filter(pk=images[1].pk).exists()


@pytest.mark.parametrize(
    ("fmt", "name", "alt", "message"),
    [("GIF", "a.gif", "Salle", "JPEG, PNG ou WebP"), ("PNG", "a.png", "", "")],
)
def test_admin_refuses_what_the_site_refuses(
    client, coordinator, room, fmt, name, alt, message
):
    client.force_login(coordinator)
    image = _library_image(fmt, name)
    response = client.post(
        reverse("resource_photos:add"),
        {"resource": room.pk, "image": image.pk, "alt": alt},
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not ResourcePhoto.objects.exists()
