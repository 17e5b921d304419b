r"""French identifiers of member structures, postal codes and phone numbers.

Identifiers are normalised (NFKC turns full-width digits into ASCII ones, spaces, dots
and dashes go) and must then be ASCII digits: `\d` and str.isdigit() also accept
Arabic-Indic or Devanagari digits, which no register issues.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RNA_RE = re.compile(r"^W[0-9]{9}$")
SIRET_RE = re.compile(r"^[0-9]{14}$")
POSTAL_CODE_RE = re.compile(r"^(?:0[1-9]|[1-8][0-9]|9[0-8])[0-9]{3}$")
PHONE_REGION = "FR"


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
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", value or ""))


def normalize_rna(value: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", value or "")).upper()


def validate_siret(value: str) -> None:
    digits = normalize_siret(value)
    if not SIRET_RE.match(digits):
        raise ValidationError(
            _("A SIRET number has exactly 14 digits (%(value)s has %(count)s)."),
            code="siret_length",
            params={"value": value, "count": sum(c in "0123456789" for c in digits)},
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
    if not RNA_RE.match(normalize_rna(value)):
        raise ValidationError(
            _("An RNA number is the letter W followed by 9 digits (e.g. W751234567)."),
            code="rna",
        )


def validate_postal_code(value: str) -> None:
    """A French postal code: 5 digits, from 01000 to 98xxx (overseas included)."""
    if not POSTAL_CODE_RE.match(value or ""):
        raise ValidationError(
            _("A French postal code has 5 digits (e.g. 69100)."), code="postal_code"
        )


def normalize_phone(value: str) -> str:
    """A phone number in E.164 (+33123456789), French numbers without the +33 too.

    Raises ValidationError for anything that is not a possible, valid number.
    """
    value = unicodedata.normalize("NFKC", value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, e.g. 04 78 00 00 00 or +33 4 78 00 00 00."),
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalize_phone(value)


def format_phone(value: str) -> str:
    """How a stored number reads: 04 78 00 00 00 in France, +44 20 … abroad."""
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == phonenumbers.country_code_for_region(PHONE_REGION):
        return phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.NATIONAL
        )
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
