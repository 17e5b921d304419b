from __future__ import annotations

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import GlossaryTerm


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "openquote"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["term", "definition", "slug"]
    search_fields = ["term", "synonyms", "definition"]
    search_backend_name = None  # plain database lookups: exact, no index to maintain
    ordering = ["term"]


register_snippet(GlossaryTermViewSet)
