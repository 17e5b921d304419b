"""Correcting a proposal from the site never loses a block of its body: headings
and plain paragraphs are edited in place, every other block is kept as it is."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model

from news import services
from news.models import NewsPage
from news.selectors import cosign_task_states_for
from news.services import Submission, body_parts, corrected_body
from tests.news.conftest import make_image

pytestmark = pytest.mark.django_db

RICH = '<p>Voir <a href="https://example.org/">le site</a> et <b>venez</b>.</p>'


@pytest.fixture
def sent_back(news_index, member, structures, referents):
    """A proposal the coordination enriched, then sent back to its author."""
    page = services.news_submit(
        by=member,
        submission=Submission(
            title="Portes ouvertes",
            introduction="Venez.",
            body="Texte.",
            structure=structures[0],
        ),
    )
    image = make_image("Atelier")
    document = get_document_model().objects.create(
        title="Programme", file=ContentFile(b"%PDF-1.4 programme", name="prog.pdf")
    )
    draft = page.get_latest_revision_as_object()
    draft.body = [
        ("heading", {"text": "Le programme", "level": "h3"}),
        ("paragraph", "<p>Texte.</p>"),
        (
            "figure",
            {
                "image": {"image": image, "decorative": False, "alt_text": "Un vélo"},
                "caption": "L’atelier",
            },
        ),
        ("quote", {"quote": "Réparer, c’est résister.", "attribution": "Inès"}),
        ("paragraph", RICH),
        ("document", {"document": document, "title": ""}),
        ("page", {"page": news_index, "text": ""}),
    ]
    draft.save_revision()
    (state,) = cosign_task_states_for(user=referents[0])
    services.cosign_reject(task_state=state, by=referents[0], comment="La date ?")
    return page, image, document


def latest_body(page):
    return NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object().body


def test_the_form_edits_text_blocks_in_place_and_keeps_the_others(
    client, sent_back, member, structures, news_index
):
    page, image, document = sent_back
    before = latest_body(page)
    heading, paragraph, figure, quote, rich, doc, card = (b.id for b in before)
    client.force_login(member)
    edit = reverse("news:submission_edit", args=[page.pk])
    html = client.get(edit).content.decode()
    assert f'name="corps-{heading}"' in html and f'name="corps-{paragraph}"' in html
    for kept in (figure, quote, rich, doc, card):
        assert f'name="corps-{kept}"' not in html
    assert "Réparer, c’est résister." in html  # kept blocks are shown as they are
    assert "le site</a>" in html

    response = client.post(
        edit,
        {
            "title": "Portes ouvertes samedi",
            "introduction": "Venez samedi.",
            "structure": structures[0].pk,
            "tags": "",
            f"corps-{heading}": "Le programme du samedi",
            f"corps-{paragraph}": "Samedi à 14 h.\n\nEntrée libre.",
            "body": "Un paragraphe ajouté.",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()
    body = latest_body(page)
    assert [b.block_type for b in body] == [
        "heading",
        "paragraph",
        "paragraph",
        "figure",
        "quote",
        "paragraph",
        "document",
        "page",
        "paragraph",
    ]
    assert body[0].value["text"] == "Le programme du samedi"
    assert body[0].value["level"] == "h3"
    assert "Samedi à 14 h." in body[1].value.source
    assert "Entrée libre." in body[2].value.source
    assert body[3].value["image"].pk == image.pk
    assert body[3].value["image"].contextual_alt_text == "Un vélo"
    assert body[3].value["caption"] == "L’atelier"
    assert body[4].value["quote"] == "Réparer, c’est résister."
    assert body[5].value.source == RICH
    assert body[6].value["document"].pk == document.pk
    assert body[7].value["page"].pk == news_index.pk
    assert "Un paragraphe ajouté." in body[8].value.source
    # Blocks kept keep their identity too.
    assert [b.id for b in body][3:8] == [figure, quote, rich, doc, card]


def test_the_service_only_touches_the_text_blocks_it_is_given(sent_back):
    page, _image, _document = sent_back
    before = latest_body(page)
    heading, paragraph, _figure, quote, rich, *_ = (b.id for b in before)
    parts = body_parts(before)
    assert [p.editable for p in parts] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    after = corrected_body(
        before,
        {
            paragraph: "",  # emptied: this paragraph goes
            heading: "Le programme",  # unchanged: kept exactly
            quote: "Remplacée ?",  # not a text block: ignored
            rich: "Sans mise en forme ?",  # formatted: ignored
        },
        "",
    )
    assert [b.block_type for b in after] == [
        b.block_type for b in before if b.id != paragraph
    ]
    assert after[0] is before[0]
    assert after[2].value["quote"] == "Réparer, c’est résister."
    assert after[3].value.source == RICH


def test_a_form_sent_without_the_block_fields_loses_nothing(
    client, sent_back, member, structures
):
    page, _image, _document = sent_back
    before = [(b.block_type, b.id) for b in latest_body(page)]
    client.force_login(member)
    response = client.post(
        reverse("news:submission_edit", args=[page.pk]),
        {
            "title": "Portes ouvertes",
            "introduction": "Venez.",
            "structure": structures[0].pk,
            "body": "",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert [(b.block_type, b.id) for b in latest_body(page)] == before
