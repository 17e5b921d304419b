"""Reads for the public site: home page figures, glossary, search results."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from wagtail.models import Page, Site
from wagtail.search.query import PlainText

from members import selectors as members_selectors
from members.models import Organisation
from ptce import home_blocks
from ptce.identity import get_identity
from ptce.pagecache import FRAGMENT_TIMEOUT, content_version, versioned
from ptce.search_providers import page_types_listed_elsewhere

from .glossary import Entry, fold
from .models import ContactPage, GlossaryTerm

GLOSSARY_CACHE_KEY = "home:glossary:entries:v1"
GLOSSARY_PROTECTED_CACHE_KEY = "home:glossary:protected:v1"


@dataclass(frozen=True)
class ShownFigure:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class ShownCard:
    key: str
    template: str
    context: dict[str, Any]


def home_figures() -> list[ShownFigure]:
    """The key figures the apps registered (ptce.home_blocks), with their values."""
    return [ShownFigure(f.key, str(f.label), f.value()) for f in home_blocks.figures()]


def home_cards() -> list[ShownCard]:
    return [ShownCard(c.key, c.template, c.context()) for c in home_blocks.cards()]


def featured_organisations(*, limit: int) -> QuerySet[Organisation]:
    return members_selectors.featured_organisations(limit=limit)


def glossary_terms() -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.order_by("term")


def glossary_entries() -> list[Entry]:
    """Every term with its forms, cached until a term is saved or deleted."""
    entries = cache.get(GLOSSARY_CACHE_KEY)
    if entries is None:
        entries = [
            Entry(
                term=term.term,
                slug=term.slug,
                definition=term.definition,
                variants=tuple(term.variants),
                url=term.get_absolute_url(),
            )
            for term in glossary_terms()
        ]
        cache.set(GLOSSARY_CACHE_KEY, entries, timeout=None)
    return entries


def glossary_protected_phrases() -> tuple[str, ...]:
    """Names and addresses never annotated: the PTCE's (its name, its legal name,
    e.g. "Association PTCE Rives Solidaires") and its members' (cached until
    the content version changes: the identity or a structure saved)."""
    key = f"{GLOSSARY_PROTECTED_CACHE_KEY}:{content_version()}"
    phrases = cache.get(key)
    if phrases is None:
        identity = get_identity()
        names = Organisation.objects.filter(status=Organisation.Status.MEMBER)
        phrases = tuple(
            phrase
            for phrase in (
                identity.name,
                identity.legal_name,
                identity.territory,
                identity.address,
                *names.values_list("name", flat=True),
            )
            if phrase.strip()
        )
        cache.set(key, phrases, timeout=FRAGMENT_TIMEOUT)
    return phrases


def glossary_cache_clear() -> None:
    cache.delete(GLOSSARY_CACHE_KEY)


def glossary_by_letter() -> list[tuple[str, list[GlossaryTerm]]]:
    """Terms grouped under their initial (accents folded: "Économie" goes under E)."""
    groups: dict[str, list[GlossaryTerm]] = {}
    terms = sorted(glossary_terms(), key=lambda t: fold(t.term)[0])
    for term in terms:
        initial = fold(term.term[:1])[0].upper() or "#"
        groups.setdefault(initial if initial.isalpha() else "#", []).append(term)
    return sorted(groups.items())


@dataclass(frozen=True)
class SearchResult:
    page: Page
    excerpt: str


def search_pages(terms: list[str]):
    """Live, public site pages (home's types) holding every term (Wagtail search).

    `terms` come from ptce.search_providers.parse_terms: plain words, so nothing in them
    reads as the backend's query syntax (SQLite FTS5 quotes, PostgreSQL NUL bytes).
    """
    query = PlainText(" ".join(terms), operator="and")
    pages = Page.objects.live().public()
    # Page types another provider lists (news items) are found there, once.
    listed_elsewhere = page_types_listed_elsewhere()
    if listed_elsewhere:
        pages = pages.not_type(*listed_elsewhere)
    return pages.specific().search(query)


class _TextExtractor(HTMLParser):
    INLINE = frozenset(
        {
            "a",
            "abbr",
            "b",
            "code",
            "em",
            "i",
            "mark",
            "q",
            "s",
            "span",
            "strong",
            "sub",
            "sup",
            "u",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs=None):
        if tag not in self.INLINE:  # blocks and line breaks separate words
            self.parts.append(" ")

    handle_endtag = handle_starttag

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def search_result(page: Page) -> SearchResult:
    """A short excerpt of the page: its description, introduction or body."""
    text = (
        page.search_description
        or getattr(page, "introduction", "")
        or html_to_text(str(getattr(page, "body", "") or ""))
    )
    return SearchResult(
        page=page,
        excerpt=Truncator(" ".join(text.split())).words(40),
    )


# --- Navigation: the same for every visitor, so the layout may cache each as a whole


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def _cached(part: str, build, request=None) -> tuple[Link, ...]:
    """`build()`'s links, cached per language and content version (ptce.pagecache,
    in the process's memory too): a page published, moved or deleted, or the
    identity saved, makes a new version."""
    return versioned(
        request, ("home:navigation:v2", part, get_language()), lambda: (*build(),)
    )


def main_menu(request=None) -> tuple[Link, ...]:
    """The directory, then the home page's children marked "show in menus".

    The same for every visitor (cached; 3 queries when cold): the current page is
    marked by the template (`home_tags.main_menu`).
    """
    return _cached("menu", _main_menu, request)


def _main_menu() -> list[Link]:
    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    links = [Link(gettext("Member structures"), reverse("members:organisation_list"))]
    if site is not None:
        pages = site.root_page.get_children().live().public().in_menu()
        links += [Link(page.title, page.get_url()) for page in pages]
    return links


def footer_links(request=None) -> tuple[Link, ...]:
    """Legal pages, accessibility statement, contact, glossary, charter.

    Only pages set and published (never a dead link). Cached like the menu.
    """
    return _cached("footer", _footer_links, request)


def _footer_links() -> list[Link]:
    identity = get_identity()
    pages = [
        (identity.legal_notice_page, gettext("Legal notice")),
        (
            identity.accessibility_page,
            # RGAA asks for the compliance status right in the footer link.
            gettext("Accessibility: %(status)s")
            % {"status": identity.get_accessibility_status_display()},
        ),
        (identity.privacy_page, gettext("Personal data")),
    ]
    links, seen = [], set()
    for page, label in pages:
        if page is not None and page.live and page.pk not in seen:
            seen.add(page.pk)
            links.append(Link(label, page.get_url()))
    contact = ContactPage.objects.live().public().first()
    if contact is not None:
        links.append(Link(gettext("Contact"), contact.get_url()))
    links.append(Link(gettext("Glossary"), reverse("home:glossary")))
    if identity.charter_id:
        links.append(Link(gettext("PTCE charter"), identity.charter.url))
    return links


def breadcrumbs(page: Page, request=None) -> tuple[Link, ...]:
    """The page's ancestors below the site root, home first: 1 query, cached per
    content version (a move or a publish changes it)."""
    return versioned(
        request,
        ("home:breadcrumbs", page.pk, get_language()),
        lambda: _breadcrumbs(page),
        timeout=0 if getattr(request, "is_preview", False) else FRAGMENT_TIMEOUT,
    )


def _breadcrumbs(page: Page) -> tuple[Link, ...]:
    ancestors = page.get_ancestors().filter(depth__gt=1).specific(defer=True)
    return tuple(Link(ancestor.title, ancestor.get_url()) for ancestor in ancestors)
