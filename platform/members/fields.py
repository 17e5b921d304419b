"""SIRET and RNA numbers, cleaned in one place whatever the door.

`SiretField` and `RnaField` are model fields that normalise what they are given (NFKC
turns full-width digits into ASCII ones; spaces and dots go, dashes too for a SIRET;
an RNA number is upper-cased) and validate it with `members.validators`:

- on the model: `full_clean()` (services, Wagtail admin), `save()` and
  `QuerySet.update()` store the normalised number, and lookups normalise their value
  (`filter(siret="732 829 320 00074")` finds 73282932000074);
- in forms: `formfield()` gives `SiretFormField` / `RnaFormField`, which accept what
  people type ("732 829 320 00074", longer than the 14 stored characters), normalise
  it, and run the same validators — the site's forms and the admin's alike.

Input that is nothing but separators ("---", " . ") is refused, never stored as
"no number". Digits other than ASCII ones (Arabic-Indic, Devanagari…) are refused by
the validators: no register issues them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import normalize_rna, normalize_siret, validate_rna, validate_siret

# What a person may type: "732 829 320 00074", " W 691 004 512 ".
INPUT_MAX_LENGTH = 30


def _separators_only(raw: object, cleaned: str) -> bool:
    return bool(str(raw or "").strip()) and not cleaned


class _IdentifierFormField(forms.CharField):
    normalise = staticmethod(str)
    empty_message = ""

    def __init__(self, *, max_length=INPUT_MAX_LENGTH, **kwargs) -> None:
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        raw = super().to_python(value)
        cleaned = self.normalise(raw)
        if _separators_only(raw, cleaned):
            raise ValidationError(self.empty_message, code="invalid")
        return cleaned


class SiretFormField(_IdentifierFormField):
    default_validators = [validate_siret]
    normalise = staticmethod(normalize_siret)
    empty_message = _("A SIRET number has exactly 14 digits.")


class RnaFormField(_IdentifierFormField):
    default_validators = [validate_rna]
    normalise = staticmethod(normalize_rna)
    empty_message = _(
        "An RNA number is the letter W followed by 9 digits (e.g. W751234567)."
    )


class _IdentifierField(models.CharField):
    normalise = staticmethod(str)
    form_class: type[forms.CharField] = forms.CharField
    stored_length = 0

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", self.stored_length)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == self.stored_length:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        else:
            kwargs["blank"] = False
        # The validators are the field's own (default_validators), not arguments.
        return name, path, args, kwargs

    def to_python(self, value):
        if value is None:
            return value
        cleaned = self.normalise(str(value))
        if _separators_only(value, cleaned):
            raise ValidationError(self.form_class.empty_message, code="invalid")
        return cleaned

    def get_prep_value(self, value):
        # Not CharField's, which calls to_python(): a lookup or an update never
        # raises, it compares or stores the normalised form ("---" finds "").
        value = models.Field.get_prep_value(self, value)
        return value if value is None else self.normalise(str(value))

    def pre_save(self, model_instance, add):
        # save() without full_clean() (factories, scripts) stores the clean form too.
        value = getattr(model_instance, self.attname)
        if value is not None:
            value = self.normalise(str(value))
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": self.form_class, "max_length": INPUT_MAX_LENGTH, **kwargs}
        )


class SiretField(_IdentifierField):
    """A SIRET number: 14 ASCII digits, Luhn-valid (La Poste's rule for its own)."""

    description = _("SIRET number")
    default_validators = [validate_siret]
    normalise = staticmethod(normalize_siret)
    form_class = SiretFormField
    stored_length = 14


class RnaField(_IdentifierField):
    """An RNA number (répertoire national des associations): W and 9 ASCII digits."""

    description = _("RNA number")
    default_validators = [validate_rna]
    normalise = staticmethod(normalize_rna)
    form_class = RnaFormField
    stored_length = 10
