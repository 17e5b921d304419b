from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation
from .services.applications import APPLICATION_FIELDS
from .services.profile import PROFILE_FIELDS
from .validators import normalize_phone

# Keep in step with DESCRIPTION_MAX_LENGTH.
DESCRIPTION_HELP = _("5,000 characters at most.")
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"JPEG", "PNG", "WEBP"}
ERASE_CONFIRMATION_WORD = "SUPPRIMER"


class SignupForm(forms.Form):
    """Extra fields of allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    # allauth applies this order to its own form, which subclasses this one.
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


class OrganisationApplicationForm(forms.ModelForm):
    # SIRET and RNA: the model's fields give their own form fields, which accept
    # "732 829 320 00074" and clean it as every other door does (members/fields.py).
    class Meta:
        model = Organisation
        fields = list(APPLICATION_FIELDS)
        help_texts = {"description": DESCRIPTION_HELP}

    def _get_validation_exclusions(self):
        # Organisation.clean() names the structure holding a SIRET and lets the
        # applicant resubmit their own application; the bare constraint would not.
        return {*super()._get_validation_exclusions(), "siret"}


class LogoInput(forms.ClearableFileInput):
    """Shows the current logo itself, not "Currently: organisations/logos/…"."""

    template_name = "members/widgets/logo_input.html"


class OrganisationProfileForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = list(PROFILE_FIELDS)
        widgets = {
            "logo": LogoInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        }
        help_texts = {
            "logo": _("PNG, JPEG or WebP image, 2 MB at most."),
            "summary": _("One or two sentences shown in the directory."),
            "description": DESCRIPTION_HELP,
            "postal_code": _("5 digits, e.g. 69100."),
            "public_phone": _("e.g. 04 78 00 00 00"),
        }

    def clean_public_phone(self) -> str:
        return normalize_phone(self.cleaned_data["public_phone"])

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        # Only a new upload carries .image (set by ImageField's validation).
        image = getattr(logo, "image", None)
        if image is None:
            return logo
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo must not exceed 2 MB."))
        if image.format not in LOGO_FORMATS:
            raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
        return logo


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person to invite"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the référents (optional)"),
        required=False,
        max_length=2000,
        help_text=_("2,000 characters at most."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class JoinRequestDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))]
    )


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    # A checkbox's label follows the box: no « : » after it.
    show_in_directory = forms.BooleanField(
        label=_("Public contact in the directory"), required=False, label_suffix=""
    )


class ApplicationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"),
        required=False,
        max_length=2000,
        help_text=_("2,000 characters at most."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == "decline"
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give the applicant a reason for declining."))
        return cleaned


class AccountDeleteForm(forms.Form):
    """Erasure cannot be undone: re-authenticate whoever holds the session.

    The word SUPPRIMER is accepted only from accounts that have no password.
    """

    confirmation = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("This cannot be undone."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            field = self.fields["confirmation"]
            field.label = _("The word SUPPRIMER")
            field.widget = forms.TextInput(attrs={"autocomplete": "off"})

    def clean_confirmation(self) -> str:
        value = self.cleaned_data["confirmation"]
        if self.user.has_usable_password():
            if self.user.check_password(value):
                return value
            raise ValidationError(
                _("This password is not right: your account was not deleted.")
            )
        if value.strip() == ERASE_CONFIRMATION_WORD:
            return value
        raise ValidationError(_("Type the word SUPPRIMER to confirm."))


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Organisation.Category.choices],
    )
    legal_form = forms.ChoiceField(
        label=_("ESS legal form"),
        required=False,
        choices=[("", _("All legal forms")), *Organisation.LegalForm.choices],
    )
    city = forms.ChoiceField(label=_("City"), required=False)

    def __init__(self, *args, cities: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("All cities"))] + [
            (city, city) for city in cities
        ]


class AccountForm(forms.Form):
    """A person's own details, and whether each structure shows them as a contact."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Shown only where you are a public contact of a structure."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args, memberships: list[Membership], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        for membership in memberships:
            self.fields[self.visibility_field(membership)] = forms.BooleanField(
                label=_("Show me as a contact of %(name)s in the directory")
                % {"name": membership.organisation.name},
                required=False,
                label_suffix="",  # after the box: no « : »
                initial=membership.show_in_directory,
            )

    @staticmethod
    def visibility_field(membership: Membership) -> str:
        return f"visible_{membership.pk}"

    def clean_phone(self) -> str:
        # Stored in E.164 like every phone of the platform (members.validators).
        return normalize_phone(self.cleaned_data["phone"])

    def details(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in ("first_name", "last_name", "job_title", "phone")
        }

    def visibility(self) -> dict[int, bool]:
        return {
            m.pk: self.cleaned_data[self.visibility_field(m)] for m in self.memberships
        }

    def visibility_fields(self):
        return [self[self.visibility_field(m)] for m in self.memberships]

    def detail_fields(self):
        return [
            self[name] for name in ("first_name", "last_name", "job_title", "phone")
        ]
