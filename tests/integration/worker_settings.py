"""The integration tests' worker runs the site's settings, with an e-mail backend
that gives each SMTP-like connection its own file (tests/integration/mail.py)."""

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.integration.mail.EmailBackend"
