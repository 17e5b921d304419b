"""Every write of the forum: posting, moderation decisions, follows, suspensions.

A post is visible to others only once `published`. Publication is the one moment
followers are told; a decision takes the post's row lock first, so two moderators
approving at once publish (and notify) once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.permissions import COORDINATORS_GROUP, MODERATORS_GROUP
from notifications.rendering import absolute_url
from notifications.services import email_enqueue, notify
from ptce.pagecache import bump_content_version
from ptce.personcache import person_forget
from ptce.search_providers import fold
from ptce.services import audit_record, model_update

from . import defences, kinds, markup, permissions
from .models import Flag, Forum, Mode, Post, Subscription, Suspension, Thread

GUEST_CONFIRM_SALT = "forum.guest_confirm"
GUEST_CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
MAX_BODY_LENGTH = 10_000
MAX_TITLE_LENGTH = 200
COMMENTS_SLUG = "commentaires"


# --- helpers -------------------------------------------------------------------------
def _rendered(body: str) -> tuple[str, str, str]:
    source = markup.clean_source(body).strip()
    if not source:
        raise ValidationError(_("Your message is empty."))
    if len(source) > MAX_BODY_LENGTH:
        raise ValidationError(
            _("Your message is too long (%(max)d characters at most).")
            % {"max": MAX_BODY_LENGTH}
        )
    html = markup.render(source)
    return source, html, fold(markup.plain_text(html))


def _moderators_of(forum: Forum) -> list[Any]:
    users = get_user_model().objects.filter(is_active=True)
    return list(
        users.filter(
            Q(groups__name__in=[COORDINATORS_GROUP, MODERATORS_GROUP])
            | Q(moderated_forums=forum)
        ).distinct()
    )


def _require_moderator(user: Any, forum: Forum) -> None:
    if not permissions.can_moderate(user, forum):
        raise PermissionDenied(_("You do not moderate this forum."))


def _initial_status(*, thread: Thread, author: Any, text: str) -> str:
    forum = thread.forum
    if author is None:
        return Post.Status.UNCONFIRMED
    if permissions.can_moderate(author, forum):
        return Post.Status.PUBLISHED
    if defences.contains_watched_word(text, forum.watched_word_list()):
        return Post.Status.PENDING
    mode = thread.effective_mode
    if mode == Mode.A_POSTERIORI:
        return Post.Status.PUBLISHED
    if mode == Mode.NEWCOMERS:
        approved = Post.objects.filter(
            author=author, thread__forum=forum, status=Post.Status.PUBLISHED
        ).count()
        if approved >= forum.newcomer_threshold:
            return Post.Status.PUBLISHED
    return Post.Status.PENDING


def _check_defences(
    *,
    thread: Thread,
    author: Any,
    source: str,
    guest_email: str,
    ip: str | None,
    rate_limits: bool = True,
) -> None:
    if author is None and markup.link_count(source) > defences.GUEST_MAX_LINKS:
        raise ValidationError(
            _("Visitors may include at most %(max)d links in a message.")
            % {"max": defences.GUEST_MAX_LINKS}
        )
    since = timezone.now() - defences.DUPLICATE_WINDOW
    same_author = Q(author=author) if author else Q(guest_email__iexact=guest_email)
    recent = Post.objects.filter(same_author, thread=thread, created_at__gte=since)
    wanted = defences.normalised_for_duplicates(source)
    for body in recent.values_list("body", flat=True)[:50]:
        if defences.normalised_for_duplicates(body) == wanted:
            raise ValidationError(_("You have already posted this message here."))
    if not rate_limits:  # the demo loader, which posts a dozen messages at once
        return
    over_person = defences.rate_limit_hit(
        scope="person", key=str(author.pk) if author else guest_email.lower()
    )
    over_address = defences.rate_limit_hit(scope="address", key=ip or "")
    if over_person or over_address:
        raise ValidationError(
            _("You are posting too fast. Please wait a few minutes and try again.")
        )


def _subscribe(thread: Thread, user: Any) -> None:
    if user is not None and user.pk:
        Subscription.objects.get_or_create(thread=thread, user=user)


def _publish(post: Post, *, now: datetime) -> None:
    """Make `post` public and tell the thread's followers (never its author)."""
    post.status = Post.Status.PUBLISHED
    post.published_at = now
    Post.objects.filter(pk=post.pk).update(
        status=post.status, published_at=now, queued_at=None
    )
    Thread.objects.filter(pk=post.thread_id).update(
        published_count=F("published_count") + 1, last_published_at=now
    )
    bump_content_version()  # update() sends no signal: cached pages show it now
    followers = (
        get_user_model()
        .objects.filter(pk__in=post.thread.subscriptions.values("user"))
        .exclude(pk=post.author_id or 0)
    )
    notify(
        followers,
        kinds.POST_PUBLISHED,
        {"post": post, "thread": post.thread, "author_name": post.signature},
        target=post,
    )


