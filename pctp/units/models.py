"""Administrative divisions, the tree of units (agencies) and the people who belong to them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune-level unit (xã, phường, đặc khu) with its official statistics code."""

    class Kind(models.TextChoices):
        COMMUNE = "xa", _("commune")
        WARD = "phuong", _("ward")
        SPECIAL_ZONE = "dac_khu", _("special zone")

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT,
                                 related_name="communes")
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    point_type = models.CharField(_("point type"), max_length=20, default="centroid")
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    code_vp2025 = models.CharField(_("code in vietnam-provinces"), max_length=5, blank=True)
    # Remote communes get 48 hours instead of 24 to pass a source on (TTLT 01/2017).
    remote = models.BooleanField(_("remote"), default=False)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        indexes = [models.Index(fields=["province", "name"])]

    def __str__(self) -> str:
        return self.name


class CommuneBoundary(models.Model):
    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("commune boundary")
        verbose_name_plural = _("commune boundaries")

    def __str__(self) -> str:
        return f"{self.commune} boundary"


class UnitQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on) | Q(valid_from__isnull=True)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )

    def within(self, unit: Unit):
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """An agency or office. Units form a tree through `parent`; `path` makes subtree
    queries a single indexed prefix match. Renamed or merged units are closed
    (`valid_to`) and point at their successor, so old records keep their old unit."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        PROVINCE_COMMITTEE = "province_committee", _("provincial People's Committee")
        STEERING_COMMITTEE = "steering_committee", _("Steering Committee")
        DEPARTMENT = "department", _("department or agency")
        COMMUNE_COMMITTEE = "commune_committee", _("commune People's Committee")
        PROVINCIAL_POLICE = "provincial_police", _("provincial police")
        INVESTIGATION_BODY = "investigation_body", _("investigation body")
        POLICE_OFFICE = "police_office", _("police office")
        COMMUNE_POLICE = "commune_police", _("commune police")
        DISTRICT_POLICE = "district_police", _("district police (until 30 June 2025)")
        PROCURACY = "procuracy", _("provincial procuracy")
        REGIONAL_PROCURACY = "regional_procuracy", _("regional procuracy")
        COURT = "court", _("provincial court")
        REGIONAL_COURT = "regional_court", _("regional court")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey("self", verbose_name=_("parent unit"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="children")
    path = models.CharField(max_length=400, db_index=True, editable=False)
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT,
                                 related_name="units")
    communes = models.ManyToManyField(Commune, verbose_name=_("communes covered"), blank=True,
                                      related_name="units")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey("self", verbose_name=_("succeeded by"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="predecessors")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        permissions = [
            ("manage_units", "Create, rename, merge and close units"),
            ("manage_members", "Add people to units and give them roles"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2 if self.path else 0

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to > today
        )


class Role(models.Model):
    """A named set of domain permissions; its permissions live on the linked auth group."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="role")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The role's name in the active language."""
        from pctp.units.roles import ROLE_NAMES

        return str(ROLE_NAMES.get(self.code, self.name))


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


class Membership(models.Model):
    """A person's place in a unit with a role; `is_head` marks the accountable head."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="memberships")
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT,
                             related_name="memberships")
    is_head = models.BooleanField(_("head of unit"), default=False)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"],
                                    condition=Q(valid_to__isnull=True),
                                    name="one_open_membership_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} — {self.unit}"
