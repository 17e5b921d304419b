"""Shared resources in the Wagtail admin: the coordinators' list, filters, search and
export. Editing goes through resources.services (audited); the booking rules, hours,
price and status are read-only here and changed from the site's forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from wagtail import hooks
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ptce.exports import SpreadsheetExportViewMixin

from . import services
from .models import Resource

# Descriptive fields only: every rule-carrying field stays with the site's services.
ADMIN_FORM_FIELDS = [
    "name",
    "summary",
    "description",
    "address",
    "floor",
    "equipment_present",
    "staff_role",
    "staff_skills",
]


def _label(field: str) -> str:
    return capfirst(Resource._meta.get_field(field).verbose_name)


class NoAddNoDeletePolicy(ModelPermissionPolicy):
    """Resources are created on the site by their owner, and never deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Resource, NoAddNoDeletePolicy(Resource))


class ResourceIndexView(SpreadsheetExportViewMixin, IndexView):
    """Exports in French formats, formulas neutralised (ptce.exports)."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("owner")


class ResourceEditView(EditView):
    def form_valid(self, form):
        try:
            self.object = services.resource_update(
                resource=self.object,
                by=self.request.user,
                data={name: form.cleaned_data[name] for name in ADMIN_FORM_FIELDS},
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        return self.save_action()


class ResourceViewSet(ModelViewSet):
    name = "shared_resources"
    url_prefix = "mutualisation/ressources"
    model = Resource
    icon = "home"
    menu_order = 160
    add_to_admin_menu = True
    index_view_class = ResourceIndexView
    edit_view_class = ResourceEditView
    list_display = ["name", "owner", "kind", "quantity", "status", "price_unit"]
    list_filter = ["kind", "status", "price_unit", "vat_regime", "approval_required"]
    search_fields = ["name", "summary", "owner__name"]
    search_backend_name = None
    ordering = ["name"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ADMIN_FORM_FIELDS
    list_export = [
        "name",
        "owner",
        "get_kind_display",
        "quantity",
        "capacity",
        "get_status_display",
        "get_price_unit_display",
        "price_amount",
        "get_vat_regime_display",
        "vat_rate",
        "approval_required",
        "open_to_all",
        "created_at",
    ]
    export_filename = "ressources-partagees"

    @property
    def export_headings(self):
        return {
            "get_kind_display": _label("kind"),
            "get_status_display": _label("status"),
            "get_price_unit_display": _label("price_unit"),
            "get_vat_regime_display": _label("vat_regime"),
        }


@hooks.register("register_admin_viewset")
def register_resource_viewset():
    return ResourceViewSet()