def _unpublish(post: Post) -> None:
    Thread.objects.filter(pk=post.thread_id, published_count__gt=0).update(
        published_count=F("published_count") - 1
    )
    bump_content_version()


def _queue_url() -> str:
    return absolute_url(reverse("forum:queue"))


def _enqueue_for_moderators(post: Post, *, reason: str = "new") -> None:
    notify(
        _moderators_of(post.thread.forum),
        kinds.POST_PENDING,
        {"post": post, "thread": post.thread, "why": reason, "queue_url": _queue_url()},
        target=post.thread,
    )


def _store_new_post(
    *,
    thread: Thread,
    author: Any,
    body: str,
    reply_to: Post | None,
    organisation: Any,
    guest_name: str,
    guest_email: str,
    ip: str | None,
    rate_limits: bool = True,
) -> Post:
    source, html, search_text = _rendered(body)
    _check_defences(
        thread=thread,
        author=author,
        source=source,
        guest_email=guest_email,
        ip=ip,
        rate_limits=rate_limits,
    )
    now = timezone.now()
    status = _initial_status(thread=thread, author=author, text=source)
    post = Post.objects.create(
        thread=thread,
        reply_to=reply_to,
        author=author,
        organisation=organisation,
        guest_name=guest_name,
        guest_email=guest_email,
        ip_address=ip,
        status=Post.Status.PENDING if status == Post.Status.PUBLISHED else status,
        body=source,
        body_html=html,
        search_text=search_text,
        submitted_at=now if status != Post.Status.UNCONFIRMED else None,
        queued_at=now if status == Post.Status.PENDING else None,
        created_at=now,
    )
    _subscribe(thread, author)
    audit_record(
        actor=author,
        action="forum.post.submit",
        target=post,
        after=status,
        scope=thread.forum,
    )
    if status == Post.Status.PUBLISHED:
        _publish(post, now=now)
    elif status == Post.Status.PENDING:
        _enqueue_for_moderators(post)
    else:
        _send_guest_confirmation(post)
    return post


def _check_signature(author: Any, organisation: Any) -> Any:
    if author is None:
        return None
    memberships = permissions.memberships_of(author)
    allowed = {m.organisation_id: m.organisation for m in memberships}
    if organisation is None:
        return memberships[0].organisation if memberships else None
    if organisation.pk not in allowed:
        raise PermissionDenied(_("You do not act for this structure."))
    return allowed[organisation.pk]


# --- posting -------------------------------------------------------------------------
@transaction.atomic
def thread_create(
    *,
    forum: Forum,
    by: Any,
    title: str,
    body: str,
    organisation: Any = None,
    ip: str | None = None,
    rate_limits: bool = True,
) -> Post:
    if not permissions.can_start_thread(by, forum):
        raise PermissionDenied(_("You cannot start a thread in this forum."))
    title = " ".join(markup.clean_source(title).split())[:MAX_TITLE_LENGTH]
    if not title:
        raise ValidationError(_("Give your thread a title."))
    thread = Thread.objects.create(forum=forum, title=title, author=by)
    return _store_new_post(
        thread=thread,
        author=by,
        body=body,
        reply_to=None,
        organisation=_check_signature(by, organisation),
        guest_name="",
        guest_email="",
        ip=ip,
        rate_limits=rate_limits,
    )


