"""Notifications' part of the demo PTCE: one announcement from the coordination."""

from __future__ import annotations

from ptce.demo import DemoContext, register

from .kinds import ANNOUNCEMENT
from .models import Notification
from .services import announcement_send


@register("notifications", after=("members",))
def load(ctx: DemoContext) -> None:
    """So the bell and the notification centre show something."""
    if Notification.objects.filter(kind=ANNOUNCEMENT).exists():
        return
    announcement_send(
        author=ctx.people["coordinator"],
        title="Bienvenue sur la plateforme du PTCE",
        message=(
            "Retrouvez ici les structures membres du pôle, réservez les salles, "
            "le matériel et le temps de travail qu’elles partagent, lisez les "
            "actualités et échangez dans le forum. L’agenda commun arrive bientôt."
        ),
    )
