"""Photos of a resource: every write, from the site and from the Wagtail admin.

A photo is a Wagtail image (in the « Ressources partagées » collection) linked to the
resource with its own text alternative, which is required. Only JPEG, PNG and WebP
are taken, checked on the file's content (not its name), up to MAX_BYTES. The
resource's managers (its owner's référents and resource managers) and coordinators
add, describe, reorder and remove photos; each change is in the audit trail.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from members.models import User
from ptce.services import audit_record

from . import permissions
from .models import Resource, ResourcePhoto

MAX_BYTES = 5 * 1024 * 1024
# Renditions decode the whole picture: a small file can hide a huge one.
MAX_PIXELS = 40_000_000
MAX_PHOTOS = 12
MAX_ALT = 200
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
COLLECTION = "Ressources partagées"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _clean_alt(alt: str) -> str:
    alt = (alt or "").replace("\x00", "").strip()
    if not alt:
        raise ValidationError(
            {"alt": _("Describe the photo for people who cannot see it.")}
        )
    if len(alt) > MAX_ALT:
        raise ValidationError({"alt": _("%(n)d characters at most.") % {"n": MAX_ALT}})
    return alt


def check_size(size: int | None) -> None:
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            {
                "image": _(
                    "This photo weighs %(size)s MB: %(max)s MB at most. Reduce it "
                    "and try again."
                )
                % {"size": _megabytes(size), "max": _megabytes(MAX_BYTES)}
            }
        )


def _format_of(upload) -> tuple[str | None, int]:
    """The image format read from the file's content (None: not an image) and its
    number of pixels, without decoding the picture."""
    from PIL import Image as Pillow

    try:
        upload.seek(0)
        with Pillow.open(upload) as picture:
            found, (width, height) = picture.format, picture.size
            picture.verify()
    except Exception:  # noqa: BLE001 — any unreadable file is "not an image"
        return None, 0
    finally:
        upload.seek(0)
    return found, width * height


def _check_format(found: tuple[str | None, int]) -> str:
    kind, pixels = found
    if kind not in FORMATS:
        raise ValidationError(
            {"image": _("Only JPEG, PNG or WebP photos are accepted.")}
        )
    if pixels > MAX_PIXELS:
        raise ValidationError(
            {
                "image": _("This photo is too large: %(n)d megapixels at most.")
                % {"n": MAX_PIXELS // 1_000_000}
            }
        )
    return kind


def _collection():
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION).first()
    return existing or root.add_child(name=COLLECTION)


def _check(resource: Resource, by: User) -> None:
    if not permissions.can_manage_resource(by, resource):
        raise PermissionDenied
    if ResourcePhoto.objects.filter(resource=resource).count() >= MAX_PHOTOS:
        raise ValidationError(
            _("A resource has %(n)d photos at most: remove one first.")
            % {"n": MAX_PHOTOS}
        )


def _next_order(resource: Resource) -> int:
    last = ResourcePhoto.objects.filter(resource=resource).aggregate(
        last=Max("sort_order")
    )["last"]
    return 0 if last is None else last + 1


def _record(by, verb: str, photo: ResourcePhoto, **data) -> None:
    audit_record(
        actor=by,
        action=f"resources.photo.{verb}",
        target=photo.resource,
        scope=photo.resource.owner,
        data={"photo": photo.pk, "alt": photo.alt, **data},
    )


@transaction.atomic
def photo_add(*, resource: Resource, by: User, upload, alt: str) -> ResourcePhoto:
    """Upload a photo from the site: a new Wagtail image, then the link."""
    from wagtail.images import get_image_model

    _check(resource, by)
    alt = _clean_alt(alt)
    check_size(upload.size)
    found = _check_format(_format_of(upload))
    base = (getattr(upload, "name", "") or "photo").rsplit(".", 1)[0][:80] or "photo"
    upload.name = f"{base}.{FORMATS[found]}"
    image = get_image_model()(
        title=alt[:255], file=upload, collection=_collection(), uploaded_by_user=by
    )
    image._set_image_file_metadata()  # size and hash, as Wagtail's upload form does
    image.save()
    photo = ResourcePhoto.objects.create(
        resource=resource, image=image, alt=alt, sort_order=_next_order(resource)
    )
    _record(by, "add", photo)
    return photo


@transaction.atomic
def photo_attach(*, resource: Resource, by: User, image, alt: str) -> ResourcePhoto:
    """Link an image of the Wagtail library (the admin's chooser), same rules."""
    _check(resource, by)
    alt = _clean_alt(alt)
    check_size(image.file_size or image.get_file_size())
    with image.open_file() as handle:
        _check_format(_format_of(handle))
    photo = ResourcePhoto.objects.create(
        resource=resource, image=image, alt=alt, sort_order=_next_order(resource)
    )
    _record(by, "add", photo)
    return photo


@transaction.atomic
def photo_describe(*, photo: ResourcePhoto, by: User, alt: str) -> ResourcePhoto:
    if not permissions.can_manage_resource(by, photo.resource):
        raise PermissionDenied
    before = photo.alt
    photo.alt = _clean_alt(alt)
    photo.save(update_fields=["alt"])
    _record(by, "describe", photo, before=before)
    return photo


@transaction.atomic
def photo_place(*, photo: ResourcePhoto, by: User, position: int) -> None:
    """Put the photo at `position` (1 = first); the others keep their order,
    renumbered 0, 1, 2…"""
    resource = photo.resource
    if not permissions.can_manage_resource(by, resource):
        raise PermissionDenied
    Resource.objects.select_for_update().filter(pk=resource.pk).exists()
    photos = list(
        ResourcePhoto.objects.filter(resource=resource).order_by("sort_order", "pk")
    )
    moving = next(p for p in photos if p.pk == photo.pk)
    photos.remove(moving)
    index = min(max(position, 1), len(photos) + 1) - 1
    photos.insert(index, moving)
    for order, item in enumerate(photos):
        if item.sort_order != order:
            item.sort_order = order
            item.save(update_fields=["sort_order"])
    photo.sort_order = index
    _record(by, "move", photo, position=index + 1)


def photo_move(*, photo: ResourcePhoto, by: User, up: bool) -> None:
    """One place earlier or later (the site's buttons)."""
    ids = list(
        ResourcePhoto.objects.filter(resource_id=photo.resource_id)
        .order_by("sort_order", "pk")
        .values_list("pk", flat=True)
    )
    target = ids.index(photo.pk) + (0 if up else 2)  # positions count from 1
    if 1 <= target <= len(ids):
        photo_place(photo=photo, by=by, position=target)


@transaction.atomic
def photo_remove(*, photo: ResourcePhoto, by: User) -> None:
    """Unlink the photo; its image goes too when it was uploaded for resources only
    (an image of the library chosen in the admin stays in the library)."""
    if not permissions.can_manage_resource(by, photo.resource):
        raise PermissionDenied
    _record(by, "remove", photo)
    image = photo.image
    photo.delete()
    if (
        image.collection.name == COLLECTION
        and not ResourcePhoto.objects.filter(image=image).exists()
    ):
        image.delete()
