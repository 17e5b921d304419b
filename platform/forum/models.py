from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    A_PRIORI = "a_priori", _("Moderated a priori")
    NEWCOMERS = "newcomers", _("Moderated a priori for newcomers only")
    A_POSTERIORI = "a_posteriori", _("Moderated a posteriori")
    CLOSED = "closed", _("Closed")


class Forum(models.Model):
    """A theme of discussion, or the one container of the comments under pages."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum")
        COMMENTS = "comments", _("Comments under pages")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.FORUM
    )
    mode = models.CharField(
        _("moderation"), max_length=16, choices=Mode.choices, default=Mode.A_PRIORI
    )
    newcomer_threshold = models.PositiveSmallIntegerField(
        _("approved posts before posting directly"),
        default=3,
        help_text=_("Used when the forum is moderated a priori for newcomers only."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    watched_words = models.TextField(
        _("watched words"),
        blank=True,
        help_text=_(
            "One word or expression per line: a post containing one waits for a "
            "moderator whatever the forum's mode."
        ),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegated moderators"),
        blank=True,
        related_name="moderated_forums",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="comments"),
                name="forum_single_comments_forum",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:forum_detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    def watched_word_list(self) -> list[str]:
        return [w.strip() for w in self.watched_words.splitlines() if w.strip()]


class Thread(models.Model):
    """A conversation in a forum, or the comments under one Wagtail page."""

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="threads"
    )
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forum_thread",
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Page threads have their own mode; forum threads follow their forum's (blank).
    mode = models.CharField(
        _("moderation"), max_length=16, choices=Mode.choices, blank=True
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    # Published posts only: what everybody may count and sort by.
    published_count = models.PositiveIntegerField(default=0)
    last_published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-is_pinned", "-last_published_at", "-id"]
        indexes = [
            models.Index(fields=["forum", "-is_pinned", "-last_published_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.page_id:
            return f"{self.page.url}#forum"
        return reverse("forum:thread_detail", args=[self.pk])

    @property
    def effective_mode(self) -> str:
        return self.mode or self.forum.mode


class Post(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("awaiting e-mail confirmation")
        PENDING = "pending", _("awaiting validation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        SPAM = "spam", _("spam")

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts"
    )
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    guest_name = models.CharField(_("name"), max_length=100, blank=True)
    guest_email = models.EmailField(_("e-mail"), blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    body = models.TextField(_("message"))
    body_html = models.TextField(blank=True)
    search_text = models.TextField(blank=True)
    # An edit waiting for a moderator while the published version stays online.
    proposed_body = models.TextField(blank=True)
    proposed_body_html = models.TextField(blank=True)
    # Set while the post waits in the moderation queue (new, edited or flagged).
    queued_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_decided_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "status", "created_at"]),
            models.Index(fields=["author", "status"]),
            models.Index(fields=["status", "queued_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    def get_absolute_url(self) -> str:
        # Threads and comments are paginated: ?message= opens the page holding it.
        if self.thread.page_id:
            return f"{self.thread.page.url}?message={self.pk}#post-{self.pk}"
        thread_url = reverse("forum:thread_detail", args=[self.thread_id])
        return f"{thread_url}?message={self.pk}#post-{self.pk}"

    @property
    def signature(self) -> str:
        if self.author_id:
            return self.author.display_name
        return self.guest_name

    @property
    def is_guest(self) -> bool:
        return self.author_id is None

    @property
    def has_proposed_edit(self) -> bool:
        return bool(self.proposed_body)


class Flag(models.Model):
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="flags"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "by"],
                condition=Q(resolved_at__isnull=True),
                name="forum_flag_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} — {self.reason[:50]}"


class RejectionReason(models.Model):
    """A reason moderators give often, offered in the rejection form."""

    text = models.CharField(_("reason"), max_length=500, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")
        ordering = ["position", "text"]

    def __str__(self) -> str:
        return self.text


class Subscription(models.Model):
    """Someone following a thread: told of each post once it is published."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="subscriptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"], name="forum_subscription_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.thread}"


class Suspension(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="forum_suspensions",
    )
    reason = models.TextField(_("reason"), max_length=2000)
    until = models.DateTimeField(_("until"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.until:%Y-%m-%d}"
