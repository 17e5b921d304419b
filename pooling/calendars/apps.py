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
        self._cache_tokens_per_person()

    def _cache_tokens_per_person(self) -> None:
        """The feed links on Mon espace, a statement and a week show the person's
        token: read with the header's values (ptce.personcache), one round trip and
        no query. Forgotten whenever the token row is written or deleted (created,
        regenerated, erased, its person deleted), so an old address never shows
        once it is replaced."""
        from django.db.models.signals import post_delete, post_save

        from ptce import personcache

        from .services import CALENDAR_TOKEN

        personcache.register(CALENDAR_TOKEN)

        def changed(sender, instance, **kwargs) -> None:
            personcache.person_forget(CALENDAR_TOKEN, [instance.user_id])

        model = self.get_model("CalendarToken")
        for signal, suffix in ((post_save, "s"), (post_delete, "d")):
            signal.connect(
                changed,
                sender=model,
                weak=False,
                dispatch_uid=f"pooling-calendar-token-{suffix}",
            )
