"""The targets and closed figures move from the plans app to kpi (issue 18). The tables keep
their names: only Django's state and the content types change; nothing is copied."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from pctp.core.migrating import relabel_content_types



MOVED = ("target", "kpisnapshot", "kpirevision")


def forwards(apps, schema_editor):
    relabel_content_types(apps, "plans", "kpi", MOVED)


def backwards(apps, schema_editor):
    relabel_content_types(apps, "kpi", "plans", MOVED)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_notification'),
        ('plans', '0005_move_kpi_and_notification'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='KpiSnapshot',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('period_key', models.CharField(max_length=30, verbose_name='period')),
                    ('period_start', models.DateField()),
                    ('period_end', models.DateField()),
                    ('measured_start', models.DateField()),
                    ('measured_end', models.DateField()),
                    ('scope_key', models.CharField(default='province', max_length=40)),
                    ('numerator', models.BigIntegerField()),
                    ('denominator', models.BigIntegerField()),
                    ('value', models.DecimalField(decimal_places=2, max_digits=9, null=True)),
                    ('status', models.CharField(max_length=12)),
                    ('numerator_model', models.CharField(max_length=40)),
                    ('denominator_model', models.CharField(max_length=40)),
                    ('numerator_ids', models.JSONField(default=list)),
                    ('denominator_ids', models.JSONField(default=list)),
                    ('fingerprint', models.JSONField(default=list)),
                    ('breakdown', models.JSONField(default=dict)),
                    ('as_of', models.DateField(verbose_name='figures as known on')),
                    ('closed_at', models.DateTimeField(verbose_name='closed at')),
                    ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                    ('closed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='snapshots', to='plans.plan')),
                ],
                options={
                    'verbose_name': 'closed figure',
                    'verbose_name_plural': 'closed figures',
                    'db_table': 'plans_kpisnapshot',
                },
            ),
            migrations.CreateModel(
                name='KpiRevision',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('detected_at', models.DateTimeField(verbose_name='detected at')),
                    ('old_numerator', models.BigIntegerField()),
                    ('old_denominator', models.BigIntegerField()),
                    ('old_value', models.DecimalField(decimal_places=2, max_digits=9, null=True)),
                    ('new_numerator', models.BigIntegerField()),
                    ('new_denominator', models.BigIntegerField()),
                    ('new_value', models.DecimalField(decimal_places=2, max_digits=9, null=True)),
                    ('changes', models.JSONField(default=dict)),
                    ('edits', models.JSONField(default=list)),
                    ('snapshot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='kpi.kpisnapshot')),
                ],
                options={
                    'verbose_name': 'revision of a closed figure',
                    'verbose_name_plural': 'revisions of closed figures',
                    'db_table': 'plans_kpirevision',
                    'ordering': ['snapshot', 'detected_at', 'id'],
                },
            ),
            migrations.CreateModel(
                name='Target',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(choices=[('T1', 'T1 — social-order crimes down at least 5%'), ('T2', 'T2 — crime sources received and handled: 100%'), ('T3', 'T3 — crime sources resolved: over 90%'), ('T4', 'T4 — detection rate: over 75%'), ('T5', 'T5 — detection of very and especially serious crimes: over 90%'), ('T6', 'T6 — corrupt assets recovered: at least 60%'), ('T7', 'T7 — prosecuted on time: over 90%'), ('T8', 'T8 — cases tried by the courts: over 88%'), ('T9', 'T9 — key areas transformed: at least 60%'), ('T10', 'T10 — transformed areas not relapsing: 85%')], max_length=3, verbose_name='target')),
                    ('indicator', models.CharField(max_length=30, verbose_name='indicator')),
                    ('comparator', models.CharField(choices=[('>=', 'at least'), ('>', 'more than'), ('<=', 'at most'), ('<', 'less than')], max_length=2, verbose_name='comparator')),
                    ('threshold', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='threshold')),
                    ('period_type', models.CharField(choices=[('selected', 'the period chosen on the dashboard'), ('court_year', 'the court year (1/10–30/9) for yearly figures'), ('year', 'the calendar year for yearly figures'), ('stat_year', 'the statistical year (15/12–14/12) for yearly figures')], default='selected', max_length=12, verbose_name='measured over')),
                    ('options', models.JSONField(blank=True, default=dict, verbose_name='options')),
                    ('wording', models.CharField(blank=True, max_length=300, verbose_name='wording in the plan')),
                    ('position', models.PositiveSmallIntegerField(default=0)),
                    ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='plans.plan', verbose_name='plan')),
                ],
                options={
                    'verbose_name': 'target',
                    'verbose_name_plural': 'targets',
                    'db_table': 'plans_target',
                    'ordering': ['plan', 'position', 'id'],
                    'permissions': [('view_kpi', "See the plan's targets, the KPI dashboard and the records behind it"), ('close_kpi_period', 'Close a period: freeze its figures as a snapshot')],
                },
            ),
            migrations.AddField(
                model_name='kpisnapshot',
                name='target',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='snapshots', to='kpi.target'),
            ),
            migrations.AddConstraint(
                model_name='target',
                constraint=models.UniqueConstraint(fields=('plan', 'code'), name='one_target_code_per_plan'),
            ),
            migrations.AddConstraint(
                model_name='kpisnapshot',
                constraint=models.UniqueConstraint(fields=('target', 'period_key', 'scope_key'), name='one_snapshot_per_target_period_scope'),
            ),
        ]),
        migrations.RunPython(forwards, backwards),
    ]
