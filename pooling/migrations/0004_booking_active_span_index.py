"""Availability reads at scale, on PostgreSQL: a GiST index over (resource, blocked
time range) of the active bookings, the ones the engine reads.

"Which active bookings of these resources overlap this window" with the B-tree
`pooling_active_by_resource` (resource, blocked_start, blocked_end) reads every earlier
booking of each resource (blocked_start < end bounds one side only); with this index
and the range overlap operator (pooling.availability.overlapping) PostgreSQL visits
the overlapping rows only. The exclusion constraint's own GiST index (0002) covers
single-unit resources only. btree_gist (for resource_id) is created by 0002.
SQLite keeps the B-tree and plain comparisons.
"""

from django.db import migrations

INDEX = "pooling_active_span"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON pooling_booking USING gist "
        "(resource_id, tstzrange(blocked_start, blocked_end, '[)')) "
        "WHERE status IN ('pending', 'confirmed')"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("pooling", "0003_booking_changes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
