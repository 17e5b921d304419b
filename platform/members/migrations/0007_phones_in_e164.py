"""Phones saved before numbers were normalised become E.164 (+33478000000).

Every save has stored E.164 since phones were normalised, but rows written earlier
kept what was typed (« 04 78 00 00 00 », « 04.78.00.00.00 »): the directory then
showed them unformatted and the same number could be spelt two ways. A value that is
not a valid number is left as it is (a person or a coordinator corrects it on the next
edit, where the form says what is wrong): a migration never deletes what it cannot
read.
"""

from django.core.exceptions import ValidationError
from django.db import migrations

from members.validators import normalize_phone

FIELDS = (("User", "phone"), ("Organisation", "public_phone"))


def to_e164(apps, schema_editor):
    for model_name, field in FIELDS:
        model = apps.get_model("members", model_name)
        rows = model.objects.exclude(**{field: ""}).values_list("pk", field)
        for pk, value in rows.iterator():
            try:
                normalised = normalize_phone(value)
            except ValidationError:
                continue
            if normalised != value:
                model.objects.filter(pk=pk).update(**{field: normalised})


class Migration(migrations.Migration):
    dependencies = [("members", "0006_siret_rna_fields")]

    operations = [migrations.RunPython(to_e164, migrations.RunPython.noop)]
