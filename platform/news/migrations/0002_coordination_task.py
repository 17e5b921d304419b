"""The news workflow's coordination step becomes a CoordinationTask.

A group approval that publishes only a text its co-signers approved. Existing news
workflows keep their step (same task, same groups, same history): it gains the
subclass row and its content type.
"""

import django.db.models.deletion
from django.db import migrations, models


def _news_group_tasks(apps):
    """Group approval steps of workflows that contain the news co-signing step."""
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    CosignTask = apps.get_model("news", "CosignTask")
    workflows = WorkflowTask.objects.filter(
        task_id__in=CosignTask.objects.values("pk")
    ).values("workflow_id")
    return Task.objects.filter(
        workflow_tasks__workflow_id__in=workflows,
        content_type__app_label="wagtailcore",
        content_type__model="groupapprovaltask",
    ).distinct()


def to_coordination_tasks(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    table = apps.get_model("news", "CoordinationTask")._meta.db_table
    target, _ = ContentType.objects.get_or_create(
        app_label="news", model="coordinationtask"
    )
    for task in _news_group_tasks(apps):
        schema_editor.execute(
            f"INSERT INTO {schema_editor.quote_name(table)} "
            "(groupapprovaltask_ptr_id) VALUES (%s)",
            [task.pk],
        )
        type(task).objects.filter(pk=task.pk).update(content_type=target)


def to_group_tasks(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Task = apps.get_model("wagtailcore", "Task")
    CoordinationTask = apps.get_model("news", "CoordinationTask")
    group, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    ids = list(CoordinationTask.objects.values_list("pk", flat=True))
    Task.objects.filter(pk__in=ids).update(content_type=group)
    table = CoordinationTask._meta.db_table
    for pk in ids:
        schema_editor.execute(
            f"DELETE FROM {schema_editor.quote_name(table)} "
            "WHERE groupapprovaltask_ptr_id = %s",
            [pk],
        )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('news', '0001_initial'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='CoordinationTask',
            fields=[
                ('groupapprovaltask_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.groupapprovaltask')),
            ],
            options={
                'verbose_name': 'approval by the coordination',
                'verbose_name_plural': 'approvals by the coordination',
            },
            bases=('wagtailcore.groupapprovaltask',),
        ),
        migrations.RunPython(to_coordination_tasks, to_group_tasks),
    ]
