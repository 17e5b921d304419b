from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from ptce.demo import DEMO_PASSWORD, DemoContext, run_all


class Command(BaseCommand):
    help = "Load (or refresh) the fictional demo PTCE; safe to run again."

    def handle(self, *args, **options):
        # Every app's part comes from its own demo.py (ptce.demo). The demo's
        # addresses are fictitious: the e-mails that loading it triggers
        # (announcement, join request) stay in the outbox, marked sent, not printed.
        ctx = DemoContext(log=self.stdout.write)
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
            ),
            transaction.atomic(),
        ):
            run_all(ctx)
        url = settings.SITE_URL
        self.stdout.write(self.style.SUCCESS("Demo PTCE “Rives Solidaires” is ready."))
        self.stdout.write(f"Site: {url}/  —  admin: {url}/cms/")
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        for role, email in ctx.logins:
            self.stdout.write(f"  {email:<32} {role}")
