"""Member structures in the Wagtail admin: the coordinators' lists, filters and exports,
and the décret 2015-431 eligibility panel on the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ptce.exports import SpreadsheetExportViewMixin

from . import services
from .apps import MembersConfig
from .eligibility import eligibility_check
from .forms import PROFILE_FIELDS, ApplicationDecisionForm
from .models import Invitation, JoinRequest, Membership, Organisation
from .permissions import can_decide_application, is_coordinator


def _label(model, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


class ExportIndexView(SpreadsheetExportViewMixin, IndexView):
    """Exports in French formats, formulas neutralised (ptce.exports)."""


class RelatedIndexView(ExportIndexView):
    """An index whose rows fetch their related objects in the same query."""

    list_select_related: tuple[str, ...] = ()

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*self.list_select_related)


class RelatedModelViewSet(ModelViewSet):
    index_view_class = RelatedIndexView
    list_select_related: tuple[str, ...] = ()

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            list_select_related=self.list_select_related, **kwargs
        )


class OrganisationIndexView(ExportIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_decide_application(self.request.user, instance):
            buttons.append(
                MenuItem(
                    gettext_lazy("Decide on the application"),
                    url=reverse("members_application_decide", args=[instance.pk]),
                    icon_name="tasks",
                    priority=5,
                )
            )
        return buttons


class ApplicationDecisionView(WagtailAdminTemplateMixin, TemplateView):
    """Accept or decline an application from the admin, through the same service as
    the site's applications page (status, date, référent, notification, audit)."""

    template_name = "members/admin/application_decide.html"
    page_title = gettext_lazy("Membership application")
    header_icon = "group"

    def dispatch(self, request, pk: int):
        self.organisation = get_object_or_404(Organisation, pk=pk)
        if not can_decide_application(request.user, self.organisation):
            raise PermissionDenied
        return super().dispatch(request, pk=pk)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("member_structures:index"),
                "label": capfirst(Organisation._meta.verbose_name_plural),
            },
            {"url": "", "label": self.organisation.name},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            form=kwargs.pop("form", None) or ApplicationDecisionForm(),
            **kwargs,
        )

    def post(self, request, pk: int):
        form = ApplicationDecisionForm(request.POST)
        if not form.is_valid():
            context = self.get_context_data(form=form)
            return self.render_to_response(context, status=400)
        accept = form.cleaned_data["decision"] == "accept"
        services.organisation_application_decide(
            organisation=self.organisation,
            by=request.user,
            accept=accept,
            reason=form.cleaned_data["reason"].strip(),
        )
        text = (
            _("%(name)s is now a member structure.")
            if accept
            else _("The application of %(name)s has been declined.")
        )
        messages.success(request, text % {"name": self.organisation.name})
        return redirect("member_structures:index")


@hooks.register("register_admin_urls")
def register_decision_url():
    return [
        path(
            "membres/candidatures/<int:pk>/decision/",
            ApplicationDecisionView.as_view(),
            name="members_application_decide",
        )
    ]


class OrganisationViewSet(ModelViewSet):
    name = "member_structures"
    url_prefix = "membres/structures"
    model = Organisation
    index_view_class = OrganisationIndexView
    icon = "group"
    menu_order = 100
    list_display = ["name", "category", "legal_form", "status", "city", "siret"]
    list_filter = ["category", "status", "legal_form"]
    search_fields = ["name", "siret", "city"]
    search_backend_name = None
    ordering = ["name"]
    inspect_view_enabled = True
    copy_view_enabled = False
    list_export = [
        "name",
        "get_category_display",
        "get_legal_form_display",
        "get_status_display",
        "siret",
        "rna",
        "is_esus",
        "is_siae",
        "address",
        "postal_code",
        "city",
        "website",
        "public_email",
        "public_phone",
        "joined_at",
    ]
    export_filename = "structures-membres"
    form_fields = [
        "name",
        "slug",
        "category",
        "legal_form",
        "is_esus",
        "is_siae",
        "siret",
        "rna",
        # status, joined_at and decision_note carry the membership rules: they change
        # only through the decision view below (organisation_application_decide).
        *PROFILE_FIELDS,
    ]
    inspect_view_fields = [
        "name",
        "category",
        "legal_form",
        "status",
        "applied_by",
        "created_at",
        "joined_at",
        "decision_note",
        "siret",
        "rna",
        "city",
    ]

    @property
    def export_headings(self):
        return {
            "get_category_display": _label(Organisation, "category"),
            "get_legal_form_display": _label(Organisation, "legal_form"),
            "get_status_display": _label(Organisation, "status"),
        }


class MembershipViewSet(RelatedModelViewSet):
    list_select_related = ("user", "organisation")
    name = "member_memberships"
    url_prefix = "membres/personnes"
    model = Membership
    icon = "user"
    menu_order = 200
    list_display = ["user", "organisation", "role", "show_in_directory", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    search_backend_name = None
    copy_view_enabled = False
    list_export = [
        "organisation",
        "user",
        "user.email",
        "get_role_display",
        "show_in_directory",
        "created_at",
    ]
    export_filename = "personnes-des-structures"
    # Roles and removals keep a structure's last référent: they go through the
    # structure's management page (membership_update, membership_remove). People
    # join by invitation or request, never by an admin form.
    form_fields = ["show_in_directory"]

    @property
    def export_headings(self):
        return {
            "user.email": _label(Membership, "user"),
            "get_role_display": _label(Membership, "role"),
        }


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Invitations and join requests change only through the members services, which
    notify people and create memberships; the admin lists and inspects them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


class NoAddOrDeletePolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ("view", "change") and super().user_has_permission(
            user, action
        )


register_permission_policy(Membership, NoAddOrDeletePolicy(Membership))
register_permission_policy(Invitation, ViewOnlyPolicy(Invitation))
register_permission_policy(JoinRequest, ViewOnlyPolicy(JoinRequest))


class InvitationViewSet(RelatedModelViewSet):
    list_select_related = ("organisation",)
    name = "member_invitations"
    url_prefix = "membres/invitations"
    model = Invitation
    icon = "mail"
    menu_order = 300
    list_display = ["email", "organisation", "role", "created_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["organisation", "email", "role"]


class JoinRequestViewSet(RelatedModelViewSet):
    list_select_related = ("user", "organisation")
    name = "member_join_requests"
    url_prefix = "membres/demandes"
    model = JoinRequest
    icon = "help"
    menu_order = 400
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "organisation__name"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["user", "organisation", "message"]


class MembersViewSetGroup(ModelViewSetGroup):
    menu_label = MembersConfig.verbose_name
    menu_icon = "group"
    menu_order = 150
    items = (
        OrganisationViewSet,
        MembershipViewSet,
        InvitationViewSet,
        JoinRequestViewSet,
    )


@hooks.register("register_admin_viewset")
def register_members_viewsets():
    return MembersViewSetGroup()


class EligibilityPanel(Component):
    name = "ptce_eligibility"
    order = 50
    template_name = "home/admin/eligibility_panel.html"

    def get_context_data(self, parent_context=None):
        return {"eligibility": eligibility_check()}


@hooks.register("construct_homepage_panels")
def add_eligibility_panel(request, panels):
    if is_coordinator(request.user):
        panels.append(EligibilityPanel())
