"""The national roll-up (issue 23): what a province publishes to the nation, and what the
nation's database receives from every province. Counts and closed figures only: no table
here has a column that could hold a person (no name, number, address, record id).

The key of each row names its province, so the rows of 34 provinces sit in one national
table without clashing, and PostgreSQL logical replication (a publication on each province,
a subscription per province on the nation) carries inserts, revisions and deletions as they
are. The same rows travel as a signed export where networks do not allow replication."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    SOURCES_RECEIVED = "sources_received", _("crime sources received")
    CASES_INITIATED = "cases_initiated", _("criminal cases initiated")
    CASES_DETECTED = "cases_detected", _("criminal cases detected")


class RollupCount(models.Model):
    """How many, in one province, month, commune and crime group."""

    key = models.CharField(primary_key=True, max_length=120)
    province = models.CharField(_("province"), max_length=4)
    month = models.DateField(_("month"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    commune = models.CharField(_("commune code"), max_length=10, blank=True)
    crime_group = models.CharField(_("crime group"), max_length=20, blank=True)
    count = models.IntegerField(_("count"))
    revision = models.IntegerField(_("revision"), default=1)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        db_table = "rollup_count"
        verbose_name = _("published count")
        verbose_name_plural = _("published counts")
        permissions = [  # i18n: data (the names are stored in the database)
            ("view_national", "See the provinces' published figures side by side"),
        ]
        indexes = [models.Index(fields=["province", "month", "measure"],
                                name="rollup_count_prov_month")]

    def __str__(self) -> str:
        return self.key


class RollupFigure(models.Model):
    """A target's figure over a closed period (chốt số liệu), as the province closed it."""

    key = models.CharField(primary_key=True, max_length=120)
    province = models.CharField(_("province"), max_length=4)
    plan = models.CharField(_("plan"), max_length=60)
    target = models.CharField(_("target"), max_length=10)
    period_key = models.CharField(_("period"), max_length=30)
    period_start = models.DateField()
    period_end = models.DateField()
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField()
    value = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    threshold = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    comparator = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=12)
    as_of = models.DateField()
    revision = models.IntegerField(default=1)
    published_at = models.DateTimeField()

    class Meta:
        db_table = "rollup_figure"
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        indexes = [models.Index(fields=["province", "period_key"], name="rollup_fig_prov_period")]

    def __str__(self) -> str:
        return self.key