@transaction.atomic
def post_submit(
    *,
    thread: Thread,
    by: Any,
    body: str,
    reply_to: Post | None = None,
    organisation: Any = None,
    guest_name: str = "",
    guest_email: str = "",
    ip: str | None = None,
    rate_limits: bool = True,
) -> Post:
    """A reply (or a comment under a page); visitors give a name and an e-mail."""
    author = by if by is not None and by.is_authenticated else None
    thread = Thread.objects.select_related("forum").get(pk=thread.pk)
    if not permissions.can_post(by, thread):
        raise PermissionDenied(_("You cannot post in this thread."))
    if reply_to is not None and (
        reply_to.thread_id != thread.pk or reply_to.status != Post.Status.PUBLISHED
    ):
        raise ValidationError(_("The message you answer is not in this thread."))
    if author is None:
        guest_name = " ".join(markup.clean_source(guest_name).split())[:100]
        guest_email = markup.clean_source(guest_email).strip()[:254]
        if not guest_name or not guest_email:
            raise ValidationError(_("Tell us who you are: a name and an e-mail."))
    return _store_new_post(
        thread=thread,
        author=author,
        body=body,
        reply_to=reply_to,
        organisation=_check_signature(author, organisation),
        guest_name=guest_name if author is None else "",
        guest_email=guest_email if author is None else "",
        ip=ip,
        rate_limits=rate_limits,
    )


def page_thread(*, page: Any, create: bool = False) -> Thread | None:
    """The comment thread of a page that accepts comments, created on first use."""
    if not getattr(page.specific_class, "accepts_comments", False):
        return None
    thread = Thread.objects.select_related("forum").filter(page=page).first()
    if thread is not None or not create:
        return thread
    forum, _created = Forum.objects.get_or_create(
        kind=Forum.Kind.COMMENTS,
        defaults={"title": _("Comments under pages"), "slug": COMMENTS_SLUG},
    )
    try:
        with transaction.atomic():
            return Thread.objects.create(
                forum=forum, page=page, title=page.title[:MAX_TITLE_LENGTH]
            )
    except IntegrityError:  # created meanwhile by another request
        return Thread.objects.select_related("forum").get(page=page)


# --- visitors confirm by e-mail ------------------------------------------------------
def guest_token(post: Post) -> str:
    return signing.dumps(
        {"post": post.pk, "email": post.guest_email.lower()}, salt=GUEST_CONFIRM_SALT
    )


def _send_guest_confirmation(post: Post) -> None:
    url = absolute_url(reverse("forum:guest_confirm", args=[guest_token(post)]))
    email_enqueue(
        to=post.guest_email,
        template_prefix="forum/email/guest_confirm",
        context={"post": post, "thread": post.thread, "confirm_url": url},
        kind=kinds.GUEST,
    )


@transaction.atomic
def guest_confirm(*, token: str) -> Post:
    """The visitor clicked the link: the post now waits for a moderator."""
    try:
        data = signing.loads(
            token, salt=GUEST_CONFIRM_SALT, max_age=GUEST_CONFIRM_MAX_AGE
        )
        post_id = int(data["post"])
        email = str(data["email"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(
            _("This confirmation link is invalid or expired.")
        ) from exc
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__forum")
        .filter(pk=post_id, guest_email__iexact=email)
        .first()
    )
    if post is None:
        raise ValidationError(_("This confirmation link is invalid or expired."))
    if post.status != Post.Status.UNCONFIRMED:
        return post  # clicked twice: nothing more to do
    now = timezone.now()
    post.status = Post.Status.PENDING
    post.submitted_at = now
    post.queued_at = now
    post.save(update_fields=["status", "submitted_at", "queued_at"])
    audit_record(
        actor=None,
        action="forum.post.confirm",
        target=post,
        before=Post.Status.UNCONFIRMED,
        after=post.status,
        scope=post.thread.forum,
    )
    _enqueue_for_moderators(post)
    return post


# --- moderation ----------------------------------------------------------------------
def _locked(post: Post) -> Post:
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__forum", "author")
        .get(pk=post.pk)
    )


