"""Key and complex areas for social order (địa bàn trọng điểm, phức tạp về trật tự xã hội):
the yearly selection by the Steering Committee, the transformation (chuyển hóa) with its plan,
the signed assessment against the criteria, and the relapse (tái phức tạp) watch afterwards.

One row of KeyArea is one selection: an area selected again in a later year is a new row that
points at the earlier one (`previous`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pctp.units.models import Commune, Unit


class AreaType(models.TextChoices):
    """The four types of key area of the provincial plans (DOMAIN.md §7)."""

    SOCIAL_ORDER = "social_order", _("social-order crime and social evils")
    ECONOMIC = "economic", _("economic management order")
    ENVIRONMENT = "environment", _("environment, resources and food safety")
    DRUGS = "drugs", _("drugs")


# The crime groups (pctp.law CrimeGroup) whose cases and sources count for each type.
TYPE_GROUPS: dict[str, tuple[str, ...]] = {
    AreaType.SOCIAL_ORDER: ("social_order", "high_tech"),
    AreaType.ECONOMIC: ("economic", "corruption"),
    AreaType.ENVIRONMENT: ("environment",),
    AreaType.DRUGS: ("drugs",),
}


def groups_of(types: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for t in types:
        out += [g for g in TYPE_GROUPS.get(t, ()) if g not in out]
    return tuple(out)


class Status(models.TextChoices):
    SELECTED = "selected", _("selected")
    TRANSFORMING = "transforming", _("being transformed")
    TRANSFORMED = "transformed", _("assessed as transformed")
    NOT_TRANSFORMED = "not_transformed", _("assessed as not transformed")
    REMOVED = "removed", _("removed from the list")
    RELAPSED = "relapsed", _("relapsed")


# Transformed areas stay under the relapse watch in these states.
WATCHED_STATUSES = (Status.TRANSFORMED, Status.REMOVED)


class KeyArea(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    name = models.CharField(_("name"), max_length=200)
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT,
                                related_name="key_areas")
    # A part of the commune (hamlets, a market, a quarter) drawn on the map: a GeoJSON
    # Polygon or MultiPolygon. Empty: the whole commune.
    part_geometry = models.JSONField(_("part of the commune (GeoJSON)"), null=True, blank=True)
    part_description = models.CharField(_("part of the commune"), max_length=300, blank=True)
    types = models.JSONField(_("types"), default=list)

    decision_number = models.CharField(_("selection decision"), max_length=60)
    decision_date = models.DateField(_("selection decision date"))
    steering_unit = models.ForeignKey(Unit, verbose_name=_("Steering Committee"),
                                      on_delete=models.PROTECT, related_name="selected_areas")
    lead_unit = models.ForeignKey(Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT,
                                  related_name="led_areas")
    coordinating_units = models.ManyToManyField(Unit, verbose_name=_("coordinating units"),
                                                blank=True, related_name="coordinated_areas")
    reasons = models.TextField(_("reasons for the selection"), blank=True)
    # The transformation plan: its measures are tasks of the plans app.
    plan = models.ForeignKey("plans.Plan", verbose_name=_("transformation plan"),
                             on_delete=models.PROTECT, null=True, blank=True,
                             related_name="key_areas")
    previous = models.ForeignKey("self", verbose_name=_("earlier selection"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="later_selections")

    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.SELECTED, db_index=True)
    status_since = models.DateField(_("in this status since"))
    # The levels at selection (the figures of the ranking and the records behind them),
    # which the relapse watch compares with.
    selection_snapshot = models.JSONField(_("levels at selection"), default=dict)
    baseline_crimes = models.PositiveIntegerField(_("crimes in the 12 months before selection"),
                                                  default=0)
    assessment_due = models.DateField(_("assessment due"), db_index=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True, db_index=True)
    assessment_result = models.CharField(_("assessment result"), max_length=16, blank=True)
    removal_decision = models.CharField(_("removal decision"), max_length=60, blank=True)
    removed_on = models.DateField(_("removed from the list on"), null=True, blank=True)
    watch_from = models.DateField(_("relapse watch from"), null=True, blank=True)
    watch_until = models.DateField(_("relapse watch until"), null=True, blank=True)
    relapsed_on = models.DateField(_("relapsed on"), null=True, blank=True, db_index=True)
    relapse_reason = models.TextField(_("why it relapsed"), blank=True)
    relapse_evidence = models.JSONField(_("evidence of the relapse"), default=dict, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("key area")
        verbose_name_plural = _("key areas")
        ordering = ["-year", "commune__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "commune", "name"],
                                    name="one_area_per_name_commune_year"),
            models.CheckConstraint(condition=Q(assessment_result__in=["", "transformed",
                                                                      "not_transformed"]),
                                   name="area_assessment_result_known"),
        ]
        indexes = [
            models.Index(fields=["lead_unit", "year"]),
            models.Index(fields=["commune", "year"]),
            models.Index(fields=["assessment_result", "assessed_on"]),
        ]
        permissions = [
            ("manage_keyarea", "Select key areas, sign their assessments, remove them "
                               "from the list (Steering Committee)"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def whole_commune(self) -> bool:
        return not self.part_geometry

    def type_labels(self) -> list[str]:
        labels = dict(AreaType.choices)
        return [str(labels.get(t, t)) for t in self.types]


class Assessment(models.Model):
    """The assessment of an area against the criteria. The data-driven criteria are computed
    from the records of the period (`computed`, with the ids of the records behind each
    figure); the others are recorded with their evidence. Once a leader signs it, nothing
    in it changes (the model refuses, and the API and pages offer no edit)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")

    area = models.ForeignKey(KeyArea, on_delete=models.PROTECT, related_name="assessments")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    computed = models.JSONField(_("criteria computed from the records"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))
    community_model = models.BooleanField(_("a self-managing community model works"),
                                          default=False)
    community_model_evidence = models.TextField(_("evidence: community model"), blank=True)
    political_system = models.BooleanField(_("the local political system is strengthened"),
                                           default=False)
    political_system_evidence = models.TextField(_("evidence: political system"), blank=True)
    conventions = models.BooleanField(_("community conventions are kept"), default=False)
    conventions_evidence = models.TextField(_("evidence: conventions"), blank=True)
    note = models.TextField(_("conclusion"), blank=True)
    result = models.CharField(_("result"), max_length=16, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices,
                             default=State.DRAFT, db_index=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment of a key area")
        verbose_name_plural = _("assessments of key areas")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["area"], condition=Q(state="signed"),
                                    name="one_signed_assessment_per_area"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="assessment_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.area} — {self.get_state_display()}"

    def save(self, *args, **kwargs):
        if self.pk and Assessment.objects.filter(pk=self.pk, state=self.State.SIGNED).exists():
            raise ValueError("a signed assessment is frozen")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.state == self.State.SIGNED:
            raise ValueError("a signed assessment is frozen")
        return super().delete(*args, **kwargs)

    @property
    def recorded_ok(self) -> bool:
        return self.community_model and self.political_system and self.conventions

    @property
    def computed_ok(self) -> bool:
        return all(c.get("passed") for c in self.computed.get("criteria", {}).values())


class WatchCheck(models.Model):
    """One monthly look at a transformed area: crimes and the data-driven criteria over the
    12 months ending with the month, against the level at selection."""

    class Level(models.TextChoices):
        OK = "ok", _("within the levels")
        WARNING = "warning", _("trending towards relapse")
        RELAPSE = "relapse", _("relapsed")

    area = models.ForeignKey(KeyArea, on_delete=models.CASCADE, related_name="watch_checks")
    month = models.DateField(_("month"))
    window_start = models.DateField()
    window_end = models.DateField()
    crimes = models.PositiveIntegerField(_("crimes in the 12 months"))
    baseline = models.PositiveIntegerField(_("crimes at selection"))
    computed = models.JSONField(default=dict)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    reasons = models.JSONField(default=list)
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relapse watch check")
        verbose_name_plural = _("relapse watch checks")
        ordering = ["area", "-month"]
        constraints = [models.UniqueConstraint(fields=["area", "month"],
                                               name="one_watch_check_per_area_month")]

    def __str__(self) -> str:
        return f"{self.area} {self.month:%m/%Y} {self.level}"


class ModelCommune(models.Model):
    """A model commune of the "all people protect national security" movement, or a model
    ward for urban order, linked to the key areas it grew out of."""

    class Kind(models.TextChoices):
        SECURITY = "security", _("model commune: all people protect national security")
        URBAN_ORDER = "urban_order", _("model ward for urban order")

    class Status(models.TextChoices):
        BUILDING = "building", _("being built")
        RECOGNISED = "recognised", _("recognised")
        WITHDRAWN = "withdrawn", _("recognition withdrawn")

    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT,
                                related_name="model_communes")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.BUILDING, db_index=True)
    decision_number = models.CharField(_("recognition decision"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    areas = models.ManyToManyField(KeyArea, verbose_name=_("linked key areas"), blank=True,
                                   related_name="model_communes")
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("model commune")
        verbose_name_plural = _("model communes")
        ordering = ["-year", "commune__name"]
        constraints = [models.UniqueConstraint(fields=["commune", "kind", "year"],
                                               name="one_model_commune_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.commune} — {self.get_kind_display()} ({self.year})"


class CommuneArea(models.Model):
    """The area in km² of a commune computed from its boundary when the reference list has
    none (cached: the boundary rarely changes)."""

    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, related_name="computed_area")
    area_km2 = models.FloatField()
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.commune}: {self.area_km2:.2f} km²"
