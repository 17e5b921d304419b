from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ptce.pagecache import invalidate_on_change

        # The directory, the profiles and the home page's figures show these.
        invalidate_on_change(
            self.get_model("Organisation"), self.get_model("Membership")
        )
        invalidate_on_change(
            self.get_model("User"), ignore_fields=frozenset({"last_login"})
        )
