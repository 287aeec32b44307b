"""A small world for the access matrix and the API fuzzer: one of every kind of record on
three sides, and a persona for every role.

Side A is the personas' own: commune A, its police and committee, the provincial
investigation body, the regional procuracy and court that cover commune A. Side B is another
unit of the same province: commune B (in another procuracy and court region), its police and
committee, the security investigation body. Side X is another province with its own small
tree. Every text a record of side B or X carries starts with a canary ("ZQ~B…", "ZQ~X…"): a
response that contains one shows a record of that side.

Who must not see what: a persona of a unit sees neither B nor X; a province-wide persona
(leader, analyst, auditor, administrator) sees its province but not X; the system
administrator is a superuser and sees everything; the anonymous visitor sees nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pctp.core.models import User
from pctp.units.models import Commune, Unit
from pctp.units.selectors import PROVINCE_WIDE_ROLES
from pctp.units.services import membership_grant, unit_create
from tests.personas import PASSWORD

# "~" is in no token, key or hash alphabet: a canary never appears by chance.
CANARY = {"A": "ZQ~A", "B": "ZQ~B", "X": "ZQ~X"}
SIDES = ("A", "B", "X")
OTHER_PROVINCE = "79"


@dataclass(frozen=True)
class Persona:
    key: str
    role: str | None  # None: the anonymous visitor
    unit_code: str = ""
    is_head: bool = False
    is_staff: bool = False

    @property
    def province_wide(self) -> bool:
        return self.role in PROVINCE_WIDE_ROLES

    @property
    def foreign_sides(self) -> tuple[str, ...]:
        """The sides whose records this persona must never see."""
        if self.role is None:
            return SIDES
        if self.is_staff:
            return ()
        return ("X",) if self.province_wide else ("B", "X")

    @property
    def probe_side(self) -> str | None:
        """The side whose objects fill the path when probing "another unit's object"."""
        if self.role is None:
            return "A"
        return self.foreign_sides[0] if self.foreign_sides else None


def personas(a_code: str) -> list[Persona]:
    """Every role of pctp.units.roles, as a person of side A would hold it in the demo
    (commune A's code in the units' codes)."""
    return [
        Persona("ward_officer", "intake_officer", f"P80-CAX-{a_code}"),
        Persona("ward_head", "unit_leader", f"P80-CAX-{a_code}", is_head=True),
        Persona("commune_investigator", "commune_investigator", f"P80-CAX-{a_code}"),
        Persona("investigator", "investigator", "P80-CA-CSDT"),
        Persona("procurator", "procurator", "REGIONAL_PROCURACY_A"),
        Persona("judge", "court_officer", "REGIONAL_COURT_A"),
        Persona("department", "department_officer", "P80-SO-GDDT"),
        Persona("commune_ubnd", "department_officer", f"P80-UBNDX-{a_code}"),
        Persona("analyst", "statistics_analyst", "P80-CA-PV06"),
        Persona("auditor", "auditor", "P80-TTRA"),
        Persona("leader", "provincial_leader", "P80"),
        Persona("admin", "system_admin", "P80", is_staff=True),
        Persona("anonymous", None),
    ]


PERSONA_KEYS = tuple(p.key for p in personas("?"))


@dataclass
class World:
    communes: dict[str, Commune]
    units: dict[str, dict[str, Unit]]
    users: dict[str, User] = field(default_factory=dict)
    personas: list[Persona] = field(default_factory=list)
    # objects[side][kind] -> a model instance (or a value) of that side
    objects: dict[str, dict] = field(default_factory=lambda: {s: {} for s in SIDES})

    def obj(self, side: str, kind: str):
        return self.objects[side][kind]

    def own_unit(self, persona: Persona) -> Unit | None:
        return self.units["persona"].get(persona.key)


@functools.cache
def _password_hash() -> str:
    """PASSWORD hashed once: the argon2 hash takes 0.15 s, and the world has 25 people."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def _user(username: str, role: str, unit: Unit, *, is_head=False, is_staff=False,
          name: str = "") -> User:
    user = User(username=username, full_name=name or username, is_staff=is_staff,
                is_superuser=is_staff, password=_password_hash())
    user.save()
    membership_grant(actor=None, user=user, unit=unit, role_code=role, is_head=is_head,
                     valid_from=date(2025, 7, 1))
    return user


