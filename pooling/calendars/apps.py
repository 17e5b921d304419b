from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Calendar feeds at private token URLs, and recurring booking series."""

    name = "pooling.calendars"
    label = "pooling_calendars"
    verbose_name = _("Calendars and series")
    default_auto_field = "django.db.models.BigAutoField"
