"""How news' audit events read (ptce.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.audit_labels import register

register(
    "news",
    actions={
        "news.submission.create": _("News item proposed"),
        "news.submission.resubmit": _("News item corrected and proposed again"),
        "news.cosign.approve": _("Co-signature given"),
        "news.cosign.reject": _("Co-signature refused"),
        "news.cosign.restart": _(
            "Text changed after co-signing: co-signers asked again"
        ),
        "news.workflow.approve": _("News item approved by the coordination"),
        "news.workflow.reject": _("News item sent back by the coordination"),
        "news.workflow.cancel": _("Review of a news item cancelled"),
        "news.page.publish": _("News item published"),
        "news.page.unpublish": _("News item unpublished"),
    },
)
