"""Members propose news from the site; référents co-sign from the site."""

from __future__ import annotations

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from news import services
from news.models import NewsPage
from news.selectors import cosign_task_states_for
from news.services import Submission
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def form_data(own, **overrides):
    data = {
        "title": "Atelier vélo",
        "introduction": "Réparer ensemble.",
        "body": "Un paragraphe.\n\nUn autre <script>alert(1)</script>.",
        "structure": own.pk,
        "tags": "vélo, réemploi",
    }
    data.update(overrides)
    return data


def png(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 10, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_visitors_are_sent_to_log_in_and_people_without_structure_refused(client):
    url = reverse("news:submit")
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_member_submits_with_image_and_the_news_waits_for_cosigning(
    client, news_index, member, structures, referents
):
    client.force_login(member)
    data = form_data(structures[0], cosigners=[structures[1].pk], image_alt="Un vélo")
    data["image"] = png()
    response = client.post(reverse("news:submit"), data)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    page = NewsPage.objects.get()
    assert not page.live and page.owner == member
    assert page.main_image.description == "Un vélo"
    assert "&lt;script&gt;" in str(page.body)
    content = client.get(reverse("news:submissions")).content.decode()
    assert "Atelier vélo" in content and "En attente de validation" in content
    # Not public anywhere.
    assert client.get(news_index.url).content.decode().count("Atelier vélo") == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"title": "x" * 100_000},
        {"tags": ",".join(f"t{n}" for n in range(11))},
        {"tags": "y" * 60},
        {"structure": "999999"},
        {"cosigners": ["999999"]},
    ],
)
def test_bad_input_gets_a_french_error_and_writes_nothing(
    client, news_index, member, structures, overrides
):
    client.force_login(member)
    response = client.post(
        reverse("news:submit"), form_data(structures[0], **overrides)
    )
    assert response.status_code == HTTPStatus.OK
    assert "error-summary" in response.content.decode()
    assert not NewsPage.objects.exists()


def test_nul_byte_is_refused_before_anything_is_written(
    client, news_index, member, structures
):
    client.force_login(member)
    response = client.post(
        reverse("news:submit"), form_data(structures[0], body="a\x00b")
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not NewsPage.objects.exists()


def test_structure_of_someone_else_is_refused(client, news_index, member, structures):
    client.force_login(member)
    response = client.post(reverse("news:submit"), form_data(structures[1]))
    assert response.status_code == HTTPStatus.OK
    assert not NewsPage.objects.exists()


def test_image_without_description_or_not_an_image_is_refused(
    client, news_index, member, structures
):
    client.force_login(member)
    data = form_data(structures[0])
    data["image"] = png()
    response = client.post(reverse("news:submit"), data)
    assert "Décrivez l’image" in response.content.decode()
    data = form_data(structures[0], image_alt="x")
    data["image"] = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", "image/png")
    response = client.post(reverse("news:submit"), data)
    assert response.status_code == HTTPStatus.OK
    assert not NewsPage.objects.exists()


def test_submission_needs_csrf(news_index, member, structures):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("news:submit"), form_data(structures[0]))
    assert response.status_code == HTTPStatus.FORBIDDEN


def _submit(member, structures, cosigners=()):
    return services.news_submit(
        by=member,
        submission=Submission(
            title="Proposition",
            introduction="Intro.",
            body="Texte.",
            structure=structures[0],
            cosigners=list(cosigners),
            tags=["vélo"],
        ),
    )


def test_referent_cosigns_from_the_site(
    client, news_index, member, structures, referents
):
    _submit(member, structures, [structures[1]])
    client.force_login(referents[0])
    content = client.get(reverse("news:cosign_list")).content.decode()
    assert "Proposition" in content
    (state,) = cosign_task_states_for(user=referents[0])
    url = reverse("news:cosign_review", args=[state.pk])
    assert "Texte." in client.get(url).content.decode()
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == HTTPStatus.FOUND
    assert cosign_task_states_for(user=referents[0]) == []
    assert len(cosign_task_states_for(user=referents[1])) == 1


def test_cosign_review_of_another_structure_is_not_shown(
    client, news_index, member, structures, referents
):
    _submit(member, structures, [structures[1]])
    (state,) = cosign_task_states_for(user=referents[0])
    url = reverse("news:cosign_review", args=[state.pk])
    for intruder in (member, referents[1]):
        client.force_login(intruder)
        response = client.post(url, {"decision": "approve"})
        assert response.status_code == HTTPStatus.FOUND  # told it is not theirs
        assert len(cosign_task_states_for(user=referents[0])) == 1
    assert client.get(reverse("news:cosign_review", args=[999999])).status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_rejection_then_correction_from_the_site(
    client, news_index, member, structures, referents
):
    page = _submit(member, structures)
    (state,) = cosign_task_states_for(user=referents[0])
    client.force_login(referents[0])
    url = reverse("news:cosign_review", args=[state.pk])
    response = client.post(url, {"decision": "reject", "comment": ""})
    assert response.status_code == HTTPStatus.OK  # a comment is required
    client.post(url, {"decision": "reject", "comment": "Ajoutez les horaires."})

    client.force_login(member)
    content = client.get(reverse("news:submissions")).content.decode()
    assert "Ajoutez les horaires." in content
    edit = reverse("news:submission_edit", args=[page.pk])
    content = client.get(edit).content.decode()
    assert "Ajoutez les horaires." in content and "Texte." in content
    response = client.post(edit, form_data(structures[0], body="Le mercredi, 14 h."))
    assert response.status_code == HTTPStatus.FOUND
    (state,) = cosign_task_states_for(user=referents[0])
    assert "14 h" in str(state.revision.as_object().body)
    # Under review again: no more edits until a decision.
    assert client.get(edit).status_code == HTTPStatus.FOUND


def test_nobody_else_edits_a_submission(
    client, news_index, member, structures, referents
):
    page = _submit(member, structures)
    client.force_login(referents[0])
    url = reverse("news:submission_edit", args=[page.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert (
        client.post(url, form_data(structures[0])).status_code == HTTPStatus.NOT_FOUND
    )


def test_member_pages_query_counts(
    client, news_index, member, structures, referents, django_assert_max_num_queries
):
    for _ in range(3):
        _submit(member, structures)
    client.force_login(member)
    # Cold caches: +2 for the news feeds' links in every page's head (the news
    # index and its URL), then cached per content version like the menu.
    with django_assert_max_num_queries(18):
        client.get(reverse("news:submissions"))


def test_cosign_pages_query_counts_do_not_grow(
    client, news_index, structures, referents, member
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> tuple[int, int]:
        client.force_login(referents[0])
        (first, *_) = cosign_task_states_for(user=referents[0])
        lengths = []
        for url in (
            reverse("news:cosign_list"),
            reverse("news:cosign_review", args=[first.pk]),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == HTTPStatus.OK
            lengths.append(len(queries))
        return tuple(lengths)

    _submit(member, structures, [structures[1]])
    counts()  # warm the per-process caches (identity, menu, header)
    few = counts()
    for _ in range(6):
        _submit(member, structures, [structures[1], structures[2]])
    # Steps waiting for another structure are read too, and cost nothing more.
    for state in cosign_task_states_for(user=referents[0])[:3]:
        services.cosign_approve(task_state=state, by=referents[0])
    assert len(cosign_task_states_for(user=referents[0])) == 4
    assert len(cosign_task_states_for(user=referents[1])) == 3
    counts()  # the content changed: warm the shared fragments again
    assert counts() == few
    assert max(few) <= 20, few
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("news:submit")).status_code == HTTPStatus.OK
    assert len(queries) <= 15
