from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Calendar feeds at private token URLs, and recurring booking series."""

    name = "pooling.calendars"
    label = "pooling_calendars"
    verbose_name = _("Calendars and series")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ptce.pagecache import never_shown

        # A person's feed token, made on their first calendar page, shows in no
        # shared page: it must not make every cached fragment stale.
        never_shown(self.get_model("CalendarToken"))
