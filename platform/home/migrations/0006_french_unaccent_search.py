"""PostgreSQL: French full-text search that ignores accents ("velo" finds "vélo").

A text search configuration `french_unaccent` (French stemming after `unaccent`) that
settings.WAGTAILSEARCH_BACKENDS uses on PostgreSQL. SQLite's FTS5 tokenizer already
folds accents. Pages indexed before this migration: run `manage.py update_index`.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("home", "0005_contact_page_home_banner")]

    operations = [migrations.RunPython(create, drop)]
