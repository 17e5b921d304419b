from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


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
        from ptce.pagecache import invalidate_on_change

        # Terms are marked inside cached page bodies.
        invalidate_on_change(term)
