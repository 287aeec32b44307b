"""Writes for units, people and reference data. Each is atomic and audited."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from pctp.core.audit import audit_record, model_changes
from pctp.core.errors import DomainError, PermissionRefused
from pctp.core.models import User
from pctp.units.models import Commune, CommuneBoundary, Membership, Province, Role, Unit
from pctp.units.selectors import forget_memberships

DATA_DIR = Path(__file__).resolve().parent / "data"

_KIND_BY_PREFIX = [  # i18n: data (parsed names)
    ("đặc khu", Commune.Kind.SPECIAL_ZONE), ("phường", Commune.Kind.WARD),
    ("xã", Commune.Kind.COMMUNE)]


def commune_kind_from_name(name: str) -> str:
    lowered = name.strip().lower()
    for prefix, kind in _KIND_BY_PREFIX:
        if lowered.startswith(prefix + " "):
            return kind
    raise DomainError("unknown_commune_type", f"Cannot tell the unit type from {name!r}")


def _require(actor, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionRefused("forbidden", _("You may not do this."))


@transaction.atomic
def reference_load(*, actor=None, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Load or refresh the 34 provinces and 3,321 communes. Safe to run again."""
    created = {"provinces": 0, "communes": 0}
    with open(data_dir / "provinces.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            _, was_created = Province.objects.update_or_create(
                code=row["province_code"], defaults={"name": row["province_name"]}
            )
            created["provinces"] += was_created
    provinces = {p.code: p for p in Province.objects.all()}
    existing = {c.code: c for c in Commune.objects.all()}
    new, changed = [], []
    with open(data_dir / "communes.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["ward_name"].strip()
            name = name[0].upper() + name[1:]
            values = {
                "name": name,
                "kind": commune_kind_from_name(name),
                "province": provinces[row["province_code"]],
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "point_type": row["point_type"],
                "area_km2": float(row["area_km2"]) if row["area_km2"] else None,
                "code_vp2025": row["ward_code_vp2025"],
            }
            commune = existing.get(row["ward_code"])
            if commune is None:
                new.append(Commune(code=row["ward_code"], **values))
            elif any(getattr(commune, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(commune, k, v)
                changed.append(commune)
    Commune.objects.bulk_create(new, batch_size=1000)
    Commune.objects.bulk_update(changed, ["name", "kind", "province", "lat", "lon", "point_type",
                                          "area_km2", "code_vp2025"], batch_size=1000)
    created["communes"] = len(new)
    created["communes_updated"] = len(changed)
    if new or changed or created["provinces"]:
        audit_record(actor=actor, action="reference.load", obj=Province.objects.first(),
                     changes=created, note="administrative units after 1/7/2025")
    return created


class BoundaryFileError(DomainError):
    pass


def boundaries_load(*, actor=None, path: Path, source: str = "") -> dict[str, Any]:
    """Store each feature's geometry against its commune (by `ward_code`).

    Every feature is checked before anything is written: an unknown code or an invalid
    geometry refuses the whole file, naming the feature.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BoundaryFileError("bad_file", f"Cannot read {path}: {exc}") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise BoundaryFileError("bad_file", f"{path} is not a GeoJSON FeatureCollection")
    from django.conf import settings

    province_code = settings.PCTP_PROVINCE_CODE
    communes = {c.code: c for c in Commune.objects.select_related("province")}
    parsed = []
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            raise BoundaryFileError("bad_feature", f"Feature {index}: not a GeoJSON feature "
                                                   f"with a geometry object")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise BoundaryFileError("bad_feature", f"Feature {index}: properties is not an object")
        code = str(props.get("ward_code", "")).strip()
        if code not in communes:
            raise BoundaryFileError("unknown_commune",
                                    f"Feature {index}: unknown ward_code {code!r}")
        if communes[code].province.code != province_code:
            raise BoundaryFileError("other_province",
                                    f"Feature {index}: commune {code} belongs to province "
                                    f"{communes[code].province.code}, not {province_code}")
        try:
            geom = shape(feature["geometry"])
        except Exception as exc:  # noqa: BLE001 - shapely raises many types
            raise BoundaryFileError("bad_geometry", f"Feature {index}: {exc}") from None
        if geom.is_empty or geom.geom_type not in {"Polygon", "MultiPolygon"}:
            raise BoundaryFileError("bad_geometry",
                                    f"Feature {index}: expected a polygon, got {geom.geom_type}")
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise BoundaryFileError("bad_geometry", f"Feature {index}: coordinates outside "
                                                    f"longitude -180..180, latitude -90..90")
        if not (100 <= minx and maxx <= 112 and 7 <= miny and maxy <= 24):
            raise BoundaryFileError("bad_geometry", f"Feature {index}: not in Viet Nam "
                                                    f"(lon {minx:.2f}..{maxx:.2f}, "
                                                    f"lat {miny:.2f}..{maxy:.2f})")
        if not geom.is_valid:
            from shapely.validation import explain_validity

            raise BoundaryFileError("bad_geometry", f"Feature {index}: invalid polygon "
                                                    f"({explain_validity(geom)})")
        parsed.append((communes[code], feature["geometry"]))
    with transaction.atomic():
        return _boundaries_store(actor, parsed, source)


def _boundaries_store(actor, parsed, source: str) -> dict[str, Any]:
    for commune, geometry in parsed:
        CommuneBoundary.objects.update_or_create(
            commune=commune, defaults={"geometry": geometry, "source": source[:300]}
        )
    province = parsed[0][0].province
    audit_record(actor=actor, action="boundaries.load", obj=province,
                 changes={"features": len(parsed)}, note=source[:300])
    return {"features": len(parsed), "province": province.code}


def _path_for(unit: Unit) -> str:
    prefix = unit.parent.path if unit.parent_id else "/"
    return f"{prefix}{unit.pk}/"


@transaction.atomic
def unit_create(*, actor=None, code: str, name: str, kind: str, province: Province,
                parent: Unit | None = None, short_name: str = "",
                communes: list[Commune] | None = None,
                valid_from: date | None = None) -> Unit:
    _require(actor, "units.manage_units")
    if Unit.objects.filter(code=code).exists():
        raise DomainError("duplicate_code", _("Unit code %(code)s already exists.") % {"code": code})
    if kind not in Unit.Kind.values:
        raise DomainError("unknown_kind", _("Invalid unit type: %(kind)s") % {"kind": kind})
    unit = Unit.objects.create(code=code, name=name, short_name=short_name, kind=kind,
                               province=province, parent=parent, path="",
                               valid_from=valid_from)
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    if communes:
        unit.communes.set(communes)
    audit_record(actor=actor, action="unit.create", obj=unit, to_state="open",
                 changes={"code": [None, code], "name": [None, name], "kind": [None, kind],
                          "parent": [None, parent.pk if parent else None]})
    return unit


@transaction.atomic
def unit_update(*, actor=None, unit: Unit, name: str | None = None,
                short_name: str | None = None) -> Unit:
    _require(actor, "units.manage_units")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = {"name": unit.name, "short_name": unit.short_name}
    if name is not None:
        unit.name = name
    if short_name is not None:
        unit.short_name = short_name
    changes = model_changes(unit, ["name", "short_name"], before)
    if changes:
        unit.save(update_fields=list(changes))
        audit_record(actor=actor, action="unit.update", obj=unit, changes=changes)
    return unit


@transaction.atomic
def unit_close(*, actor=None, unit: Unit, on: date, successor: Unit | None = None,
               note: str = "") -> Unit:
    """Close a unit (renamed, merged or dissolved). Its records stay attached to it."""
    _require(actor, "units.manage_units")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.valid_to is not None:
        raise DomainError("already_closed", _("This unit no longer operates."), status=409)
    if successor is not None and successor.pk == unit.pk:
        raise DomainError("bad_successor", _("The successor must be another unit."))
    if Unit.objects.filter(parent=unit, valid_to__isnull=True).exists():
        raise DomainError("has_open_children",
                          _("Close or move the units under it first."), status=409)
    unit.valid_to = on
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor"])
    Membership.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=on)
    audit_record(actor=actor, action="unit.close", obj=unit, from_state="open",
                 to_state="closed", note=note,
                 changes={"successor": [None, successor.pk if successor else None]})
    return unit


@transaction.atomic
def user_create(*, actor=None, username: str, full_name: str, password: str | None,
                email: str = "", position: str = "", is_staff: bool = False) -> User:
    _require(actor, "units.manage_members")
    from django.contrib.auth.password_validation import validate_password

    if User.objects.filter(username=username).exists():
        raise DomainError("duplicate_username",
                          _("Username %(username)s already exists.") % {"username": username})
    user = User(username=username, full_name=full_name, email=email, position=position,
                is_staff=is_staff)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, to_state="active")
    return user


@transaction.atomic
def membership_grant(*, actor=None, user: User, unit: Unit, role_code: str,
                     is_head: bool = False, valid_from: date | None = None) -> Membership:
    _require(actor, "units.manage_members")
    try:
        role = Role.objects.get(code=role_code)
    except Role.DoesNotExist:
        raise DomainError("unknown_role",
                          _("No such role: %(role)s") % {"role": role_code}) from None
    if not unit.is_current:
        raise DomainError("unit_closed", _("This unit no longer operates."), status=409)
    existing = Membership.objects.filter(user=user, unit=unit, role=role, valid_to__isnull=True)
    if existing.exists():
        return existing.get()
    membership = Membership.objects.create(user=user, unit=unit, role=role, is_head=is_head,
                                           valid_from=valid_from or timezone.localdate())
    forget_memberships(user)
    audit_record(actor=actor, action="membership.grant", obj=membership, to_state="active",
                 changes={"user": [None, user.pk], "unit": [None, unit.pk],
                          "role": [None, role_code], "is_head": [None, is_head]})
    return membership


@transaction.atomic
def membership_end(*, actor=None, membership: Membership, on: date | None = None,
                   note: str = "") -> Membership:
    _require(actor, "units.manage_members")
    given = membership
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.valid_to is not None:
        raise DomainError("already_ended", _("This assignment has already ended."), status=409)
    membership.valid_to = on or timezone.localdate()
    membership.save(update_fields=["valid_to"])
    if Membership.user.is_cached(given):  # the caller's user object asks again
        forget_memberships(given.user)
    audit_record(actor=actor, action="membership.end", obj=membership, from_state="active",
                 to_state="ended", note=note)
    return membership
