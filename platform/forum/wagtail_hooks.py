"""The forum in the Wagtail admin: forums and usual reasons, the moderation queue
(decisions are taken on the site's moderation pages, which call the services), and
the number of waiting messages on the dashboard."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import permissions, selectors, services
from .models import Forum, RejectionReason


def _forum_data(form, names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.fields}


class ForumCreateView(CreateView):
    """Saved through forum.services.forum_create (rules, audit trail)."""

    def save_instance(self):
        return services.forum_create(
            by=self.request.user,
            data=_forum_data(
                self.form, permissions.forum_fields_for(self.request.user)
            ),
        )


class ForumEditView(EditView):
    """Saved through forum.services.forum_update: only what changed, only the
    settings this person may change (the others are not even in the form)."""

    def save_instance(self):
        return services.forum_update(
            forum=self.object,
            by=self.request.user,
            data=_forum_data(self.form, self.form.changed_data),
        )


# The rules of a forum are the coordination's (coordinators hold forum.add_forum):
# a moderator's form holds the watched words only (the list shows mode and
# visibility), and forum_update refuses any other field from them.
_RULES = "forum.add_forum"


class ForumViewSet(ModelViewSet):
    name = "forum_forums"  # "forum" is the site's URL namespace
    url_prefix = "forum/forums"
    model = Forum
    icon = "comment"
    menu_label = _("Forums")
    list_display = ["title", "kind", "mode", "visibility", "position"]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False
    add_view_class = ForumCreateView
    edit_view_class = ForumEditView
    # Delegated moderators are named on the site (forum_delegate records who and when).
    panels = [
        *(
            FieldPanel(name, permission=_RULES)
            for name in permissions.FORUM_RULE_FIELDS
        ),
        FieldPanel("watched_words"),
    ]


class RejectionReasonViewSet(ModelViewSet):
    name = "forum_rejection_reasons"
    url_prefix = "forum/motifs"
    model = RejectionReason
    icon = "list-ul"
    menu_label = _("Rejection reasons")
    list_display = ["text", "position"]
    search_fields = ["text"]
    search_backend_name = None
    copy_view_enabled = False
    form_fields = ["text", "position"]


class ForumViewSetGroup(ModelViewSetGroup):
    menu_label = _("Forum")
    menu_icon = "comment"
    menu_order = 250
    items = (ForumViewSet, RejectionReasonViewSet)


@hooks.register("register_admin_viewset")
def register_forum_viewsets():
    return ForumViewSetGroup()


class AdminQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "forum/admin/queue.html"
    page_title = _("Forum moderation")
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_moderate_anything(request.user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        """The queue, QUEUE_PER_PAGE a page (?p=, Wagtail's pagination)."""
        context = super().get_context_data(**kwargs)
        paginator = Paginator(
            selectors.moderation_queue_queryset(user=self.request.user),
            selectors.QUEUE_PER_PAGE,
        )
        page_obj = paginator.get_page(self.request.GET.get("p"))
        context["page_obj"] = page_obj
        context["items"] = list(page_obj.object_list)
        context["elided_page_range"] = paginator.get_elided_page_range(page_obj.number)
        return context


@hooks.register("register_admin_urls")
def register_forum_admin_urls():
    return [
        path("forum/moderation/", AdminQueueView.as_view(), name="forum_admin_queue")
    ]


class QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_moderate_anything(request.user)


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return QueueMenuItem(
        _("Forum moderation"),
        reverse("forum_admin_queue"),
        icon_name="comment",
        order=260,
    )


class QueuePanel(Component):
    name = "forum_queue"
    order = 60
    template_name = "forum/admin/queue_panel.html"

    def __init__(self, count: int):
        self.count = count

    def get_context_data(self, parent_context=None):
        return {"count": self.count}


@hooks.register("construct_homepage_panels")
def add_queue_panel(request, panels):
    if permissions.can_moderate_anything(request.user):
        panels.append(QueuePanel(selectors.queue_count(user=request.user)))
