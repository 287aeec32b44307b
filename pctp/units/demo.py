"""The demo province: Tỉnh Tây Ninh (code 80) with its agencies, communes and people.

Everything is looked up by code first, so running the seed again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from pctp.core.models import User
from pctp.units.models import Commune, Province, Unit
from pctp.units.services import boundaries_load, membership_grant, reference_load, unit_create

PROVINCE = "80"
REGIONS = 8
REFORM_DATE = date(2025, 7, 1)

DEPARTMENTS = [
    ("SO-GDDT", "Sở Giáo dục và Đào tạo"),
    ("SO-YTE", "Sở Y tế"),
    ("SO-VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SO-NV", "Sở Nội vụ"),
    ("SO-TC", "Sở Tài chính"),
    ("SO-CT", "Sở Công Thương"),
    ("SO-NNMT", "Sở Nông nghiệp và Môi trường"),
    ("SO-KHCN", "Sở Khoa học và Công nghệ"),
    ("SO-TP", "Sở Tư pháp"),
    ("SO-XD", "Sở Xây dựng"),
    ("TTRA", "Thanh tra tỉnh"),
    ("BCHQS", "Bộ Chỉ huy Quân sự tỉnh"),
    ("BDBP", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
]

POLICE_OFFICES = [
    ("PV01", "Phòng Hồ sơ"),
    ("PC02", "Phòng Cảnh sát hình sự"),
    ("PC03", "Phòng Cảnh sát kinh tế"),
    ("PC04", "Phòng Cảnh sát điều tra tội phạm về ma túy"),
    ("PC06", "Phòng Cảnh sát quản lý hành chính về trật tự xã hội"),
    ("PA05", "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao"),
    ("PC10", "Phòng Cảnh sát quản lý tạm giữ, tạm giam và thi hành án hình sự tại cộng đồng"),
    ("PV06", "Phòng Tham mưu"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit_code: str
    position: str
    is_head: bool = False
    is_staff: bool = False


def _lower_first(name: str) -> str:
    """"Tỉnh Tây Ninh" -> "tỉnh Tây Ninh" inside a longer name."""
    return name[0].lower() + name[1:]


def _commune_units_label(commune: Commune) -> str:
    # "Phường Tân Ninh" -> "phường Tân Ninh" after "Công an" / "UBND".
    return commune.name[0].lower() + commune.name[1:]


def _get_or_create(code: str, **kwargs) -> Unit:
    """Today's units carry no founding day: the demo's records begin in 2024 at them, so
    they stand for their own bodies before the reform too (an import refuses a row dated
    before a unit's founding day, decision 45). Units closed by the reform are below."""
    unit = Unit.objects.filter(code=code).first()
    return unit or unit_create(actor=None, code=code, valid_from=None, **kwargs)


def _regions(communes: list[Commune]) -> list[list[Commune]]:
    ordered = sorted(communes, key=lambda c: (-c.lat, c.lon))
    size = -(-len(ordered) // REGIONS)
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


@transaction.atomic
def seed_units() -> dict[str, int]:
    reference_load(actor=None)
    province = Province.objects.get(code=PROVINCE)
    communes = list(Commune.objects.filter(province=province).order_by("code"))
    from pctp.units.models import CommuneBoundary

    if not CommuneBoundary.objects.filter(commune__province=province).exists():
        from pctp.units.services import DATA_DIR

        boundaries_load(actor=None, path=DATA_DIR / "boundaries_80_tay_ninh.geojson",
                        source="NXB Tài nguyên, Môi trường và Bản đồ Việt Nam, "
                               "qua vietnamese-provinces-database (MIT)")
    p = f"P{PROVINCE}"
    common = {"province": province}
    root = _get_or_create(p, name=province.name, kind=Unit.Kind.PROVINCE, **common)
    ubnd = _get_or_create(f"{p}-UBND", name=f"Ủy ban nhân dân {_lower_first(province.name)}",
                          short_name="UBND tỉnh", kind=Unit.Kind.PROVINCE_COMMITTEE,
                          parent=root, communes=communes, **common)
    _get_or_create(f"{p}-BCD138", name="Ban Chỉ đạo 138 tỉnh (phòng, chống tội phạm)",
                   short_name="BCĐ 138", kind=Unit.Kind.STEERING_COMMITTEE, parent=ubnd, **common)
    for code, name in DEPARTMENTS:
        _get_or_create(f"{p}-{code}", name=name, kind=Unit.Kind.DEPARTMENT, parent=ubnd, **common)
    police = _get_or_create(f"{p}-CA", name=f"Công an {_lower_first(province.name)}",
                            short_name="Công an tỉnh", kind=Unit.Kind.PROVINCIAL_POLICE,
                            parent=root, communes=communes, **common)
    _get_or_create(f"{p}-CA-CSDT", name="Cơ quan Cảnh sát điều tra Công an tỉnh",
                   short_name="CQCSĐT", kind=Unit.Kind.INVESTIGATION_BODY, parent=police,
                   communes=communes, **common)
    _get_or_create(f"{p}-CA-ANDT", name="Cơ quan An ninh điều tra Công an tỉnh",
                   short_name="CQANĐT", kind=Unit.Kind.INVESTIGATION_BODY, parent=police,
                   communes=communes, **common)
    for code, name in POLICE_OFFICES:
        _get_or_create(f"{p}-CA-{code}", name=name, short_name=code,
                       kind=Unit.Kind.POLICE_OFFICE, parent=police, **common)
    procuracy = _get_or_create(f"{p}-VKS", name=f"Viện kiểm sát nhân dân {_lower_first(province.name)}",
                               short_name="VKSND tỉnh", kind=Unit.Kind.PROCURACY, parent=root,
                               communes=communes, **common)
    court = _get_or_create(f"{p}-TAND", name=f"Tòa án nhân dân {_lower_first(province.name)}",
                           short_name="TAND tỉnh", kind=Unit.Kind.COURT, parent=root,
                           communes=communes, **common)
    for number, region in enumerate(_regions(communes), start=1):
        _get_or_create(f"{p}-VKS-KV{number}",
                       name=f"Viện kiểm sát nhân dân khu vực {number} - {province.name}",
                       short_name=f"VKSND KV{number}", kind=Unit.Kind.REGIONAL_PROCURACY,
                       parent=procuracy, communes=region, **common)
        _get_or_create(f"{p}-TAND-KV{number}",
                       name=f"Tòa án nhân dân khu vực {number} - {province.name}",
                       short_name=f"TAND KV{number}", kind=Unit.Kind.REGIONAL_COURT,
                       parent=court, communes=region, **common)
    for commune in communes:
        label = _commune_units_label(commune)
        _get_or_create(f"{p}-CAX-{commune.code}", name=f"Công an {label}",
                       kind=Unit.Kind.COMMUNE_POLICE, parent=police, communes=[commune], **common)
        _get_or_create(f"{p}-UBNDX-{commune.code}", name=f"Ủy ban nhân dân {label}",
                       short_name=f"UBND {label}", kind=Unit.Kind.COMMUNE_COMMITTEE,
                       parent=ubnd, communes=[commune], **common)
    _former_units(police)
    return {"units": Unit.objects.filter(province=province).count()}


# Units that closed with the reform of 1 July 2025, and the unit that carries on their work:
# the district police (their investigations went to the provincial investigation body) and
# the police of towns merged into today's communes. Registers kept before the reform name
# them; an import follows them to today's unit. A handful for the demo; a province enters
# its own in the units administration (close a unit, name its successor).
FORMER_UNITS = [  # i18n: data (unit names)
    ("CAH-BENLUC", "Công an huyện Bến Lức", "district_police", "CA-CSDT"),
    ("CAH-GODAU", "Công an huyện Gò Dầu", "district_police", "CA-CSDT"),
    ("CAH-CANGIUOC", "Công an huyện Cần Giuộc", "district_police", "CA-CSDT"),
    ("CAH-TANAN", "Công an thành phố Tân An", "district_police", "CA-CSDT"),
    ("CAH-TRANGBANG", "Công an thị xã Trảng Bàng", "district_police", "CA-CSDT"),
    ("CATT-BENLUC", "Công an thị trấn Bến Lức", "commune_police", "CAX-27991"),
    ("CATT-GODAU", "Công an thị trấn Gò Dầu", "commune_police", "CAX-25654"),
    ("CATT-TANBIEN", "Công an thị trấn Tân Biên", "commune_police", "CAX-25486"),
    ("CATT-CANGIUOC", "Công an thị trấn Cần Giuộc", "commune_police", "CAX-28159"),
    ("CATT-THUTHUA", "Công an thị trấn Thủ Thừa", "commune_police", "CAX-28036"),
    ("CATT-HAUNGHIA", "Công an thị trấn Hậu Nghĩa", "commune_police", "CAX-27931"),
]
FORMER_UNTIL = date(2025, 6, 30)


def _former_units(police: Unit) -> None:
    from pctp.units.services import unit_close

    p = f"P{PROVINCE}"
    for code, name, kind, successor in FORMER_UNITS:
        if Unit.objects.filter(code=f"{p}-{code}").exists():
            continue
        unit = unit_create(actor=None, code=f"{p}-{code}", name=name, kind=kind,
                           province=police.province, parent=police)
        unit_close(actor=None, unit=unit, on=FORMER_UNTIL,
                   successor=Unit.objects.get(code=f"{p}-{successor}"),
                   note="Sắp xếp đơn vị hành chính, tổ chức công an từ 01/7/2025")


def _regional_accounts(commune: Commune) -> list[DemoAccount]:
    """A procurator and a judge of the regional procuracy and court that receive the demo
    wards' cases (issue 17: tiepnhan1's ward sends to khu vực 2, which had no account)."""
    out = []
    people = {"regional_procuracy": ("kiemsat", "Hồ Thị Ngọc", "procurator", "Kiểm sát viên VKSND"),
              "regional_court": ("toaan", "Châu Văn Lực", "court_officer", "Thẩm phán TAND")}
    for kind, (prefix, name, role, title) in people.items():
        unit = Unit.objects.filter(kind=kind, communes=commune).order_by("code").first()
        if unit is None:
            continue
        region = unit.code.rsplit("-", 1)[-1].lower()  # kv2
        if region == "kv1":
            continue  # kiemsat.kv1 and toaan.kv1 already
        out.append(DemoAccount(f"{prefix}.{region}", name, role, unit.code,
                               f"{title} khu vực {region[2:]}"))
    return out


def demo_accounts() -> list[DemoAccount]:
    communes = list(Commune.objects.filter(province__code=PROVINCE).order_by("code")[:2])
    a, b = communes[0], communes[1]
    p = f"P{PROVINCE}"
    return [
        DemoAccount("quantri", "Nguyễn Văn Quản", "system_admin", p, "Quản trị hệ thống",
                    is_staff=True),
        DemoAccount("lanhdao", "Trần Thị Lan", "provincial_leader", p,
                    "Phó Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo 138"),
        DemoAccount("thongke", "Lê Minh Thống", "statistics_analyst", f"{p}-CA-PV06",
                    "Cán bộ thống kê tội phạm"),
        DemoAccount("kiemtoan", "Phạm Thu Hà", "auditor", f"{p}-TTRA", "Thanh tra viên"),
        DemoAccount("tiepnhan1", "Võ Thanh Tâm", "intake_officer", f"{p}-CAX-{a.code}",
                    f"Cán bộ Công an {_commune_units_label(a)}"),
        DemoAccount("truongcax1", "Huỳnh Văn Khải", "unit_leader", f"{p}-CAX-{a.code}",
                    f"Trưởng Công an {_commune_units_label(a)}", is_head=True),
        DemoAccount("tiepnhan2", "Đặng Ngọc Bích", "intake_officer", f"{p}-CAX-{b.code}",
                    f"Cán bộ Công an {_commune_units_label(b)}"),
        DemoAccount("dieutra", "Bùi Quốc Hùng", "investigator", f"{p}-CA-CSDT",
                    "Điều tra viên, Cơ quan CSĐT"),
        DemoAccount("thutruong", "Ngô Đức Thắng", "unit_leader", f"{p}-CA-CSDT",
                    "Thủ trưởng Cơ quan CSĐT Công an tỉnh", is_head=True),
        DemoAccount("kiemsat", "Đỗ Thị Mai", "procurator", f"{p}-VKS", "Kiểm sát viên VKSND tỉnh"),
        DemoAccount("kiemsat.kv1", "Trương Văn Nam", "procurator", f"{p}-VKS-KV1",
                    "Kiểm sát viên VKSND khu vực 1"),
        DemoAccount("toaan.kv1", "Lý Thị Hồng", "court_officer", f"{p}-TAND-KV1",
                    "Thẩm phán TAND khu vực 1"),
        *_regional_accounts(a),
        DemoAccount("so.giaoduc", "Phan Văn Giáo", "department_officer", f"{p}-SO-GDDT",
                    "Chuyên viên Sở Giáo dục và Đào tạo"),
        DemoAccount("ubndxa1", "Mai Văn Xuân", "department_officer", f"{p}-UBNDX-{a.code}",
                    f"Công chức UBND {_commune_units_label(a)}"),
    ]


@transaction.atomic
def seed_people(password: str) -> list[tuple[DemoAccount, bool]]:
    out = []
    for account in demo_accounts():
        user = User.objects.filter(username=account.username).first()
        created = user is None
        if created:
            user = User(username=account.username, full_name=account.full_name,
                        position=account.position, is_staff=account.is_staff,
                        is_superuser=account.is_staff)
            user.set_password(password)
            user.save()
            from pctp.core.audit import audit_record

            audit_record(actor=None, action="user.create", obj=user, to_state="active",
                         note="demo seed")
        unit = Unit.objects.get(code=account.unit_code)
        membership_grant(actor=None, user=user, unit=unit, role_code=account.role,
                         is_head=account.is_head, valid_from=REFORM_DATE)
        out.append((account, created))
    return out


def seed(*, password: str, stdout) -> dict:
    stdout.write("Seeding units of Tỉnh Tây Ninh…")
    summary = seed_units()
    summary["accounts"] = seed_people(password)
    return summary
