"""The "new to the investigator" marker (issue 17). Sources assigned before it are taken as
already opened (their assignee has worked on them), so an upgrade marks nothing new."""

from django.db import migrations, models


def existing_assignments_seen(apps, schema_editor):
    Source = apps.get_model("sources", "Source")
    Source.objects.filter(assignee__isnull=False).update(
        assignee_seen_at=models.F("assigned_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("sources", "0007_late_extensions"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="assignee_seen_at",
            field=models.DateTimeField(blank=True, null=True,
                                       verbose_name="opened by the investigator at"),
        ),
        migrations.RunPython(existing_assignments_seen, migrations.RunPython.noop),
    ]
