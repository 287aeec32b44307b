"""The targets and closed figures move to the kpi app, notifications to core (issue 18):
Django's state only; the tables stay and are not dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0004_t8_year_kinds'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='kpisnapshot',
                name='closed_by',
            ),
            migrations.RemoveField(
                model_name='kpisnapshot',
                name='plan',
            ),
            migrations.RemoveField(
                model_name='kpisnapshot',
                name='target',
            ),
            migrations.RemoveField(
                model_name='notification',
                name='user',
            ),
            migrations.RemoveField(
                model_name='target',
                name='plan',
            ),
            migrations.DeleteModel(
                name='KpiRevision',
            ),
            migrations.DeleteModel(
                name='KpiSnapshot',
            ),
            migrations.DeleteModel(
                name='Notification',
            ),
            migrations.DeleteModel(
                name='Target',
            ),
        ]),
    ]