def _other_province(code: str) -> dict[str, Unit]:
    """A small tree for another province: enough to hold one record of each kind."""
    from pctp.units.models import Province

    province = Province.objects.get(code=code)
    commune = Commune.objects.filter(province=province).order_by("code").first()
    p = f"P{code}"
    k = Unit.Kind

    def make(suffix, kind, parent=None, communes=()):
        return unit_create(actor=None, code=f"{p}{suffix}", name=f"{p}{suffix}", kind=kind,
                           province=province, parent=parent, communes=list(communes),
                           valid_from=date(2025, 7, 1))

    root = make("", k.PROVINCE)
    ubnd = make("-UBND", k.PROVINCE_COMMITTEE, root, [commune])
    police = make("-CA", k.PROVINCIAL_POLICE, root, [commune])
    vks = make("-VKS", k.PROCURACY, root, [commune])
    court = make("-TAND", k.COURT, root, [commune])
    return {
        "province": root, "ubnd": ubnd, "steering": make("-BCD138", k.STEERING_COMMITTEE, ubnd),
        "police": police, "body": make("-CA-CSDT", k.INVESTIGATION_BODY, police, [commune]),
        "commune_police": make(f"-CAX-{commune.code}", k.COMMUNE_POLICE, police, [commune]),
        "commune_committee": make(f"-UBNDX-{commune.code}", k.COMMUNE_COMMITTEE, ubnd,
                                  [commune]),
        "procuracy": make("-VKS-KV1", k.REGIONAL_PROCURACY, vks, [commune]),
        "court": make("-TAND-KV1", k.REGIONAL_COURT, court, [commune]),
    }


def build_world(media_root) -> World:
    """Create the world (inside the caller's transaction). `media_root` holds the files."""
    del media_root  # the caller points MEDIA_ROOT at it; kept in the signature as a reminder
    communes80 = list(Commune.objects.filter(province__code="80").order_by("code"))
    a = communes80[0]
    procuracy_a = Unit.objects.get(kind="regional_procuracy", communes=a)
    b = next(c for c in communes80
             if not Unit.objects.filter(pk=procuracy_a.pk, communes=c).exists())
    x_units = _other_province(OTHER_PROVINCE)
    x = x_units["commune_police"].communes.get()

    def side80(commune: Commune, body: str) -> dict[str, Unit]:
        return {
            "province": Unit.objects.get(code="P80"),
            "ubnd": Unit.objects.get(code="P80-UBND"),
            "steering": Unit.objects.get(code="P80-BCD138"),
            "body": Unit.objects.get(code=body),
            "commune_police": Unit.objects.get(code=f"P80-CAX-{commune.code}"),
            "commune_committee": Unit.objects.get(code=f"P80-UBNDX-{commune.code}"),
            "procuracy": Unit.objects.get(kind="regional_procuracy", communes=commune),
            "court": Unit.objects.get(kind="regional_court", communes=commune),
        }

    world = World(communes={"A": a, "B": b, "X": x},
                  units={"A": side80(a, "P80-CA-CSDT"), "B": side80(b, "P80-CA-ANDT"),
                         "X": x_units, "persona": {}})
    unit_codes = {"REGIONAL_PROCURACY_A": world.units["A"]["procuracy"].code,
                  "REGIONAL_COURT_A": world.units["A"]["court"].code}
    world.personas = personas(a.code)
    for p in world.personas:
        if p.role is None:
            continue
        unit = Unit.objects.get(code=unit_codes.get(p.unit_code, p.unit_code))
        world.units["persona"][p.key] = unit
        world.users[p.key] = _user(f"m_{p.key}", p.role, unit, is_head=p.is_head,
                                   is_staff=p.is_staff, name=f"Persona {p.key}")
    for side in SIDES:
        _records(world, side)
    return world


