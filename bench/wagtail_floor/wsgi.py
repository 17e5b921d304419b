"""gunicorn --chdir bench/wagtail_floor wsgi --workers 3 (FLOOR_DATABASE_URL set)"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
application = get_wsgi_application()
