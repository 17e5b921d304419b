"""What the news app holds about a person: proposals and co-signatures."""

from __future__ import annotations

from typing import Any

from ptce.personal_data import register

from .models import CosignApproval, NewsPage


def export_news(user) -> dict[str, Any]:
    return {
        "proposed": [
            {
                "title": page.title,
                "live": page.live,
                "first_published_at": page.first_published_at.isoformat()
                if page.first_published_at
                else None,
            }
            for page in NewsPage.objects.filter(owner=user).order_by("pk")
        ],
        "cosigned": [
            {
                "structure": approval.organisation.name,
                "approved_at": approval.approved_at.isoformat(),
                "comment": approval.comment,
            }
            for approval in CosignApproval.objects.filter(approved_by=user)
            .select_related("organisation")
            .order_by("pk")
        ],
    }


def erase_news(user) -> None:
    """Never-published proposals are the person's own drafts: deleted. Published news
    belongs to its structures and stays; co-signatures stay, shown without a name."""
    for page in NewsPage.objects.filter(owner=user, first_published_at__isnull=True):
        page.delete()
    CosignApproval.objects.filter(approved_by=user).update(approved_by=None, comment="")


register(
    key="news",
    models=("news.CosignApproval",),
    export=export_news,
    erase=erase_news,
    order=60,
)
