from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import GroupApprovalTask, Orderable, Page, Task, TaskState
from wagtail.search import index

from .blocks import NewsBodyBlock

NEWS_PER_PAGE = 10


class NewsIndexPage(RoutablePageMixin, Page):
    """The news section: the list with its filters, the archive and the feeds."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count = 1
    # « Actualités » belongs in the main menu (home.selectors.main_menu).
    show_in_menus_default = True

    class Meta:
        verbose_name = _("news index")

    def route(self, request, path_components):
        """A news item in one query: Wagtail reads the child, then its specific page."""
        if self.live and path_components:
            try:
                self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                item = (
                    NewsPage.objects.child_of(self).filter(slug=path_components[0])
                ).first()
                if item is not None:
                    item._cached_parent_obj = self
                    return item.route(request, path_components[1:])
        return super().route(request, path_components)

    @path("")
    def index(self, request):
        from .views import news_index

        return news_index(request, index_page=self)

    @path("archives/")
    def archive(self, request):
        from .views import news_archive

        return news_archive(request, index_page=self)

    @re_path(r"^flux/(?P<kind>rss|atom)/$")
    def feed(self, request, kind):
        from .feeds import feed_response

        return feed_response(request, index_page=self, kind=kind)

    @re_path(r"^flux/(?P<kind>rss|atom)/(?P<tag>[-\w]{1,100})/$")
    def tag_feed(self, request, kind, tag):
        from .feeds import feed_response

        return feed_response(request, index_page=self, kind=kind, tag=tag)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPageStructure(Orderable):
    """A member structure that co-signs a news item (each one approves it)."""

    page = ParentalKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="cosigners"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("member structure"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("co-signing structure")
        verbose_name_plural = _("co-signing structures")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "organisation"], name="news_cosigner_unique"
            )
        ]


class NewsPage(RoutablePageMixin, Page):
    introduction = models.TextField(
        _("introduction"),
        max_length=600,
        help_text=_("Two or three sentences, shown in lists and feeds."),
    )
    main_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its description in the image library is its alternative text."),
    )
    body = StreamField(NewsBodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(
        verbose_name=_("tags"), through=NewsPageTag, blank=True
    )

    # Forum contract: pages with this attribute carry a comment thread.
    accepts_comments = True

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("main_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("tags"), InlinePanel("cosigners", label=_("co-signer"))],
            heading=_("Tags and co-signing structures"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("first_published_at"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    @property
    def published_on(self):
        return self.first_published_at or self.go_live_at

    @path("")
    def detail(self, request):
        return self.render(request)

    @path("impression/")
    def print_view(self, request):
        return self.render(request, template="news/news_page_print.html")

    def get_context(self, request, *args, **kwargs):
        from .selectors import news_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(news_page_context(self))
        return context

    # --- co-signing: nothing goes live before each co-signer has approved it -------
    def permissions_for_user(self, user):
        from .workflows import CosignPagePermissionTester

        return CosignPagePermissionTester(user, self)

    def publish(self, revision, *args, **kwargs):
        from .workflows import ensure_cosigned

        ensure_cosigned(revision)
        return super().publish(revision, *args, **kwargs)


class CosignTask(Task):
    """Workflow step: a référent of each co-signing structure approves, in turn.

    The structures are those of the revision under review, in their order. Each
    one's référents are told when it is their turn; a rejection by any of them sends
    the item back to its author. An item with no co-signer passes straight through.
    """

    class Meta:
        verbose_name = _("co-signing by the member structures")
        verbose_name_plural = _("co-signing by the member structures")

    # Methods live in workflows.py (imported there as a mixin would hide the model).
    def start(self, workflow_state, user=None):
        from .workflows import cosign_task_start

        return cosign_task_start(self, workflow_state, user=user)

    def on_action(self, task_state, user, action_name, **kwargs):
        from .workflows import cosign_task_action

        return cosign_task_action(task_state, user, action_name, **kwargs)

    def get_actions(self, obj, user):
        from .workflows import cosign_task_actions

        return cosign_task_actions(obj, user)

    def locked_for_user(self, obj, user):
        from .permissions import is_coordinator

        # Co-signers approve a given text: only the coordination may touch it now.
        return not is_coordinator(user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .selectors import cosign_task_states_for

        return TaskState.objects.filter(
            pk__in=[state.pk for state in cosign_task_states_for(user=user)]
        )

    @classmethod
    def get_description(cls):
        return _("A référent of each co-signing member structure approves, in turn.")


class CoordinationTask(GroupApprovalTask):
    """Workflow step: the coordination approves and publishes.

    A group approval that publishes only a text its co-signers approved: when the
    text changed after their approval (a coordinator's correction), approving sends
    the item back to the co-signing structures instead of publishing it.
    """

    class Meta:
        verbose_name = _("approval by the coordination")
        verbose_name_plural = _("approvals by the coordination")

    def on_action(self, task_state, user, action_name, **kwargs):
        from .workflows import coordination_task_action

        return coordination_task_action(self, task_state, user, action_name, **kwargs)

    def get_actions(self, obj, user):
        from .workflows import coordination_task_actions

        return coordination_task_actions(self, obj, user)

    @classmethod
    def get_description(cls):
        return _(
            "The coordination approves and publishes the text the co-signing "
            "structures approved."
        )


class CosignApproval(models.Model):
    """One co-signing structure's approval within one run of the co-signing task."""

    task_state = models.ForeignKey(
        TaskState, on_delete=models.CASCADE, related_name="cosign_approvals"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("member structure"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), default=timezone.now)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "organisation"], name="news_cosign_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.task_state_id}"
