"""The e-mail outbox in the Wagtail admin: a read-only list, "resend" for failures.

Metadata only (kind, recipient, subject, status, attempts, dates): bodies are never
shown. Account e-mails and invitations carry keys (a password-reset link lets whoever
reads it take over the account), and every notification carries its recipient's own
unsubscribe link.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services
from .models import EmailDelivery
from .permissions import can_manage_deliveries, can_resend_delivery


class DeliveryPermissionPolicy(ModelPermissionPolicy):
    # notify() alone writes the outbox: nobody adds, edits or deletes rows by hand,
    # not even superusers; "resend" is its own view, checked by can_resend_delivery.
    def user_has_permission(self, user, action):
        return action == "view" and can_manage_deliveries(user)


register_permission_policy(EmailDelivery, DeliveryPermissionPolicy(EmailDelivery))


class DeliveryIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_resend_delivery(self.request.user, instance):
            buttons.append(
                MenuItem(
                    gettext_lazy("Resend"),
                    url=reverse("notifications_delivery_resend", args=[instance.pk]),
                    icon_name="redirect",
                    priority=5,
                )
            )
        return buttons


class EmailDeliveryViewSet(ModelViewSet):
    model = EmailDelivery
    icon = "mail"
    menu_label = gettext_lazy("E-mails sent")
    menu_order = 900
    add_to_admin_menu = True
    index_view_class = DeliveryIndexView
    list_display = ["to_address", "subject", "kind", "status", "attempts", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = [
        "to_address",
        "kind",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    form_fields = ["status"]  # required by the viewset; the edit view is never allowed


class DeliveryResendView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "notifications/admin/resend_confirm.html"
    page_title = gettext_lazy("Resend an e-mail")
    header_icon = "mail"

    def dispatch(self, request, pk: int):
        self.delivery = get_object_or_404(EmailDelivery, pk=pk)
        if not can_resend_delivery(request.user, self.delivery):
            raise PermissionDenied
        return super().dispatch(request, pk=pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(delivery=self.delivery, **kwargs)

    def post(self, request, pk: int):
        services.delivery_resend(delivery=self.delivery, by=request.user)
        messages.success(
            request,
            _("The e-mail to %(address)s is queued again.")
            % {"address": self.delivery.to_address},
        )
        return redirect("email_deliveries:index")


@hooks.register("register_admin_viewset")
def register_delivery_viewset():
    return EmailDeliveryViewSet("email_deliveries")


@hooks.register("register_admin_urls")
def register_resend_url():
    return [
        path(
            "notifications/deliveries/<int:pk>/resend/",
            DeliveryResendView.as_view(),
            name="notifications_delivery_resend",
        )
    ]
