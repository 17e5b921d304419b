from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import EmailChoice, Kind


class PreferencesForm(forms.Form):
    """One radio group per configurable kind (field name = kind key)."""

    def __init__(self, *args, kinds: list[Kind], initial_choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=EmailChoice.choices,
                initial=initial_choices.get(kind.key, kind.default_email),
                widget=forms.RadioSelect,
                # A kind left out of the POST (added since the page was shown) keeps
                # its current choice.
                required=False,
            )

    def chosen(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value}


class AnnouncementForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=150, help_text=_("150 characters at most.")
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Sent to every person with an account, in the site and by e-mail as each "
            "chose, and kept on its own page. 5,000 characters at most."
        ),
    )
