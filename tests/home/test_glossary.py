from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.safestring import mark_safe

from home.glossary import Entry, annotate
from home.models import GlossaryTerm
from home.selectors import glossary_entries

pytestmark = pytest.mark.django_db


def entry(term: str, slug: str, definition: str = "Définition.", *synonyms: str):
    return Entry(term, slug, definition, (term, *synonyms), f"/glossaire/#{slug}")


ESS = entry("ESS", "ess", "Économie sociale et solidaire.", "économie sociale")
COOP = entry("coopération", "cooperation", "Travailler ensemble.")


def marked(html: str, slug: str) -> int:
    return html.count(f'href="/glossaire/#{slug}"')


def test_first_occurrence_only_is_marked_with_link_and_description():
    html = annotate("<p>L’ESS recrute. L’ESS forme.</p><p>ESS encore</p>", [ESS])
    assert marked(html, "ess") == 1
    link = re.search(
        r'<a class="glossary__term" href="/glossaire/#ess" '
        r'aria-describedby="([^"]+)">ESS</a>',
        html,
    )
    assert link, html
    # The description the link points to exists and holds the definition.
    assert f'id="{link.group(1)}" role="tooltip" hidden>' in html
    assert "Économie sociale et solidaire." in html
    assert html.endswith("L’ESS forme.</p><p>ESS encore</p>")


def test_terms_inside_links_headings_code_and_attributes_are_untouched():
    source = (
        '<h2>L’ESS en chiffres</h2><p><a href="/ess/">ESS</a> '
        '<img alt="ESS logo" src="/x.png"> <code>ESS</code></p>'
        '<p title="ESS">Texte sans le terme</p>'
    )
    html = annotate(source, [ESS])
    assert marked(html, "ess") == 0
    assert "<h2>L’ESS en chiffres</h2>" in html
    assert '<a href="/ess/">ESS</a>' in html
    assert 'alt="ESS logo"' in html and 'title="ESS"' in html
    # After the skipped elements, the first plain occurrence is the one marked.
    html = annotate(source + "<p>Vive l’ESS.</p>", [ESS])
    assert marked(html, "ess") == 1
    assert html.index("glossary__term") > html.index("Texte sans le terme")


def test_matching_ignores_case_and_accents_but_respects_word_boundaries():
    html = annotate("<p>Un ESSAI, puis la COOPERATION locale.</p>", [ESS, COOP])
    assert marked(html, "ess") == 0  # "ESSAI" is another word
    assert marked(html, "cooperation") == 1
    assert ">COOPERATION</a>" in html  # the text keeps its own spelling


def test_synonyms_mark_the_term_once_whichever_form_comes_first():
    html = annotate("<p>L’économie sociale, c’est l’ESS.</p>", [ESS])
    assert marked(html, "ess") == 1
    assert ">économie sociale</a>" in html


def test_output_is_escaped_and_cannot_inject_markup():
    evil = Entry(
        "ESS",
        "ess",
        '<script>alert(1)</script> & "quotes"',
        ("ESS",),
        '/glossaire/#ess" onmouseover="x',
    )
    html = annotate("<p>5 &lt; 6 &amp; ESS <b>gras</b></p>", [evil])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    assert 'onmouseover="x' not in html
    assert "5 &lt; 6 &amp; " in html
    assert "<b>gras</b>" in html


def test_tags_are_rebuilt_from_parsed_attributes():
    html = annotate(
        '<p data-x=\'a"b\' "onclick="x()">ESS<br/><span/></p><!-- -->', [ESS]
    )
    assert 'data-x="a&quot;b"' in html
    assert "onclick" not in html
    assert "<br />" in html and "<span></span>" in html
    assert "<!--" not in html


def test_template_filter_escapes_plain_strings_and_annotates_safe_html(settings):
    GlossaryTerm.objects.create(term="ESS", definition="Économie sociale.")
    template = Template("{% load glossary_tags %}{{ value|glossary }}")
    plain = template.render(Context({"value": "<em>ESS</em>"}))
    assert "<em>" not in plain and "&lt;em&gt;" in plain
    safe = template.render(Context({"value": mark_safe("<p>ESS</p>")}))
    assert '<a class="glossary__term" href="/glossaire/#ess"' in safe


def test_entries_are_cached_and_refreshed_when_a_term_changes(
    django_assert_num_queries,
):
    term = GlossaryTerm.objects.create(term="SCOP", definition="Coopérative.")
    assert [e.term for e in glossary_entries()] == ["SCOP"]
    with django_assert_num_queries(0):
        glossary_entries()
    term.definition = "Société coopérative et participative."
    term.save()
    assert glossary_entries()[0].definition == "Société coopérative et participative."
    term.delete()
    assert glossary_entries() == []


def test_glossary_page_lists_terms_alphabetically_with_anchors(client):
    for term in ("mutualisation", "Économie circulaire", "association"):
        GlossaryTerm.objects.create(term=term, definition=f"Sens de {term}.")
    response = client.get(reverse("home:glossary"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count("<h1>") == 1
    positions = [
        html.index(f'id="{slug}"')
        for slug in ("association", "economie-circulaire", "mutualisation")
    ]
    assert positions == sorted(positions)
    assert 'href="#lettre-e"' in html and 'id="lettre-e"' in html


def test_glossary_page_empty_state(client):
    response = client.get(reverse("home:glossary"))
    assert "empty-state" in response.content.decode()


def test_slug_is_derived_from_the_term():
    term = GlossaryTerm.objects.create(term="Société coopérative", definition="x")
    assert term.slug == "societe-cooperative"
    assert term.get_absolute_url() == "/glossaire/#societe-cooperative"


def test_terms_inside_addresses_are_untouched():
    ptce = entry("PTCE", "ptce", "Pôle territorial de coopération économique.")
    html = annotate(
        "<p>Écrivez à contact@demo.ptce.fr ou ptce@exemple.fr, voir www.ptce.fr/a.</p>",
        [ptce],
    )
    assert marked(html, "ptce") == 0
    html = annotate("<p>Bienvenue au PTCE. Le PTCE vous répond.</p>", [ptce])
    assert marked(html, "ptce") == 1  # before a full stop, as a word: still marked
