from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from members.demo import REFERENT_EMAIL
from members.models import User
from news.models import CosignApproval, NewsPage
from news.selectors import cosign_task_states_for, published_news

pytestmark = pytest.mark.django_db


def test_demo_news_are_published_with_images_tags_cosigners_and_one_pending():
    call_command("load_demo", stdout=StringIO())
    live = list(published_news())
    assert len(live) == 12
    assert all(page.main_image_id for page in live)
    assert all(page.tags.exists() for page in live)
    cosigned = [page for page in live if page.cosigners.exists()]
    assert len(cosigned) >= 5
    # Co-signed items went through the real approvals.
    assert CosignApproval.objects.count() >= sum(p.cosigners.count() for p in cosigned)
    pending = NewsPage.objects.filter(live=False)
    assert pending.count() == 1
    referente = User.objects.get(email=REFERENT_EMAIL)
    (state,) = cosign_task_states_for(user=referente)
    assert state.revision.object_id == str(pending.get().pk)

    call_command("load_demo", stdout=StringIO())
    assert NewsPage.objects.count() == 13
