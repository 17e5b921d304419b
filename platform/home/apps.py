from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _ensure_groups(sender, **kwargs):
    from .groups import ensure_groups

    ensure_groups()


def _clear_glossary_cache(sender, **kwargs):
    from .selectors import glossary_cache_clear

    glossary_cache_clear()


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Run once, after the last app's post_migrate: by then auth has created every
        # app's permissions, wherever "home" sits in INSTALLED_APPS.
        last = [c for c in self.apps.get_app_configs() if c.models_module][-1]
        post_migrate.connect(_ensure_groups, sender=last, dispatch_uid="home_groups")
        term = self.get_model("GlossaryTerm")
        post_save.connect(_clear_glossary_cache, sender=term, dispatch_uid="home_gl_s")
        post_delete.connect(
            _clear_glossary_cache, sender=term, dispatch_uid="home_gl_d"
        )
        # Names and addresses the glossary leaves alone change with these.
        for label in ("home.SiteIdentity", "members.Organisation"):
            post_save.connect(
                _clear_glossary_cache, sender=label, dispatch_uid=f"home_gl_{label}"
            )
