from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ptce import personcache

        from .services import MODERATES, MODERATOR_FLAG_TIMEOUT

        # The header's moderation link, read with the other header values.
        personcache.register(MODERATES, timeout=MODERATOR_FLAG_TIMEOUT)
