"""Resource.search_text: the searched fields folded (no accents, no case), word by
word, so that the catalogue and the site search find "Atelier vélo" with "velo" on
SQLite and PostgreSQL alike."""

from django.db import migrations, models

from ptce.search_providers import fold_words

SEARCHED_FIELDS = (
    "name",
    "summary",
    "description",
    "equipment_present",
    "staff_role",
    "staff_skills",
)


def fold_existing(apps, schema_editor):
    # Historical models have no custom save(): fold here what save() folds.
    resource_model = apps.get_model("resources", "Resource")
    for resource in resource_model.objects.all().iterator():
        resource.search_text = fold_words(
            " ".join(str(getattr(resource, f) or "") for f in SEARCHED_FIELDS)
        )
        resource.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fold_existing, migrations.RunPython.noop),
    ]
