"""Create the bare Wagtail site's database content and print a signed-in session cookie.

    FLOOR_DATABASE_URL=postgres://root@127.0.0.1:5432/ptce_bench_floor \
        .venv/bin/python bench/wagtail_floor/prepare.py

Idempotent. Used by bench/pages.py --floor.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from floorpages.models import FloorPage  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

PARAGRAPH = (
    "<p>Le pôle territorial de coopération économique réunit des associations, des "
    "coopératives, des mutuelles et des entreprises d'un même territoire, qui "
    "mutualisent des locaux, du matériel et du temps de travail.</p>"
)


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    root = Page.get_first_root_node()
    page = FloorPage.objects.filter(slug="plancher").first()
    if page is None:
        page = root.add_child(
            instance=FloorPage(
                title="Page Wagtail nue", slug="plancher", body=PARAGRAPH * 12
            )
        )
        page.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": page,
            "site_name": "Plancher",
        },
    )
    Page.objects.filter(depth=2).exclude(pk=page.pk).delete()
    user, _ = get_user_model().objects.get_or_create(
        username="floor", defaults={"first_name": "Camille", "last_name": "Martin"}
    )
    client = Client()
    client.force_login(user)
    facts = {}
    for who, browser in (("visitor", Client()), ("signed in", client)):
        for name, path in (("wagtail", "/"), ("django", "/django/")):
            browser.get(path)  # warm, as the server will be
            with CaptureQueriesContext(connection) as queries:
                response = browser.get(path)
            assert response.status_code == 200, (path, response.status_code)
            facts[f"{name}|{who}"] = [len(queries), len(response.content)]
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    print(json.dumps({"cookie": cookie, "facts": facts}))


if __name__ == "__main__":
    main()
