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
        from ptce import personcache

        from .standing import STANDING, connect_forgetting

        # The viewer's role, requests and structures (a profile, Mon espace), read
        # with the other header values; forgotten wherever they change.
        personcache.register(STANDING)
        connect_forgetting()
