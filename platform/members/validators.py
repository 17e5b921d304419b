"""French identifiers of member structures."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RNA_RE = re.compile(r"^W\d{9}$")


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize_siret(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def validate_siret(value: str) -> None:
    digits = normalize_siret(value)
    if not (digits.isdigit() and len(digits) == 14):
        raise ValidationError(
            _("A SIRET number has exactly 14 digits (%(value)s has %(count)s)."),
            code="siret_length",
            params={"value": value, "count": sum(c.isdigit() for c in digits)},
        )
    # La Poste's establishments are numbered outside the Luhn rule (SIREN 356000000).
    if digits.startswith("356000000"):
        if sum(int(c) for c in digits) % 5 != 0:
            raise ValidationError(_("This SIRET number is not valid."), code="siret")
        return
    if not luhn_is_valid(digits):
        raise ValidationError(
            _("This SIRET number is not valid: please check for a typing error."),
            code="siret_checksum",
        )


def validate_rna(value: str) -> None:
    if not RNA_RE.match((value or "").strip().upper()):
        raise ValidationError(
            _("An RNA number is the letter W followed by 9 digits (e.g. W751234567)."),
            code="rna",
        )
