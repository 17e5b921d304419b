"""Every news and forum page, asked for in French, says nothing in English: the
visible text and the labels read by screen readers (aria-label, title, alt,
placeholder, button values) are looked at for English words."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from forum import services as forum_services
from members.permissions import COORDINATORS_GROUP, MODERATORS_GROUP
from news import services
from news.selectors import cosign_task_states_for
from news.services import Submission
from tests.factories import UserFactory
from tests.forum.factories import ForumFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

# Words that are English and never French (nor names of our demo data).
ENGLISH = set(
    """
    the and your you with this that from submit thread threads reply replies post
    posts news item items approve approved reject rejected flag flagged flags suspend
    suspended waiting edit edited save send search previous next more none cancel
    delete follow unfollow pending moderate moderator moderators queue close closed
    pin pinned move preview quote since until reason reasons tags print share back
    home skip content log out sign read older newer latest feed all archive month
    published posted by of to
    """.split()
)
SPOKEN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        attrs = dict(attrs)
        for name in SPOKEN_ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_words(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    # The forum's notice quotes the markup it accepts: « <quote> <code> ».
    text = re.sub(r"<(quote|code|q|del|ins)>", " ", text)
    words = re.findall(r"[A-Za-z]+", text)
    return sorted({w for w in words if w.lower() in ENGLISH and w != w.upper()})


@pytest.fixture
def people(structures, referents, member):
    moderator = UserFactory(first_name="Modé", last_name="Ratrice")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    coordinator = UserFactory(first_name="Coordi", last_name="Nation")
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    return {"member": member, "moderator": moderator, "coordinator": coordinator}


@pytest.fixture
def urls(news_index, make_news, structures, referents, people):
    member, moderator = people["member"], people["moderator"]
    page = make_news("Portes ouvertes", tags=("réemploi",), cosigners=structures[:2])
    proposal = services.news_submit(
        by=member,
        submission=Submission(
            title="Proposition",
            introduction="Intro.",
            body="Texte.",
            structure=structures[0],
            cosigners=[structures[1]],
        ),
    )
    (state,) = cosign_task_states_for(user=referents[0])
    services.cosign_reject(task_state=state, by=referents[0], comment="La date ?")
    services.news_submit(  # waiting for its co-signers: listed in my submissions
        by=member,
        submission=Submission(
            title="Autre proposition",
            introduction="Intro.",
            body="Texte.",
            structure=structures[0],
        ),
    )
    forum = ForumFactory(title="Mutualisation", slug="mutualisation")
    thread = ThreadFactory(forum=forum, author=member, title="Salle à prêter")
    published = PostFactory(thread=thread, author=member, body="Bonjour à tous.")
    PostFactory(thread=thread, author=member, body="En attente.", status="pending")
    forum_services.post_flag(
        post=published, by=people["coordinator"], reason="Hors sujet"
    )
    return [
        (None, news_index.url),
        (None, news_index.url + news_index.reverse_subpage("archive")),
        (None, page.url),
        (None, page.url + "impression/"),
        (member, reverse("news:submit")),
        (member, reverse("news:submissions")),
        (member, reverse("news:submission_edit", args=[proposal.pk])),
        (referents[0], reverse("news:cosign_list")),
        (None, reverse("forum:forum_index")),
        (None, reverse("forum:forum_detail", args=[forum.slug])),
        (None, reverse("forum:thread_detail", args=[thread.pk])),
        (member, reverse("forum:thread_detail", args=[thread.pk])),
        (member, reverse("forum:thread_create", args=[forum.slug])),
        (member, reverse("forum:post_edit", args=[published.pk])),
        (referents[2], reverse("forum:post_flag", args=[published.pk])),
        (moderator, reverse("forum:queue")),
        (moderator, reverse("forum:queue_item", args=[published.pk])),
        (moderator, reverse("forum:thread_detail", args=[thread.pk])),
        (moderator, reverse("forum:suspend", args=[member.pk])),
        (people["coordinator"], reverse("forum:metrics")),
        (people["coordinator"], reverse("forum:delegation", args=[forum.slug])),
    ]


def test_news_and_forum_pages_in_french_have_no_english_left(client, urls):
    found = {}
    for person, url in urls:
        client.logout()
        if person is not None:
            client.force_login(person)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == HTTPStatus.OK, (url, response.status_code)
        words = english_words(response.content.decode())
        if words:
            found[url] = words
    assert not found, found


def test_the_check_finds_english():
    assert english_words("<p>Reply to this post</p>") == ["Reply", "post", "this", "to"]
    assert english_words('<button aria-label="Close">×</button>') == ["Close"]
    assert english_words("<p>Répondre à ce message</p>") == []