def _tell_author(post: Post, *, approved: bool, reason: str = "") -> None:
    context = {"post": post, "thread": post.thread, "approved": approved}
    context["reason"] = reason
    if post.author_id:
        notify([post.author], kinds.POST_DECIDED, context, target=post)
    elif post.guest_email:
        context["post_url"] = absolute_url(post.get_absolute_url())
        email_enqueue(
            to=post.guest_email,
            template_prefix="forum/email/guest_decided",
            context=context,
            kind=kinds.GUEST,
        )


def _resolve_flags(post: Post, now: datetime) -> None:
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now)


def _decided(post: Post, moderator: Any, now: datetime, **fields: Any) -> None:
    fields.update(decided_by=moderator, decided_at=now, queued_at=None)
    fields.update(claimed_by=None, claimed_at=None)
    if post.first_decided_at is None:
        fields["first_decided_at"] = now
    Post.objects.filter(pk=post.pk).update(**fields)
    bump_content_version()  # an edit approved changes what pages show
    for name, value in fields.items():
        setattr(post, name, value)


@transaction.atomic
def post_approve(*, post: Post, moderator: Any, body: str | None = None) -> bool:
    """Publish a waiting post (or its edit, or keep a flagged one); False if done."""
    post = _locked(post)
    _require_moderator(moderator, post.thread.forum)
    if post.queued_at is None or post.status not in (
        Post.Status.PENDING,
        Post.Status.PUBLISHED,
    ):
        return False
    now = timezone.now()
    before = post.status
    data: dict[str, Any] = {}
    if post.proposed_body:
        data["edit_applied"] = True
        post.body, post.body_html = post.proposed_body, post.proposed_body_html
    if body is not None and markup.clean_source(body).strip() != post.body:
        source, html, search_text = _rendered(body)
        data.update(edited_by_moderator=True, original=post.body[:2000])
        post.body, post.body_html = source, html
    _decided(
        post,
        moderator,
        now,
        body=post.body,
        body_html=post.body_html,
        search_text=fold(markup.plain_text(post.body_html)),
        proposed_body="",
        proposed_body_html="",
        rejection_reason="",
    )
    _resolve_flags(post, now)
    audit_record(
        actor=moderator,
        action="forum.post.approve",
        target=post,
        before=before,
        after=Post.Status.PUBLISHED,
        scope=post.thread.forum,
        data=data,
    )
    if before == Post.Status.PENDING:
        _publish(post, now=now)
        _tell_author(post, approved=True)
    return True


@transaction.atomic
def post_reject(*, post: Post, moderator: Any, reason: str, spam: bool = False) -> bool:
    """Reject a waiting post (kept, hidden) or its proposed edit; False if done."""
    reason = " ".join(markup.clean_source(reason).split())[:2000]
    post = _locked(post)
    _require_moderator(moderator, post.thread.forum)
    if not reason and not spam:
        raise ValidationError(_("Give the author a reason."))
    if post.status not in (Post.Status.PENDING, Post.Status.PUBLISHED):
        return False
    if post.queued_at is None and not spam:
        return False
    now = timezone.now()
    before = post.status
    edit_only = before == Post.Status.PUBLISHED and post.proposed_body and not spam
    status = Post.Status.SPAM if spam else Post.Status.REJECTED
    fields: dict[str, Any] = {
        "proposed_body": "",
        "proposed_body_html": "",
        "rejection_reason": reason,
    }
    if not edit_only:
        fields["status"] = status
    _decided(post, moderator, now, **fields)
    _resolve_flags(post, now)
    if before == Post.Status.PUBLISHED and not edit_only:
        _unpublish(post)
    audit_record(
        actor=moderator,
        action="forum.post.spam" if spam else "forum.post.reject",
        target=post,
        before=before,
        after=before if edit_only else status,
        reason=reason,
        scope=post.thread.forum,
        data={"edit_only": bool(edit_only)},
    )
    if not spam:
        _tell_author(post, approved=False, reason=reason)
    return True


