"""gunicorn --chdir bench/ceiling wsgi --workers 3 --bind 127.0.0.1:8002"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
application = get_wsgi_application()
