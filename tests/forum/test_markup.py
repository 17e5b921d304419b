"""The renderer: every documented shortcut renders as documented; nothing hostile
ever yields executable markup (script, event handlers, dangerous URLs, styles)."""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.markup import link_count, plain_text, render

REL = 'rel="nofollow ugc noopener"'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{gras}}", "<p><strong>gras</strong></p>"),
        ("{italique}", "<p><em>italique</em></p>"),
        (
            "[texte->https://exemple.fr/a?b=1&c=2]",
            f'<p><a href="https://exemple.fr/a?b=1&amp;c=2" {REL}>texte</a></p>',
        ),
        (
            "[->http://exemple.fr]",
            f'<p><a href="http://exemple.fr" {REL}>http://exemple.fr</a></p>',
        ),
        (
            "[écrire->mailto:contact@exemple.fr]",
            f'<p><a href="mailto:contact@exemple.fr" {REL}>écrire</a></p>',
        ),
        ("<quote>cité</quote>", "<blockquote><p>cité</p></blockquote>"),
        ("<code>{{brut}} <b></code>", "<p><code>{{brut}} &lt;b&gt;</code></p>"),
        ("<code>ligne 1\nligne 2</code>", "<pre><code>ligne 1\nligne 2</code></pre>"),
        (
            "<q>dit</q> <del>non</del> <ins>oui</ins>",
            "<p><q>dit</q> <del>non</del> <ins>oui</ins></p>",
        ),
        ("un\n\ndeux\n \n\ntrois", "<p>un</p><p>deux</p><p>trois</p>"),
        ("ligne\nsuite", "<p>ligne<br>suite</p>"),
        (
            "{{gras {et italique}}}",
            "<p><strong>gras <em>et italique</em></strong>}</p>",
        ),
        (
            "<quote>a\n\nb</quote>\n\nc",
            "<blockquote><p>a</p><p>b</p></blockquote><p>c</p>",
        ),
        ("<QUOTE>maj</QUOTE>", "<blockquote><p>maj</p></blockquote>"),
    ],
)
def test_every_shortcut_renders_as_documented(source, expected):
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{ouvert", "<p>{ouvert</p>"),
        ("fermé}", "<p>fermé}</p>"),
        ("{{a {b}} c", "<p><strong>a <em>b</em></strong> c</p>"),
        ("</quote>seul", "<p>&lt;/quote&gt;seul</p>"),
        ("<code>jamais fermé", "<p>&lt;code&gt;jamais fermé</p>"),
        ("<q>x</del>", "<p>&lt;q&gt;x&lt;/del&gt;</p>"),
        ("<quote>pas fermé", "<blockquote><p>pas fermé</p></blockquote>"),
        ("{{\n\n}}", "<p>{{</p><p>}}</p>"),
    ],
)
def test_broken_nesting_is_repaired_or_shown_as_text(source, expected):
    assert render(source) == expected


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[clic->javascript:alert(1)]",
    "[clic->JaVaScRiPt:alert(1)]",
    "[clic-> javascript:alert(1)]",
    "[clic->java\tscript:alert(1)]",
    "[clic->data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==]",
    "[clic->vbscript:msgbox(1)]",
    "[clic->//evil.example]",
    '[x->https://a.fr" onmouseover="alert(1)]',
    "[x->https://a.fr'onmouseover='alert(1)]",
    "<q onclick=alert(1)>x</q>",
    "<q style=x:expression(alert(1))>x</q>",
    '<del style="background:url(javascript:alert(1))">x</del>',
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "[x->https://a.fr/%22%3E%3Cscript%3Ealert(1)%3C/script%3E]",
    "[x->javascript&#58;alert(1)]",
    "[x->jav&#x09;ascript:alert(1)]",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "<iframe src=javascript:alert(1)></iframe>",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<div style='width: expression(alert(1))'>x</div>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<quote><script>alert(1)</script></quote>",
    "<code></code><script>alert(1)</script>",
    "{{<script>}}alert(1){{</script>}}",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "[<img src=x onerror=alert(1)>->https://a.fr]",
    "\u202e[txet->https://evil.example]\u202c",
    "[clic->java\u200bscript:alert(1)]",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "[clic->https://evil.example\x00.fr]",
    "<q>\x00<script>alert(1)</script></q>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<base href=javascript:alert(1)//>",
    "<object data=data:text/html,<script>alert(1)</script>></object>",
    "<a href=&#106;avascript:alert(1)>x</a>",
]

ALLOWED = {
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


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the output."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)


def assert_inert(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    assert not parser.comments, html
    for tag, attrs in parser.elements:
        assert tag in ALLOWED, html
        names = {name for name, _value in attrs}
        if tag == "a":
            assert names == {"href", "rel"}, html
            values = dict(attrs)
            assert values["rel"] == "nofollow ugc noopener"
            href = values["href"] or ""
            # The browser's view of the URL: entities decoded, as parsed above.
            assert re.match(r"^(https?://|mailto:)", href, re.IGNORECASE), html
            assert not re.search(r"[\x00-\x20\"'<>`]", href), html
        else:
            assert not names, html


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_never_yields_executable_markup(source):
    html = render(source)
    assert_inert(html)


def test_hostile_text_is_shown_not_dropped():
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render(
        "<script>alert(1)</script>"
    )


def test_invisible_characters_are_removed():
    html = render("\u202e[txet->https://evil.example]\u202c")
    assert "\u202e" not in html and "\u202c" not in html
    assert render("a\x00b") == "<p>ab</p>"


def test_plain_text_and_link_count():
    assert plain_text(render("{{Bonjour}} <q>toi</q> &amp; [lien->https://a.fr]")) == (
        "Bonjour toi &amp; lien"
    )
    assert link_count("[a->https://a.fr] [b->https://b.fr] https://c.fr") == 3
    assert link_count("rien") == 0


SHORTCUT_PIECES = st.sampled_from(
    [
        "{{",
        "}}",
        "{",
        "}",
        "[",
        "]",
        "->",
        "<quote>",
        "</quote>",
        "<code>",
        "</code>",
        "<q>",
        "</q>",
        "<del>",
        "</del>",
        "<ins>",
        "</ins>",
        "<",
        ">",
        '"',
        "'",
        "&",
        "&#",
        ";",
        "javascript:",
        "data:",
        "http://a.fr",
        "https://",
        "mailto:",
        "on",
        "=",
        "script",
        "svg",
        "style",
        "\n",
        "\n\n",
        " ",
        "x",
        "é",
        "\u202e",
        "\x00",
        "%3C",
        "expression(",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SHORTCUT_PIECES, max_size=40).map("".join))
def test_random_shortcut_soup_is_always_inert(source):
    assert_inert(render(source))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_is_always_inert(source):
    assert_inert(render(source))


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cf")),
        min_size=1,
        max_size=30,
    ).filter(lambda s: s.strip() and not set(s) & set("{}[]<>&\"'-"))
)
def test_bold_and_italic_keep_any_plain_words(words):
    # nh3 writes a no-break space as &nbsp;: compare what the reader sees.
    words = unicodedata.normalize("NFC", words)  # the renderer's own normalisation
    assert unescape(render("{{" + words + "}}")) == f"<p><strong>{words}</strong></p>"
    assert unescape(render("{" + words + "}")) == f"<p><em>{words}</em></p>"