@transaction.atomic
def post_claim(*, post: Post, moderator: Any, release: bool = False) -> bool:
    """Take a waiting post so that no other moderator handles it at the same time."""
    post = _locked(post)
    _require_moderator(moderator, post.thread.forum)
    if post.queued_at is None:
        return False
    if release:
        if post.claimed_by_id != moderator.pk:
            return False
        post.claimed_by, post.claimed_at = None, None
    elif post.claimed_by_id and post.claimed_by_id != moderator.pk:
        return False
    else:
        post.claimed_by, post.claimed_at = moderator, timezone.now()
    post.save(update_fields=["claimed_by", "claimed_at"])
    audit_record(
        actor=moderator,
        action="forum.post.release" if release else "forum.post.claim",
        target=post,
        scope=post.thread.forum,
    )
    return True


def posts_decide(
    *, posts: list[Post], moderator: Any, action: str, reason: str = ""
) -> int:
    """Bulk decision; each post in its own transaction. Returns how many changed."""
    done = 0
    for post in posts:
        if action == "approve":
            done += post_approve(post=post, moderator=moderator)
        elif action == "reject":
            done += post_reject(post=post, moderator=moderator, reason=reason)
        elif action == "spam":
            done += post_reject(
                post=post, moderator=moderator, reason=reason, spam=True
            )
        else:
            raise ValidationError(_("Unknown action."))
    return done


# --- authors: edit, resubmit; members: flag, follow -----------------------------------
@transaction.atomic
def post_edit(*, post: Post, by: Any, body: str) -> Post:
    """The author corrects their post; moderated again where the forum requires it."""
    post = _locked(post)
    if not permissions.can_edit_post(by, post):
        raise PermissionDenied(_("You can no longer edit this message."))
    source, html, search_text = _rendered(body)
    now = timezone.now()
    before = post.status
    status = _initial_status(thread=post.thread, author=by, text=source)
    if before == Post.Status.PUBLISHED and status == Post.Status.PENDING:
        # The published version stays online until a moderator approves the edit.
        post.proposed_body, post.proposed_body_html = source, html
        post.queued_at = now
        fields = ["proposed_body", "proposed_body_html", "queued_at", "edited_at"]
    else:
        post.body, post.body_html, post.search_text = source, html, search_text
        fields = ["body", "body_html", "search_text", "edited_at"]
        if before == Post.Status.REJECTED:  # resubmission
            post.status, post.submitted_at = Post.Status.PENDING, now
            post.rejection_reason = ""
            post.queued_at = now
            fields += ["status", "submitted_at", "rejection_reason", "queued_at"]
    post.edited_at = now
    post.save(update_fields=fields)
    audit_record(
        actor=by,
        action="forum.post.edit",
        target=post,
        before=before,
        after=post.status,
        scope=post.thread.forum,
        data={"previous": (post.body if post.proposed_body else "")[:2000]},
    )
    if before == Post.Status.REJECTED and status == Post.Status.PUBLISHED:
        _publish(post, now=now)
    elif post.queued_at == now:
        _enqueue_for_moderators(post, reason="edit")
    return post


@transaction.atomic
def post_flag(*, post: Post, by: Any, reason: str) -> Flag:
    """A member reports a published post: it goes back to the moderators' queue."""
    reason = " ".join(markup.clean_source(reason).split())[:500]
    post = _locked(post)
    if not permissions.can_flag(by, post):
        raise PermissionDenied(_("You cannot report this message."))
    if not reason:
        raise ValidationError(_("Say why you report this message."))
    if Flag.objects.filter(post=post, by=by, resolved_at__isnull=True).exists():
        raise ValidationError(_("You have already reported this message."))
    flag = Flag.objects.create(post=post, by=by, reason=reason)
    first = post.queued_at is None
    if first:
        post.queued_at = timezone.now()
        post.save(update_fields=["queued_at"])
    audit_record(
        actor=by,
        action="forum.post.flag",
        target=post,
        reason=reason,
        scope=post.thread.forum,
    )
    if first:
        _enqueue_for_moderators(post, reason="flag")
    return flag


