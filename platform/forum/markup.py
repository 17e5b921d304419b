"""The forum's markup: the SPIP shortcuts of the source site, and nothing else.

Accepted: `[texte->url]`, `[->url]`, `{{gras}}`, `{italique}`, `<quote>`, `<code>`,
the HTML `<q> <del> <ins>` (bare, without attributes), blank lines for paragraphs.
Everything else is text: the renderer escapes every character it does not recognise,
so it never emits markup it did not build itself. Its output then goes through nh3
with an allow-list, as a second wall should the renderer ever have a bug.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

MAX_QUOTE_DEPTH = 8
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "q",
    "del",
    "ins",
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

# Characters that hide or reorder text (bidi overrides, zero-width joiners used to
# disguise a link) and C0/C1 controls other than tab and newline.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ue000-\uf8ff]"
)
_BLOCK_TOKEN = re.compile(r"<code>(.*?)</code>|<(/?)quote>", re.IGNORECASE | re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_URL = re.compile(r"^(?:https?://[^\s/?#]+[^\s]*|mailto:[^\s@]+@[^\s@]+)$", re.I)
_INLINE = re.compile(
    r"(?P<link>\[(?P<text>[^\[\]\n]*?)->(?P<url>[^\[\]\s<>\"'`]+)\])"
    r"|(?P<tag><(?P<close>/?)(?P<name>q|del|ins)>)"
    r"|(?P<bold_open>\{\{)|(?P<bold_close>\}\})"
    r"|(?P<em_open>\{)|(?P<em_close>\})"
    r"|(?P<code>\ue000(?P<index>\d+)\ue001)",
    re.IGNORECASE,
)
_HTML_TAG = {"bold": "strong", "em": "em", "q": "q", "del": "del", "ins": "ins"}


def clean_source(source: str) -> str:
    """The text as stored: newlines normalised, invisible and control chars gone."""
    text = unicodedata.normalize("NFC", str(source or ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text)


def render(source: str) -> str:
    """Safe HTML for `source`; call again whenever the source changes."""
    text = clean_source(source).strip()
    if not text:
        return ""
    html_out = _render_blocks(_parse_blocks(text))
    return sanitise(html_out)


def sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes=ALLOWED_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def link_count(source: str) -> int:
    """How many links `source` makes (the limit on visitors' posts)."""
    text = clean_source(source)
    shortcuts = sum(1 for m in _INLINE.finditer(text) if m.group("link"))
    bare = len(re.findall(r"https?://|www\.", text, re.IGNORECASE))
    return max(shortcuts, bare)


def plain_text(rendered: str) -> str:
    """The words of rendered HTML, for search and e-mail excerpts."""
    text = nh3.clean(rendered, tags=set())
    return " ".join(html.unescape(text).split())


# --- blocks: <quote> and <code> ---------------------------------------------------
def _parse_blocks(text: str) -> list:
    root: list = []
    stack = [root]
    position = 0
    for match in _BLOCK_TOKEN.finditer(text):
        stack[-1].append(("text", text[position : match.start()]))
        position = match.end()
        if match.group(1) is not None:
            stack[-1].append(("code", match.group(1)))
        elif match.group(2):  # </quote>
            if len(stack) > 1:
                stack.pop()
            else:
                stack[-1].append(("text", match.group(0)))  # stray: shown as text
        elif len(stack) <= MAX_QUOTE_DEPTH:
            quote: list = []
            stack[-1].append(("quote", quote))
            stack.append(quote)
        else:
            stack[-1].append(("text", match.group(0)))
    stack[-1].append(("text", text[position:]))
    return root


def _render_blocks(items: list) -> str:
    out: list[str] = []
    run: list[str] = []
    codes: list[str] = []

    def flush() -> None:
        if run:
            out.append(_render_paragraphs("".join(run), codes))
            run.clear()

    for kind, value in items:
        if kind == "text":
            run.append(value)
        elif kind == "code" and "\n" in value.strip("\n"):
            flush()
            out.append(f"<pre><code>{html.escape(value.strip(chr(10)))}</code></pre>")
        elif kind == "code":
            run.append(f"\ue000{len(codes)}\ue001")
            codes.append(value)
        else:  # quote
            flush()
            out.append(f"<blockquote>{_render_blocks(value)}</blockquote>")
    flush()
    return "".join(out)


def _render_paragraphs(text: str, codes: list[str]) -> str:
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text)]
    return "".join(f"<p>{_render_inline(p, codes)}</p>" for p in paragraphs if p)


# --- inline: links, bold, italics, <q> <del> <ins> --------------------------------
def _render_inline(text: str, codes: list[str]) -> str:
    out: list[str] = []
    stack: list[tuple[str, int, str]] = []  # (kind, index of its opening in out, raw)
    position = 0
    for match in _INLINE.finditer(text):
        out.append(_text(text[position : match.start()]))
        position = match.end()
        raw = match.group(0)
        if match.group("link"):
            out.append(_link(match.group("text"), match.group("url"), raw))
        elif match.group("code"):
            index = int(match.group("index"))
            out.append(f"<code>{html.escape(codes[index])}</code>")
        else:
            kind, closing = _kind(match)
            if closing:
                out.append(_close(kind, stack, raw))
            else:
                stack.append((kind, len(out), raw))
                out.append(f"<{_HTML_TAG[kind]}>")
    out.append(_text(text[position:]))
    # What was opened and never closed is shown as typed, not as formatting.
    for _kind_name, index, raw in stack:
        out[index] = html.escape(raw)
    return "".join(out)


def _kind(match: re.Match) -> tuple[str, bool]:
    if match.group("tag"):
        return match.group("name").lower(), bool(match.group("close"))
    if match.group("bold_open") or match.group("bold_close"):
        return "bold", bool(match.group("bold_close"))
    return "em", bool(match.group("em_close"))


def _close(kind: str, stack: list, raw: str) -> str:
    """Close `kind` and whatever was opened inside it; a stray closing is text."""
    depth = next(
        (i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == kind), None
    )
    if depth is None:
        return html.escape(raw)
    closed = stack[depth:]
    del stack[depth:]
    return "".join(f"</{_HTML_TAG[k]}>" for k, _i, _r in reversed(closed))


def _text(fragment: str) -> str:
    return html.escape(fragment).replace("\n", "<br>")


def _link(label: str, url: str, raw: str) -> str:
    url = url.strip()
    if not _URL.match(url):
        return html.escape(raw)
    shown = label.strip() or url
    return f'<a href="{html.escape(url)}">{html.escape(shown)}</a>'
