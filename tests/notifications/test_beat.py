from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from config.celery import app, publish_scheduled

pytestmark = pytest.mark.django_db


def test_every_periodic_job_names_a_registered_task():
    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)
    assert {entry["task"] for entry in schedule.values()} >= {
        "notifications.sweep_outbox",
        "notifications.send_digests",
        "config.publish_scheduled",
    }
    digest = schedule["notifications-daily-digest"]["schedule"]
    assert isinstance(digest, crontab)
    assert digest.hour == {7} and digest.minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Paris"


def test_scheduled_publishing_runs_from_the_beat_task():
    home = Page.objects.get(depth=2)
    page = home.add_child(
        instance=Page(title="Plus tard", slug="plus-tard", live=False)
    )
    page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    page.refresh_from_db()
    assert not page.live

    publish_scheduled.apply().get()

    page.refresh_from_db()
    assert page.live
