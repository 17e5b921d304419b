from __future__ import annotations

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_index_and_page_render(client, make_news, structures):
    page = make_news("Premier", tags=("réemploi",), cosigners=structures[:2], image=True)
    response = client.get(page.get_parent().url)
    assert response.status_code == HTTPStatus.OK, response.content[:2000]
    assert "Premier" in response.content.decode()
    response = client.get(page.url)
    assert response.status_code == HTTPStatus.OK
    print(response.content.decode())
