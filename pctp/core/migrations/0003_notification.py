"""Notification moves from the plans app to core (issue 18). The table keeps its name: only
Django's state and the content type change; nothing is copied."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from pctp.core.migrating import relabel_content_types



MOVED = ("notification",)


def forwards(apps, schema_editor):
    relabel_content_types(apps, "plans", "core", MOVED)


def backwards(apps, schema_editor):
    relabel_content_types(apps, "core", "plans", MOVED)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0002_append_only_journals'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.CharField(max_length=200)),
                    ('text', models.CharField(max_length=500, verbose_name='text')),
                    ('link', models.CharField(blank=True, max_length=300, verbose_name='link')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                    ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mailed at')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'notification',
                    'verbose_name_plural': 'notifications',
                    'db_table': 'plans_notification',
                    'ordering': ['-created_at', '-id'],
                    'indexes': [models.Index(fields=['user', 'read_at'], name='plans_notif_user_id_6f4d55_idx')],
                    'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='one_notification_per_key')],
                },
            ),
        ]),
        migrations.RunPython(forwards, backwards),
    ]
