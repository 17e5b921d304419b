"""How the forum's audit events read (ptce.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.audit_labels import register

from .models import Post

register(
    "forum",
    actions={
        "forum.forum.create": _("Forum created"),
        "forum.forum.update": _("Forum settings changed"),
        "forum.forum.delegate": _("Forum moderators named"),
        "forum.post.submit": _("Message posted"),
        "forum.post.confirm": _("Message confirmed by e-mail"),
        "forum.post.edit": _("Message edited"),
        "forum.post.approve": _("Message validated"),
        "forum.post.reject": _("Message rejected"),
        "forum.post.spam": _("Message marked as spam"),
        "forum.post.flag": _("Message reported"),
        "forum.post.claim": _("Message taken in hand for moderation"),
        "forum.post.release": _("Message released by its moderator"),
        "forum.thread.close": _("Thread closed"),
        "forum.thread.reopen": _("Thread reopened"),
        "forum.thread.pin": _("Thread pinned"),
        "forum.thread.unpin": _("Thread unpinned"),
        "forum.thread.move": _("Thread moved"),
        "forum.thread.mode": _("Thread moderation mode changed"),
        "forum.user.suspend": _("Person suspended from posting"),
    },
    states=dict(Post.Status.choices),
)
