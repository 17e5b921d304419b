"""No double booking at the database, on PostgreSQL.

An exclusion constraint (GiST over the resource id and the blocked time range, hence
btree_gist) forbids two active bookings of a single-unit resource whose blocked ranges
overlap. SQLite has no such constraint: there, writers are serialised by
transaction_mode IMMEDIATE (settings) and the service checks under that lock.
"""

from django.db import migrations

CONSTRAINT = "pooling_booking_no_overlap"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE pooling_booking ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (resource_id WITH =, "
        "tstzrange(blocked_start, blocked_end, '[)') WITH &&) "
        "WHERE (exclusive AND status IN ('pending', 'confirmed'))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE pooling_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
    )


class Migration(migrations.Migration):
    dependencies = [("pooling", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
