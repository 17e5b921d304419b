from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site

from members.models import Membership
from members.permissions import COORDINATORS_GROUP
from news.models import NewsIndexPage, NewsPage, NewsPageStructure
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def home(db):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def news_index(home):
    index = NewsIndexPage(
        title="Actualités", slug="actualites", introduction="Du pôle."
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_image(title: str = "Photo", colour=(11, 93, 75)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 36), colour).save(buffer, format="PNG")
    image = get_image_model()(
        title=title,
        file=ImageFile(buffer, name=f"{title}.png"),
        description=f"Description de {title}",
    )
    image.save()
    return image


@pytest.fixture
def make_news(news_index):
    counter = {"n": 0}

    def make(
        title: str | None = None,
        *,
        tags: tuple[str, ...] = (),
        cosigners=(),
        published: dt.datetime | None = None,
        live: bool = True,
        image: bool = False,
        body=None,
        owner=None,
    ) -> NewsPage:
        counter["n"] += 1
        title = title or f"Actualité {counter['n']}"
        page = NewsPage(
            title=title,
            slug=f"actualite-{counter['n']}",
            introduction=f"Introduction de {title}.",
            body=body or [("paragraph", "<p>Le corps du texte sur l’ESS.</p>")],
            live=False,
            owner=owner,
        )
        if image:
            page.main_image = make_image(title)
        page.tags.add(*tags)
        news_index.add_child(instance=page)
        revision = page.save_revision(user=owner)
        if live:
            revision.publish()
            page.refresh_from_db()
        # Co-signers added to the stored page, as if their approval had been given
        # (the workflow tests go through the real approvals).
        NewsPageStructure.objects.bulk_create(
            NewsPageStructure(page=page, organisation=o, sort_order=i)
            for i, o in enumerate(cosigners)
        )
        if live:
            if published:
                NewsPage.objects.filter(pk=page.pk).update(
                    first_published_at=published, last_published_at=published
                )
                page.refresh_from_db()
        return page

    return make


@pytest.fixture
def coordinator(db):
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def structures(db):
    return [OrganisationFactory(name=f"Structure {n}") for n in ("A", "B", "C")]


@pytest.fixture
def referents(structures):
    return [
        MembershipFactory(organisation=o, role=Membership.Role.REFERENT).user
        for o in structures
    ]


@pytest.fixture
def member(structures):
    return MembershipFactory(organisation=structures[0]).user
