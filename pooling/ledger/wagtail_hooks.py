"""Quotas, ledger lines and month closing in the Wagtail admin.

The admin is one more door to pooling.ledger's services: quotas are set, changed and
removed through quota_services (same validation and permission as the site's quota
page), ledger lines are read-only (nobody edits or deletes a line, of a closed month
or any other), and a month is closed through services.month_close after a
confirmation step.
"""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from members.models import Organisation
from ptce.exports import SpreadsheetExportViewMixin
from resources.models import Resource

from . import periods, permissions, quota_services, selectors, services
from .models import ClosedMonth, LedgerLine, Quota


def _label(model, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


def _refused(view, form, message_or_error):
    """The service refused a valid form: show why, as Wagtail shows form errors."""
    if isinstance(message_or_error, ValidationError):
        for message in message_or_error.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, message_or_error)
    view.produced_error_message = view.get_error_message()
    return view.form_invalid(form)


# --- Quotas ---------------------------------------------------------------------------
class QuotaAdminForm(WagtailAdminModelForm):
    """The site's quota rules: a resource or a kind, hours within a month."""

    class Meta:
        model = Quota
        fields = [
            "organisation",
            "resource",
            "resource_kind",
            "owner",
            "hours_per_month",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            status=Organisation.Status.MEMBER
        )
        self.fields["resource"].queryset = Resource.objects.exclude(
            status=Resource.Status.WITHDRAWN
        ).select_related("owner")

    def clean(self):
        data = super().clean()
        if bool(data.get("resource")) == bool(data.get("resource_kind")):
            raise forms.ValidationError(
                _("Choose either a resource or a kind of resource.")
            )
        return data

    def _get_validation_exclusions(self):
        # The target's constraints (a resource or a kind, one cap per target) are
        # the service's: quota_set replaces the cap on the same target, as on the
        # site, instead of refusing it. The database constraints stay the last guard.
        return super()._get_validation_exclusions() | {"resource", "resource_kind"}


class QuotaHoursForm(WagtailAdminModelForm):
    """Editing a quota changes its hours; its target stays (remove it instead)."""

    class Meta:
        model = Quota
        fields = ["hours_per_month"]


class QuotaCreateView(CreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.object = quota_services.quota_set(
                by=self.request.user,
                organisation=data["organisation"],
                hours_per_month=data["hours_per_month"],
                resource=data.get("resource"),
                resource_kind=data.get("resource_kind") or "",
                owner=data.get("owner"),
            )
        except ValidationError as error:
            return _refused(self, form, error)
        except PermissionDenied:
            return _refused(
                self, form, _("You may only cap the use of your structure's resources.")
            )
        return self.save_action()


class QuotaEditView(EditView):
    def form_valid(self, form):
        quota = Quota.objects.select_related("resource").get(pk=self.object.pk)
        try:
            self.object = quota_services.quota_set(
                by=self.request.user,
                organisation=quota.organisation,
                hours_per_month=form.cleaned_data["hours_per_month"],
                resource=quota.resource,
                resource_kind=quota.resource_kind,
                owner=quota.owner,
            )
        except ValidationError as error:
            return _refused(self, form, error)
        except PermissionDenied:
            return _refused(
                self, form, _("You may only cap the use of your structure's resources.")
            )
        return self.save_action()


class QuotaDeleteView(DeleteView):
    def delete_action(self):
        quota_services.quota_delete(by=self.request.user, quota=self.object)


class QuotaIndexView(SpreadsheetExportViewMixin, IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("organisation", "resource", "owner")
        )


class QuotaViewSet(ModelViewSet):
    name = "pooling_quotas"
    url_prefix = "mutualisation/quotas"
    model = Quota
    icon = "time"
    menu_label = gettext_lazy("Quotas")
    menu_order = 162
    add_to_admin_menu = True
    index_view_class = QuotaIndexView
    add_view_class = QuotaCreateView
    edit_view_class = QuotaEditView
    delete_view_class = QuotaDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "organisation",
        "resource",
        "resource_kind",
        "owner",
        "hours_per_month",
    ]
    list_filter = ["organisation", "resource_kind", "owner"]
    search_fields = ["organisation__name", "resource__name"]
    search_backend_name = None
    ordering = ["organisation__name", "pk"]
    list_export = [
        "organisation",
        "resource",
        "get_resource_kind_display",
        "owner",
        "hours_per_month",
        "created_at",
    ]
    export_filename = "quotas"

    def get_form_class(self, for_update=False):
        return QuotaHoursForm if for_update else QuotaAdminForm

    @property
    def export_headings(self):
        return {"get_resource_kind_display": _label(Quota, "resource_kind")}


