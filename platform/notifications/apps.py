from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every app declares its notification kinds in its own kinds.py.
        autodiscover_modules("kinds")
        from ptce import personcache

        from .services import UNREAD

        personcache.register(UNREAD)  # the bell, read with the other header values
