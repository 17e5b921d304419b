"""Signals of the catalogue for the apps above it."""

from django.dispatch import Signal

# Sent by services.managers_set after naming resource managers in bulk (bulk_create
# sends no post_save): kwargs `resource` and `user_pks` (the people just named).
# Removals go through QuerySet.delete(), which sends post_delete per row.
managers_named = Signal()