# --- Ledger lines (read-only) --------------------------------------------------------
class ReadOnlyPolicy(ModelPermissionPolicy):
    """Lines are written by the ledger services only: never added, changed or deleted
    from the admin, whatever permissions a group holds."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(LedgerLine, ReadOnlyPolicy(LedgerLine))
register_permission_policy(ClosedMonth, ReadOnlyPolicy(ClosedMonth))


def _month_choices():
    current = periods.current_month()
    months = [current]
    for _i in range(35):
        months.append(periods.previous_month(months[-1]))
    return [(f"{m:%Y-%m}", periods.label(m)) for m in months]


class LedgerLineFilterSet(WagtailFilterSet):
    month = django_filters.ChoiceFilter(
        label=gettext_lazy("Month"),
        choices=_month_choices,
        method="filter_month",
    )
    structure = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Structure (user or provider)"),
        queryset=Organisation.objects.order_by("name"),
        method="filter_structure",
    )

    class Meta:
        model = LedgerLine
        fields = ["kind", "resource_kind"]

    def filter_month(self, queryset, name, value):
        period = periods.parse(value or "")
        return queryset.filter(period=period) if period else queryset

    def filter_structure(self, queryset, name, value):
        return queryset.filter(Q(user=value) | Q(provider=value))


class LedgerLineIndexView(SpreadsheetExportViewMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "provider", "booking")

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if permissions.can_close_month(self.request.user):
            buttons.append(
                HeaderButton(
                    gettext_lazy("Close a month"),
                    url=reverse("pooling_admin_month_close"),
                    icon_name="lock",
                )
            )
        return buttons


class LedgerLineViewSet(ModelViewSet):
    name = "pooling_ledger_lines"
    url_prefix = "mutualisation/ecritures"
    model = LedgerLine
    icon = "table"
    menu_label = gettext_lazy("Ledger lines")
    menu_order = 163
    add_to_admin_menu = True
    index_view_class = LedgerLineIndexView
    filterset_class = LedgerLineFilterSet
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    list_display = [
        "period",
        "kind",
        "user",
        "provider",
        "label",
        "start",
        "amount_excl_vat",
        "vat_amount",
    ]
    search_fields = ["label", "user__name", "provider__name"]
    search_backend_name = None
    ordering = ["-period", "start", "pk"]
    list_export = [
        "period",
        "service_month",
        "get_kind_display",
        "user",
        "provider",
        "label",
        "get_resource_kind_display",
        "start",
        "end",
        "quantity",
        "units",
        "unit_price",
        "amount_excl_vat",
        "get_vat_regime_display",
        "vat_rate",
        "vat_amount",
        "booking_id",
        "revision",
    ]
    export_filename = "ecritures-mutualisation"

    @property
    def export_headings(self):
        return {
            "get_kind_display": _label(LedgerLine, "kind"),
            "get_resource_kind_display": _label(LedgerLine, "resource_kind"),
            "get_vat_regime_display": _label(LedgerLine, "vat_regime"),
            "booking_id": _label(LedgerLine, "booking"),
        }


# --- Closing a month -----------------------------------------------------------------
class MonthChoiceForm(forms.Form):
    month = forms.ChoiceField(label=gettext_lazy("Month to close"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            (f"{m:%Y-%m}", periods.label(m).capitalize()) for m in months
        ]

    def period(self) -> date | None:
        return periods.parse(self.cleaned_data["month"])


def _closable_months() -> list[date]:
    """Ended months not closed yet, the oldest first (they close in order)."""
    closed = {c.period for c in ClosedMonth.objects.all()}
    month = periods.previous_month(periods.current_month())
    months = []
    for _i in range(24):
        if month not in closed:
            months.append(month)
        month = periods.previous_month(month)
    return sorted(months)


class MonthCloseView(WagtailAdminTemplateMixin, TemplateView):
    """Choose a month, see its totals, confirm: ledger.services.month_close."""

    template_name = "pooling/ledger/admin/month_close.html"
    page_title = gettext_lazy("Close a month")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_close_month(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("pooling_ledger_lines:index"),
                "label": capfirst(LedgerLine._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or MonthChoiceForm(months=_closable_months())
        return super().get_context_data(
            form=form, closed=selectors.closed_months(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = MonthChoiceForm(request.POST, months=_closable_months())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        period = form.period()
        if not form.cleaned_data["confirm"]:
            # The confirmation step: what becomes final.
            return self.render_to_response(
                self.get_context_data(
                    form=MonthChoiceForm(
                        initial={"month": f"{period:%Y-%m}", "confirm": True},
                        months=_closable_months(),
                    ),
                    confirming=period,
                    statement=selectors.ptce_statement(period=period),
                )
            )
        try:
            services.month_close(period=period, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            request,
            _("%(month)s is closed: its statement is final.")
            % {"month": periods.label(period).capitalize()},
        )
        return redirect("pooling_admin_month_close")


@hooks.register("register_admin_viewset")
def register_ledger_viewsets():
    return [QuotaViewSet(), LedgerLineViewSet()]


@hooks.register("register_admin_urls")
def register_month_close_url():
    return [
        path(
            "mutualisation/cloture/",
            MonthCloseView.as_view(),
            name="pooling_admin_month_close",
        )
    ]