@transaction.atomic
def thread_follow(*, thread: Thread, user: Any, follow: bool = True) -> None:
    if not permissions.can_view_thread(user, thread) or not user.is_authenticated:
        raise PermissionDenied(_("You cannot follow this thread."))
    if follow:
        _subscribe(thread, user)
    else:
        Subscription.objects.filter(thread=thread, user=user).delete()


# --- threads and forums --------------------------------------------------------------
THREAD_ACTIONS = ("close", "reopen", "pin", "unpin")


@transaction.atomic
def thread_moderate(
    *,
    thread: Thread,
    moderator: Any,
    action: str,
    forum: Forum | None = None,
    mode: str = "",
) -> Thread:
    """Close, reopen, pin, unpin, move a thread, or set a page thread's mode."""
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("forum")
        .get(pk=thread.pk)
    )
    _require_moderator(moderator, thread.forum)
    before = ""
    after = ""
    if action in THREAD_ACTIONS:
        field = "is_closed" if action in ("close", "reopen") else "is_pinned"
        value = action in ("close", "pin")
        before, after = str(getattr(thread, field)), str(value)
        setattr(thread, field, value)
        thread.save(update_fields=[field])
    elif action == "move":
        if forum is None or thread.page_id or forum.kind != Forum.Kind.FORUM:
            raise ValidationError(_("Choose a forum to move this thread to."))
        _require_moderator(moderator, forum)
        before, after = thread.forum.slug, forum.slug
        thread.forum = forum
        thread.save(update_fields=["forum"])
    elif action == "mode":
        if mode not in Mode.values:
            raise ValidationError(_("Choose a moderation mode."))
        before, after = thread.effective_mode, mode
        thread.mode = mode
        thread.save(update_fields=["mode"])
    else:
        raise ValidationError(_("Unknown action."))
    audit_record(
        actor=moderator,
        action=f"forum.thread.{action}",
        target=thread,
        before=before,
        after=after,
        scope=thread.forum,
    )
    return thread


# Whether a person moderates some forum: cached per person for the header
# (forum_tags, ptce.personcache, registered in apps.py).
MODERATES = "forum-moderates"
MODERATOR_FLAG_TIMEOUT = 300
# Whether a person reads the members' forums (permissions.is_member), cached per
# person for the site search (search_providers.audience); apps.py forgets it when
# their memberships or groups change.
IS_MEMBER = "forum-is-member"


def _forget_moderator_flags(user_ids: set[int]) -> None:
    """The header caches who moderates (forum_tags): forget it for these people,
    now and again at commit."""
    from ptce.personcache import person_forget

    person_forget(MODERATES, user_ids)


def _forum_settings(forum: Forum, names) -> dict[str, str]:
    return {name: str(getattr(forum, name)) for name in names}


@transaction.atomic
def forum_create(*, by: Any, data: dict[str, Any]) -> Forum:
    """A coordinator opens a forum (from the Wagtail admin)."""
    if not permissions.can_create_forum(by):
        raise PermissionDenied(_("Only coordinators open forums."))
    allowed = permissions.forum_fields_for(by)
    unexpected = sorted(set(data) - set(allowed))
    if unexpected:
        raise ValueError(f"Fields not writable here: {', '.join(unexpected)}.")
    forum = Forum()
    for name, value in data.items():
        Forum._meta.get_field(name).save_form_data(forum, value)
    forum.full_clean()
    forum.save()
    audit_record(
        actor=by,
        action="forum.forum.create",
        target=forum,
        scope=forum,
        data={"settings": _forum_settings(forum, allowed)},
    )
    return forum


