#!/bin/sh
# Wait for the database, apply migrations when asked (the web service only: one
# migrator, never a race between replicas of the worker), then run the command.
set -eu

python - <<'PY'
import os
import sys
import time

import django

django.setup()
from django.db import connection  # noqa: E402

deadline = time.monotonic() + float(os.environ.get("DB_WAIT_SECONDS", "60"))
while True:
    try:
        connection.ensure_connection()
        break
    except Exception as error:  # noqa: BLE001 - any connection error means "not yet"
        if time.monotonic() > deadline:
            sys.exit(f"database not reachable: {error}")
        print("waiting for the database…", flush=True)
        time.sleep(1)
PY

if [ "${MIGRATE_ON_START:-0}" = "1" ]; then
    python manage.py migrate --no-input
fi

exec "$@"
