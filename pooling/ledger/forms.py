from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organisation
from resources.models import Resource

from .quota_services import MAX_HOURS


class QuotaForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Structure capped"), queryset=Organisation.objects.none()
    )
    resource = forms.ModelChoiceField(
        label=_("On the resource"),
        queryset=Resource.objects.none(),
        required=False,
        help_text=_("Or leave empty and choose a kind of resource."),
    )
    resource_kind = forms.ChoiceField(
        label=_("Or on every resource of the kind"),
        choices=[("", "—"), *Resource.Kind.choices],
        required=False,
    )
    owner = forms.ModelChoiceField(
        label=_("Resources of"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For a kind of resource: whose resources (empty: everyone's)."),
    )
    hours_per_month = forms.DecimalField(
        label=_("Hours per month"),
        min_value=Decimal(0),
        max_value=MAX_HOURS,
        max_digits=6,
        decimal_places=2,
    )

    def __init__(self, *args, organisations, resources, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["resource"].queryset = resources
        self.fields["owner"].queryset = owners

    def clean(self):
        data = super().clean()
        if bool(data.get("resource")) == bool(data.get("resource_kind")):
            raise forms.ValidationError(
                _("Choose either a resource or a kind of resource.")
            )
        return data
