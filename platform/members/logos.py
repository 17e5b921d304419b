"""Structure logos: bounded, resized to what pages need, named by their real type.

Applied by the model (Organisation.clean and save), so the site's form and the Wagtail
admin's behave the same.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# 25 megapixels: a 5,000 × 5,000 image, more than any logo; decoding one takes
# about 100 MB of memory, a 144-megapixel one over 500 MB.
LOGO_MAX_PIXELS = 25_000_000
# The largest a page shows a logo (profile page, 2× for sharp screens).
LOGO_MAX_SIDE = 600
LOGO_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def is_new_upload(file) -> bool:
    return bool(file) and not getattr(file, "_committed", True)


def _open(file) -> Image.Image:
    file.seek(0)
    with warnings.catch_warnings():
        # Reading the header only: the pixel count is checked before decoding.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(file)
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError):
            raise ValidationError(
                _("The logo must be a PNG, JPEG or WebP image."), code="logo_format"
            ) from None


def validate_logo(file) -> None:
    """Model validator: a PNG, JPEG or WebP image of at most 25 megapixels."""
    if not is_new_upload(file):
        return
    image = _open(file)
    if image.format not in LOGO_EXTENSIONS:
        raise ValidationError(
            _("The logo must be a PNG, JPEG or WebP image."), code="logo_format"
        )
    width, height = image.size
    if width * height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels: a logo has 25 "
                "megapixels at most (e.g. 5,000 × 5,000)."
            ),
            code="logo_pixels",
            params={"width": width, "height": height},
        )


def logo_normalised(file) -> ContentFile:
    """The upload re-encoded at most LOGO_MAX_SIDE wide and high, named by its type.

    The name comes from the image's real format, never from the uploaded name: a PNG
    called logo.pdf is stored as a .png.
    """
    image = _open(file)
    kind = image.format
    image = ImageOps.exif_transpose(image)
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, format=kind)
    return ContentFile(
        output.getvalue(), name=f"{uuid.uuid4().hex}.{LOGO_EXTENSIONS[kind]}"
    )
