"""The forum's part of a person's data: their posts, reports, follows, suspensions.

On erasure, posts stay (a conversation must keep its replies) signed « Ancien
membre »: the account row keeps no name. What identifies the person in the posts
themselves — their address, a visitor's name and e-mail — is removed.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from ptce.personal_data import register, user_addresses
from ptce.personcache import person_forget

from . import permissions
from .models import Flag, Post, Subscription, Suspension


def export_forum(user) -> dict:
    posts = Post.objects.filter(author=user).select_related("thread")
    return {
        "posts": [
            {
                "thread": post.thread.title,
                "status": post.status,
                "created_at": post.created_at.isoformat(),
                "body": post.body,
                "rejection_reason": post.rejection_reason,
            }
            for post in posts
        ],
        "reports": [
            {"post": flag.post_id, "reason": flag.reason}
            for flag in Flag.objects.filter(by=user)
        ],
        "following": list(
            Subscription.objects.filter(user=user).values_list(
                "thread__title", flat=True
            )
        ),
        "suspensions": [
            {"reason": s.reason, "until": s.until.isoformat()}
            for s in Suspension.objects.filter(user=user)
        ],
    }


def erase_forum(user) -> None:
    own = Q(author=user)
    for address in user_addresses(user):
        own |= Q(author__isnull=True, guest_email__iexact=address)
    Post.objects.filter(own).update(
        ip_address=None, guest_email="", guest_name=_("Former member")
    )
    Post.objects.filter(author=user).update(guest_name="")
    Flag.objects.filter(by=user).delete()
    Subscription.objects.filter(user=user).delete()
    Suspension.objects.filter(user=user).delete()
    person_forget(permissions.SUSPENDED_UNTIL, [user.pk])
    user.moderated_forums.clear()


register(
    key="forum",
    models=(
        "forum.Post",
        "forum.Flag",
        "forum.Subscription",
        "forum.Suspension",
        "forum.Thread",
        "forum.Forum",
    ),
    export=export_forum,
    erase=erase_forum,
    order=60,
)
# Thread.author needs nothing more: a thread keeps its starter, shown as « Ancien
# membre » once the account is erased; Forum.moderators is cleared above.
