"""Bookings in the Wagtail admin: list, filters, search, export and inspection, and
the decisions and cancellations as admin actions (pooling.admin_views).

Bookings change only through pooling.services (decide, cancel), which check who may
act, notify people and record the history: the admin's own edit form writes nothing.
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ptce.exports import SpreadsheetExportViewMixin

from . import admin_views, permissions
from .models import Booking


def _label(field: str) -> str:
    return capfirst(Booking._meta.get_field(field).verbose_name)


class ViewOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(Booking, ViewOnlyPolicy(Booking))


class BookingIndexView(SpreadsheetExportViewMixin, IndexView):
    """Exports in French formats, formulas neutralised (ptce.exports)."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("resource", "organisation", "booked_by")
        )

    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                gettext_lazy("Decide on pending requests"),
                url=reverse("pooling_admin_decide"),
                icon_name="tasks",
            ),
        ]

    def get_list_more_buttons(self, instance):
        # Offered to everyone who sees the list; the services decide who may act.
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status == Booking.Status.PENDING:
            buttons.append(
                MenuItem(
                    gettext_lazy("Approve or decline"),
                    url=f"{reverse('pooling_admin_decide')}?id={instance.pk}",
                    icon_name="tasks",
                    priority=5,
                )
            )
        if instance.is_active:
            buttons.append(
                MenuItem(
                    gettext_lazy("Cancel"),
                    url=reverse("pooling_admin_cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=6,
                )
            )
        return buttons


class BookingInspectView(InspectView):
    template_name = "pooling/admin/booking_inspect.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            can_decide=permissions.can_decide(user, self.object),
            can_cancel=permissions.can_cancel(user, self.object),
            **kwargs,
        )


class BookingViewSet(ModelViewSet):
    name = "bookings"
    url_prefix = "mutualisation/reservations"
    model = Booking
    icon = "date"
    menu_order = 161
    add_to_admin_menu = True
    index_view_class = BookingIndexView
    inspect_view_class = BookingInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["resource", "organisation", "start", "end", "quantity", "status"]
    list_filter = ["status", "resource__kind", "start"]
    search_fields = ["resource__name", "organisation__name", "purpose"]
    search_backend_name = None
    ordering = ["-start"]
    form_fields = ["purpose"]
    inspect_view_fields = [
        "resource",
        "organisation",
        "booked_by",
        "start",
        "end",
        "quantity",
        "attendees",
        "purpose",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "cancelled_by",
        "cancelled_at",
        "cancel_reason",
        "amount_excl_vat",
        "vat_regime",
        "vat_amount",
    ]
    list_export = [
        "resource",
        "organisation",
        "booked_by",
        "start",
        "end",
        "quantity",
        "get_status_display",
        "amount_excl_vat",
        "get_vat_regime_display",
        "vat_amount",
        "created_at",
    ]
    export_filename = "reservations"

    @property
    def export_headings(self):
        return {
            "get_status_display": _label("status"),
            "get_vat_regime_display": _label("vat_regime"),
        }


@hooks.register("register_admin_viewset")
def register_booking_viewset():
    return BookingViewSet()


@hooks.register("register_admin_urls")
def register_booking_action_urls():
    return [
        path(
            "mutualisation/decisions/",
            admin_views.BookingDecisionView.as_view(),
            name="pooling_admin_decide",
        ),
        path(
            "mutualisation/reservations/<int:pk>/annulation/",
            admin_views.BookingCancelView.as_view(),
            name="pooling_admin_cancel",
        ),
    ]
