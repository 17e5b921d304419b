from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _clear_navigation_cache(sender, **kwargs):
    from .selectors import navigation_cache_clear

    navigation_cache_clear()


def _clear_glossary_cache(sender, **kwargs):
    from .selectors import glossary_cache_clear

    glossary_cache_clear()


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        term = self.get_model("GlossaryTerm")
        post_save.connect(_clear_glossary_cache, sender=term, dispatch_uid="home_gl_s")
        post_delete.connect(
            _clear_glossary_cache, sender=term, dispatch_uid="home_gl_d"
        )
        # The menu and the footer follow the page tree and the identity.
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(_clear_navigation_cache, dispatch_uid=f"home_nav_{signal!r}")
        post_delete.connect(_clear_navigation_cache, sender=Page, dispatch_uid="hn_d")
        post_save.connect(
            _clear_navigation_cache, sender="ptce.SiteIdentity", dispatch_uid="hn_id"
        )
        # Names and addresses the glossary leaves alone change with these.
        for label in ("ptce.SiteIdentity", "members.Organisation"):
            post_save.connect(
                _clear_glossary_cache, sender=label, dispatch_uid=f"home_gl_{label}"
            )
