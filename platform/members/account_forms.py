"""allauth forms with the platform's rules (apart from forms.py, which allauth's own
forms module imports for the signup form: importing allauth's forms there is a cycle).
"""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from allauth.account.utils import filter_users_by_email
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class AddEmailForm(allauth_forms.AddEmailForm):
    """allauth's "add an address" form, refusing an address of another account.

    allauth would keep it, unverified, on this account (it hides whether the address
    is known): an address belongs to one person only.
    """

    def clean_email(self) -> str:
        email = super().clean_email()
        if any(user.pk != self.user.pk for user in filter_users_by_email(email)):
            raise ValidationError(
                _("This address belongs to another account."), code="email_taken"
            )
        return email