def _records(world: World, side: str) -> None:
    """One record of every kind on `side`, made by the people of that side."""
    from pctp.analytics.models import Forecast
    from pctp.areas import services as areas
    from pctp.areas.models import ModelCommune
    from pctp.cases import services as cases
    from pctp.cases.models import CriminalGroup, GroupMember
    from pctp.core.models import Notification
    from pctp.plans.models import Plan, Task, TaskUpdate, UnitReport
    from pctp.portal import services as portal
    from pctp.sources.models import Attachment
    from pctp.sources.services import Reporter, source_receive

    z = CANARY[side]
    u = world.units[side]
    commune = world.communes[side]
    objects = world.objects[side]
    today = timezone.localdate()
    people = {
        "intake": _user(f"{z}intake", "intake_officer", u["commune_police"]),
        "investigator": _user(f"{z}investigator", "investigator", u["body"]),
        "owner": _user(f"{z}owner", "unit_leader", u["commune_committee"], is_head=True),
        "leader": _user(f"{z}leader", "provincial_leader", u["province"]),
        "police_lead": _user(f"{z}police_lead", "unit_leader", u["commune_police"]),
    }
    objects["people"] = people
    objects["unit"] = u["commune_police"]
    objects["commune"] = commune

    # A different person on each side (the same one would join the sides' records).
    personal_id, sex, born = {"A": ("079092001234", "male", date(1992, 5, 17)),
                              "B": ("072095004321", "male", date(1995, 1, 9)),
                              "X": ("072198007777", "female", date(1998, 8, 30))}[side]
    source = source_receive(
        actor=people["intake"], unit=u["commune_police"], kind="denunciation",
        channel="in_person", summary=f"{z}source summary", content=f"{z}source content",
        commune=commune, address=f"{z}source address",
        reporter=Reporter(type="person", name=f"{z} Reporter", personal_id=personal_id,
                          contact="0912345678"))
    objects["source"] = source
    objects["attachment"] = Attachment.objects.create(
        source=source, file=ContentFile(f"{z}attachment body".encode(), name=f"{z}att.txt"),
        name=f"{z}attachment.txt", content_type="text/plain", size=20,
        uploaded_by=people["intake"])

    report, _passphrase = portal.portal_submit(
        commune=commune, crime_type="theft", description=f"{z}portal description text",
        identity=portal.Identity(name=f"{z} Citizen", personal_id=personal_id,
                                 contact="0912345679"),
        client_token=portal.scoped_token(f"world:{side}", "1"))
    objects["portal_report"] = report

    case = cases.case_initiate(
        actor=people["investigator"], investigation_body=u["body"],
        decision_number=f"{z}01/QĐ", summary=f"{z}case summary", origin="direct",
        charges=[cases.ChargeInput("173", 1)], initiated_on=today - timedelta(days=20),
        commune=commune, address=f"{z}case address", investigator=people["investigator"],
        procuracy=u["procuracy"])
    case.court = u["court"]
    case.save(update_fields=["court"])
    objects["case"] = case
    accused = cases.accused_add(
        actor=people["investigator"], case=case,
        person=cases.Person(name=f"{z} Accused", sex=sex, personal_id=personal_id,
                            birth_date=born, residence=f"{z}residence"),
        charges=[cases.ChargeInput("173", 1)], charged_on=today - timedelta(days=15))
    objects["accused"] = accused
    objects["measure"] = cases.measure_order(
        actor=people["investigator"], accused=accused, kind="detention.investigation",
        order_number=f"{z}02/LTG", start_on=today - timedelta(days=10))
    from pctp.cases.models import Appeal

    objects["appeal"] = Appeal.objects.create(
        case=case, kind="appeal", appellant="defendant", document_number=f"{z}KC",
        filed_on=today, grounds=f"{z}grounds", due_date=today, entered_by=people["investigator"])
    group = CriminalGroup.objects.create(name=f"{z}group", unit=u["body"],
                                         created_by=people["investigator"])
    GroupMember.objects.create(group=group, person_index=accused.person_index,
                               accused=accused, added_on=today - timedelta(days=5))
    objects["group"] = group

    plan = Plan.objects.create(number=f"{z}1/KH", title=f"{z}plan title",
                               issuing_unit=u["commune_committee"], issued_on=today.replace(day=1),
                               period_start=date(today.year, 1, 1),
                               period_end=date(today.year, 12, 31))
    objects["plan"] = plan
    task = Task.objects.create(plan=plan, number=1, title=f"{z}task title",
                               content=f"{z}task content", lead_unit=u["commune_police"],
                               deadline=date(today.year, 12, 31))
    objects["task"] = task
    objects["task_update"] = TaskUpdate.objects.create(
        task=task, unit=u["commune_police"], author=people["intake"], kind="progress",
        text=f"{z}update text", file=ContentFile(f"{z}update file".encode(),
                                                   name=f"{z}update.txt"))
    objects["unit_report"] = UnitReport.objects.create(
        task=task, unit=u["commune_police"], kind="progress",
        period_start=date(today.year, 1, 1), period_end=date(today.year, 6, 30),
        due_date=date(today.year, 7, 5), summary=f"{z}report summary",
        file=ContentFile(f"{z}report file".encode(), name=f"{z}report.txt"))
    objects["notification"] = Notification.objects.create(
        user=people["intake"], key=f"{z}note", text=f"{z}notification text",
        link=f"/plans/tasks/{task.pk}/")

    area = areas.area_select(
        actor=people["leader"], year=today.year, commune=commune, name=f"{z}area",
        types=["social_order"], decision_number=f"{z}7/QĐ-BCĐ",
        decision_date=today - timedelta(days=30), steering_unit=u["steering"],
        lead_unit=u["commune_police"])
    areas.area_start(actor=people["leader"], area=area, on=today - timedelta(days=20))
    objects["area"] = area
    objects["assessment"] = areas.assessment_draft(actor=people["leader"], area=area,
                                                   as_of=today)
    objects["model_commune"] = ModelCommune.objects.create(commune=commune, kind="security",
                                                           year=today.year)
    from pctp.imports.models import ImportIssue, ImportJob

    job = ImportJob.objects.create(
        kind="sources", name=f"{z}register.csv", sha256=z * 8, size=40, encoding="utf-8",
        sheet="CSV", header_row=1, columns={"number": 0}, state="checked",
        file=ContentFile(f"Số thụ lý\n{z}1\n".encode(), name=f"{z}register.csv"),
        created_by=people["owner"], total=1, refused=1)
    ImportIssue.objects.create(job=job, row=2, column="Số thụ lý", value=f"{z}1",
                               reason=f"{z}not a number")
    objects["import_job"] = job
    from pctp.quality.models import Flag

    objects["flag"] = Flag.objects.create(
        rule="same_person_terminated", key=f"{z}flag", unit=u["commune_police"],
        procuracy=u["commune_police"], subject="person",
        evidence=[["cases.case", objects["case"].pk]], facts={"note": f"{z}flag"})
    from pctp.outreach import services as outreach
    from pctp.outreach.models import Material, Refutation

    campaign = outreach.campaign_create(
        actor=people["police_lead"], unit=u["commune_police"], title=f"{z}campaign",
        theme=f"{z}theme", starts_on=today - timedelta(days=30), ends_on=today,
        communes=[commune], channels=["poster"])
    objects["campaign"] = campaign
    objects["material"] = Material.objects.create(
        campaign=campaign, file=ContentFile(f"{z}material".encode(), name=f"{z}material.txt"),
        name=f"{z}material.txt", content_type="text/plain", size=12,
        uploaded_by=people["police_lead"])
    claim = outreach.claim_create(
        actor=people["police_lead"], unit=u["commune_police"], platform="facebook",
        seen_on=today - timedelta(days=3), claim="Bài đăng sai sự thật về an ninh trật tự")
    claim.facts, claim.status = f"{z}facts", "refuted"
    claim.save(update_fields=["facts", "status"])
    objects["claim"] = claim
    # Public by design (no canary): the portal shows every refutation to everyone.
    objects["refutation"] = Refutation.objects.create(
        claim=claim, title="Thông tin sai sự thật", body="Nội dung bác bỏ, đã xác minh.",
        published_at=timezone.now(), author=people["police_lead"])
    from pctp.reporting.models import Report

    objects["report"] = Report.objects.create(
        kind="unit", plan=objects["plan"], period_key="2026", period_label=f"{z}2026",
        scope_key=f"unit:{u['commune_police'].code}", scope_label=f"{z}scope",
        issuer=u["commune_police"], number=f"{z}/BC", state="done",
        docx=ContentFile(f"{z}report".encode(), name=f"{z}report.docx"),
        created_by=people["owner"])
    objects["forecast"] = Forecast.objects.create(
        scope=u["commune_police"], horizon="week", method="naive", cell_size_m=500,
        starts_on=today, created_by=people["leader"], error=f"{z}forecast")


# ----------------------------------------------------------------------------- fixture

def _verified_session(user) -> Client:
    """A signed-in session that has passed the TOTP second factor on its page (the password
    step is tests/core/test_auth.py's; here it would cost an argon2 check per persona)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post("/otp/verify/", {"otp_token": f"{token:06d}", "next": "/"})
    assert response.status_code == 302, response.content[:300]
    return client


def _token_client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for every persona, built once and rolled back at the end of the module;
    each test's own writes roll back after it."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world(media)
            # Records of the journal to fill its detail paths with.
            from pctp.core.models import AccessLog, AuditEvent

            for side in ("A", "B", "X"):
                w.objects[side]["audit_event"] = AuditEvent.objects.order_by("pk").first()
                w.objects[side]["access_log"] = AccessLog.objects.create(
                    actor=w.users["auditor"], kind=AccessLog.Kind.values[0],
                    object_type="sources.source", object_id=str(w.obj("A", "source").pk))
            sessions = {p.key: (_verified_session(w.users[p.key]) if p.role
                                else Client(raise_request_exception=False))
                        for p in w.personas}
            tokens = {p.key: _token_client(w.users.get(p.key)) for p in w.personas}
            yield w, sessions, tokens
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
