"""Inline glossary: mark the first occurrence of each glossary term in a page's HTML.

The HTML is parsed with the standard library's html.parser and written back token by
token: text is always re-escaped and tags are rebuilt from their parsed attributes, so
a term or a definition can never inject markup, and attributes are never rewritten.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

from django.utils.translation import gettext

# Text inside these elements is left alone: a term in a link would nest interactive
# content, in a heading it would clutter the outline, in code it would change meaning.
SKIPPED_ELEMENTS = frozenset(
    {
        "a",
        "abbr",
        "address",
        "button",
        "code",
        "dfn",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "kbd",
        "label",
        "option",
        "pre",
        "samp",
        "script",
        "select",
        "style",
        "textarea",
        "title",
    }
)
RAW_TEXT_ELEMENTS = frozenset({"script", "style"})
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


# Attribute names are copied through; anything unusual is dropped, never guessed at.
SAFE_ATTRIBUTE_NAME = re.compile(r"^[a-zA-Z_:][-a-zA-Z0-9_:.]*$")


@dataclass(frozen=True)
class Entry:
    term: str
    slug: str
    definition: str
    variants: tuple[str, ...]
    url: str


def _fold_char(char: str) -> str:
    """Lower-case, accent-free form of one character (may be empty or longer)."""
    if char in "\u2019\u02bc":
        return "'"
    if char == "\xa0":
        return " "
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text: str) -> tuple[str, list[int]]:
    """Folded text, and for each folded character the index of its source character."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in _fold_char(char):
            folded.append(part)
            origin.append(index)
    return "".join(folded), origin


@lru_cache(maxsize=32)
def _compile(variants: tuple[str, ...]) -> re.Pattern[str] | None:
    forms = sorted({fold(v)[0] for v in variants if v.strip()}, key=len, reverse=True)
    if not forms:
        return None
    alternation = "|".join(re.escape(form) for form in forms)
    # A whole word, and never a piece of an address: not after "@", "." or "/", not
    # before "@" or a ".xx" (contact@demo.ptce.fr, www.ptce.fr); a full stop that ends
    # the sentence is fine.
    return re.compile(rf"(?<![\w@./])(?:{alternation})(?!\w)(?!\.\w)(?!@)")


def _inside(found: tuple[int, int], fence: tuple[int, int]) -> bool:
    """The term overlaps a longer protected phrase (a name that is the term alone,
    like a PTCE called "PTCE", protects nothing)."""
    (start, end), (a, b) = found, fence
    return a < end and start < b and (b - a) > (end - start)


class _Annotator(HTMLParser):
    def __init__(
        self, entries: list[Entry], suffix: str, protected: tuple[str, ...] = ()
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.suffix = suffix
        self.protected = _compile(protected)
        self.by_form: dict[str, Entry] = {}
        for entry in entries:
            for variant in entry.variants:
                self.by_form.setdefault(fold(variant)[0], entry)
        self.pattern = _compile(tuple(self.by_form))
        self.done: set[str] = set()
        self.skip_depth = 0
        self.raw_depth = 0
        self.out: list[str] = []

    # --- tags are rebuilt, never copied ---------------------------------------
    @staticmethod
    def _tag(tag: str, attrs: list[tuple[str, str | None]], close: str = ">") -> str:
        parts = [tag]
        for name, value in attrs:
            if not SAFE_ATTRIBUTE_NAME.match(name):
                continue
            parts.append(name if value is None else f'{name}="{escape(value)}"')
        return "<" + " ".join(parts) + close

    def handle_starttag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs))
        if tag in VOID_ELEMENTS:
            return
        if tag in SKIPPED_ELEMENTS:
            self.skip_depth += 1
        if tag in RAW_TEXT_ELEMENTS:
            self.raw_depth += 1

    def handle_startendtag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            self.out.append(self._tag(tag, attrs, " />"))
        else:  # "<span/>" is an open tag in HTML: close it so the tree stays balanced
            self.out.append(self._tag(tag, attrs) + f"</{tag}>")

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.out.append(f"</{tag}>")
        if tag in SKIPPED_ELEMENTS and self.skip_depth:
            self.skip_depth -= 1
        if tag in RAW_TEXT_ELEMENTS and self.raw_depth:
            self.raw_depth -= 1

    def handle_comment(self, data):
        # Comments carry nothing for readers; dropping them avoids re-emitting "-->".
        return

    # --- text ---------------------------------------------------------------
    def handle_data(self, data):
        if self.raw_depth:
            self.out.append(data)
        elif self.skip_depth or self.pattern is None:
            self.out.append(escape(data, quote=False))
        else:
            self.out.append(self._annotate(data))

    def _annotate(self, text: str) -> str:
        folded, origin = fold(text)
        pieces: list[str] = []
        cursor = 0
        # Names and addresses are proper nouns, not prose: "PTCE Rives Solidaires" or
        # "rue de la Coopération" hold terms that must not be defined there.
        fenced = (
            [m.span() for m in self.protected.finditer(folded)]
            if (self.protected)
            else []
        )
        for match in self.pattern.finditer(folded):
            entry = self.by_form[match.group(0)]
            if entry.slug in self.done:
                continue
            if any(_inside(match.span(), span) for span in fenced):
                continue
            self.done.add(entry.slug)
            start = origin[match.start()]
            end = origin[match.end() - 1] + 1
            pieces.append(escape(text[cursor:start], quote=False))
            pieces.append(self._markup(entry, text[start:end]))
            cursor = end
        pieces.append(escape(text[cursor:], quote=False))
        return "".join(pieces)

    def _markup(self, entry: Entry, shown: str) -> str:
        # Without JavaScript: a link to the glossary, whose description (read by
        # screen readers on focus) is the definition. glossary.js adds a toggle button.
        dom_id = f"glossaire-{entry.slug}-{self.suffix}"
        label = gettext("Definition of “%(term)s”") % {"term": entry.term}
        return (
            f'<span class="glossary" data-toggle-label="{escape(label)}">'
            f'<a class="glossary__term" href="{escape(entry.url)}" '
            f'aria-describedby="{escape(dom_id)}">{escape(shown, quote=False)}</a>'
            f'<span class="glossary__definition" id="{escape(dom_id)}" role="tooltip" '
            f"hidden><strong>{escape(entry.term, quote=False)}</strong> : "
            f"{escape(entry.definition, quote=False)}</span></span>"
        )


def annotate(html: str, entries: list[Entry], protected: tuple[str, ...] = ()) -> str:
    """Return `html` with the first occurrence of each entry's term marked up.

    `html` must already be safe HTML (e.g. the output of the richtext filter). Terms
    inside headings, links, `<address>` and the `protected` phrases (names, postal
    addresses) are left alone: definitions belong in prose.
    """
    if not entries or not html:
        return html
    # A per-call suffix keeps ids unique when a template annotates several fields.
    parser = _Annotator(entries, suffix=secrets.token_hex(3), protected=protected)
    parser.feed(str(html))
    parser.close()
    return "".join(parser.out)
