"""The audit trail in the Wagtail admin: read-only, filterable, searchable."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import AuditEvent


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Events are written only by ptce.services.audit_record, never edited."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(AuditEvent, ReadOnlyPolicy(AuditEvent))


class AuditIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor")


class AuditEventViewSet(ModelViewSet):
    index_view_class = AuditIndexView
    name = "audit_trail"
    url_prefix = "journal"
    model = AuditEvent
    icon = "history"
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["created_at", "actor", "action", "target_label", "before", "after"]
    list_filter = {
        "action": ["exact", "startswith"],
        "created_at": ["date__gte", "date__lte"],
        "actor__email": ["icontains"],
    }
    search_fields = ["action", "target_label", "reason"]
    search_backend_name = None  # plain database lookups, no index to maintain
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["action"]  # never shown: the policy allows viewing only


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEventViewSet()