@transaction.atomic
def forum_update(*, forum: Forum, by: Any, data: dict[str, Any]) -> Forum:
    """Change a forum's settings: its rules (mode, visibility...) for coordinators,
    its watched words for moderators too. Recorded with the values before/after."""
    allowed = permissions.forum_fields_for(by)
    refused = sorted(set(data) - set(allowed))
    if not allowed or refused:
        raise PermissionDenied(_("You may not change these settings of the forum."))
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    before = _forum_settings(forum, data)
    forum, changed = model_update(instance=forum, fields=allowed, data=data)
    if changed:
        after = _forum_settings(forum, changed)
        audit_record(
            actor=by,
            action="forum.forum.update",
            target=forum,
            scope=forum,
            before=", ".join(f"{name}={before[name]}" for name in changed),
            after=", ".join(f"{name}={after[name]}" for name in changed),
            data={"changed": {name: [before[name], after[name]] for name in changed}},
        )
    return forum


@transaction.atomic
def forum_delegate(*, forum: Forum, by: Any, moderators: list[Any]) -> None:
    """Coordinators name the people who moderate one forum."""
    if not permissions.can_manage_moderators(by):
        raise PermissionDenied(_("Only coordinators delegate moderation."))
    before = sorted(forum.moderators.values_list("pk", flat=True))
    forum.moderators.set(moderators)
    changed = set(before) | {user.pk for user in moderators}
    transaction.on_commit(lambda: _forget_moderator_flags(changed), robust=True)
    audit_record(
        actor=by,
        action="forum.forum.delegate",
        target=forum,
        scope=forum,
        data={"before": before, "after": sorted(u.pk for u in moderators)},
    )


@transaction.atomic
def user_suspend(*, user: Any, by: Any, reason: str, until: datetime) -> Suspension:
    """Stop a person from posting until `until`; they are told why."""
    if not permissions.can_suspend(by):
        raise PermissionDenied(_("You cannot suspend people."))
    reason = " ".join(markup.clean_source(reason).split())[:2000]
    if not reason:
        raise ValidationError(_("Give the person a reason."))
    if until <= timezone.now():
        raise ValidationError(_("The end date must be in the future."))
    if user.pk == by.pk:
        raise ValidationError(_("You cannot suspend yourself."))
    suspension = Suspension.objects.create(user=user, reason=reason, until=until, by=by)
    user.__dict__.pop("_forum_suspended", None)
    person_forget(permissions.SUSPENDED_UNTIL, [user.pk])
    audit_record(
        actor=by,
        action="forum.user.suspend",
        target=user,
        after=until.isoformat(),
        reason=reason,
    )
    notify([user], kinds.SUSPENDED, {"suspension": suspension})
    return suspension


def author_pending_posts(*, moderator: Any, author: Any = None, email: str = ""):
    """The queue items of one author or guest address that `moderator` may decide."""
    from .selectors import moderation_queue

    queue = moderation_queue(user=moderator)
    if author is not None:
        return [p for p in queue if p.author_id == author.pk]
    return [p for p in queue if email and p.guest_email.lower() == email.lower()]


# --- reminders (beat) ----------------------------------------------------------------
def reminders_send(*, older_than_hours: int = 24) -> int:
    """Remind moderators of posts waiting for more than a day; once per post."""
    limit = timezone.now() - timedelta(hours=older_than_hours)
    stale = list(
        Post.objects.filter(
            queued_at__lte=limit, reminded_at__isnull=True
        ).select_related("thread__forum")[:500]
    )
    by_forum: dict[int, list[Post]] = {}
    for post in stale:
        by_forum.setdefault(post.thread.forum_id, []).append(post)
    for posts in by_forum.values():
        forum = posts[0].thread.forum
        with transaction.atomic():
            Post.objects.filter(pk__in=[p.pk for p in posts]).update(
                reminded_at=timezone.now()
            )
            notify(
                _moderators_of(forum),
                kinds.REMINDER,
                {"forum": forum, "count": len(posts), "queue_url": _queue_url()},
            )
    return len(stale)
