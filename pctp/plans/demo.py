"""The demo plan of Tỉnh Tây Ninh: Kế hoạch số 125/KH-UBND (10/7/2025) carrying out
Conclusion 13-KL/TW and Directive 36-CT/TW from 7/2025 to the end of 2026, with its tasks
spread over the departments, the provincial police, the Fatherland Front and four
communes, and the monthly, quarterly and six-monthly reports they owe.

Every task follows one story (done on time, done late, awaiting acceptance, returned with
a reason, in progress, overdue, new, cancelled), each step dated as it would have happened
and never later than today; reports are submitted on time, late, after a return, or not
at all, with a fixed random seed so that the same day gives the same demo. The steps obey
the transition tables of `services` (checked as they are written). As in the crime-source
demo, rows are written directly and the journal's rows go in with a plain INSERT that sets
the time each step happened (`AuditEvent.at` is auto_now_add, and the journal refuses
UPDATE on PostgreSQL). Running the seed again changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from pctp.core.audit import audit_record
from pctp.core.models import AuditEvent, Notification, User
from pctp.plans import services as s
from pctp.plans.models import Plan, ReportKind, Task, TaskUpdate, UnitReport
from pctp.plans.periods import periods
from pctp.units.demo import PROVINCE, REFORM_DATE, DemoAccount
from pctp.units.models import Commune, Unit
from pctp.units.services import membership_end, membership_grant

VN = ZoneInfo("Asia/Ho_Chi_Minh")
P = f"P{PROVINCE}"
SEED = 20250710
NUMBER = "125/KH-UBND"
TITLE = ("Thực hiện Kết luận số 13-KL/TW và Chỉ thị số 36-CT/TW về phòng, chống tội phạm và "
         "ma túy trên địa bàn tỉnh năm 2025–2026")
ISSUED = date(2025, 7, 10)
PERIOD = (date(2025, 7, 1), date(2026, 12, 31))
LEGAL_BASIS = (
    "Kết luận số 13-KL/TW ngày 16/8/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số "
    "48-CT/TW về tăng cường sự lãnh đạo của Đảng đối với công tác phòng, chống tội phạm;\n"
    "Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị về tăng cường, nâng cao hiệu quả công "
    "tác phòng, chống và kiểm soát ma túy;\n"
    "Nghị quyết số 96/2019/QH14 của Quốc hội về công tác phòng, chống tội phạm và vi phạm pháp "
    "luật, công tác của Viện kiểm sát nhân dân, Tòa án nhân dân và công tác thi hành án.")
OLD_HEAD_UNTIL = date(2026, 4, 1)


def _communes() -> list[Commune]:
    return list(Commune.objects.filter(province__code=PROVINCE).order_by("code")[:4])


def _lower(name: str) -> str:
    return name[0].lower() + name[1:]


def heads() -> list[DemoAccount]:
    """The heads of the units the demo plan gives tasks to (accountable on the scorecard)."""
    a, b, c, d = _communes()
    return [
        DemoAccount("gd.congan", "Nguyễn Văn Trung", "unit_leader", f"{P}-CA",
                    "Giám đốc Công an tỉnh, Phó Trưởng ban Thường trực BCĐ 138", is_head=True),
        DemoAccount("gd.sogddt", "Lê Thị Thu Hương", "unit_leader", f"{P}-SO-GDDT",
                    "Giám đốc Sở Giáo dục và Đào tạo", is_head=True),
        DemoAccount("gd.soyte.cu", "Trần Văn Phước", "unit_leader", f"{P}-SO-YTE",
                    "Nguyên Giám đốc Sở Y tế (đến 31/3/2026)", is_head=True),
        DemoAccount("gd.soyte", "Huỳnh Thị Kim Loan", "unit_leader", f"{P}-SO-YTE",
                    "Giám đốc Sở Y tế (từ 01/4/2026)", is_head=True),
        DemoAccount("gd.sovhttdl", "Phạm Minh Tâm", "unit_leader", f"{P}-SO-VHTTDL",
                    "Giám đốc Sở Văn hóa, Thể thao và Du lịch", is_head=True),
        DemoAccount("gd.sonv", "Võ Thành Nhân", "unit_leader", f"{P}-SO-NV",
                    "Giám đốc Sở Nội vụ", is_head=True),
        DemoAccount("gd.sotc", "Đặng Thị Ngọc Diễm", "unit_leader", f"{P}-SO-TC",
                    "Giám đốc Sở Tài chính", is_head=True),
        DemoAccount("gd.soct", "Bùi Quốc Thắng", "unit_leader", f"{P}-SO-CT",
                    "Giám đốc Sở Công Thương", is_head=True),
        DemoAccount("gd.sonnmt", "Ngô Văn Hòa", "unit_leader", f"{P}-SO-NNMT",
                    "Giám đốc Sở Nông nghiệp và Môi trường", is_head=True),
        DemoAccount("gd.sokhcn", "Lý Thanh Sơn", "unit_leader", f"{P}-SO-KHCN",
                    "Giám đốc Sở Khoa học và Công nghệ", is_head=True),
        DemoAccount("gd.sotp", "Trương Thị Mỹ Hạnh", "unit_leader", f"{P}-SO-TP",
                    "Giám đốc Sở Tư pháp", is_head=True),
        DemoAccount("gd.soxd", "Hồ Văn Lộc", "unit_leader", f"{P}-SO-XD",
                    "Giám đốc Sở Xây dựng", is_head=True),
        DemoAccount("ct.thanhtra", "Dương Văn Khang", "unit_leader", f"{P}-TTRA",
                    "Chánh Thanh tra tỉnh", is_head=True),
        DemoAccount("ct.mttq", "Châu Thị Ngọc Lan", "unit_leader", f"{P}-MTTQ",
                    "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", is_head=True),
        DemoAccount("chq.bchqs", "Thái Quốc Việt", "unit_leader", f"{P}-BCHQS",
                    "Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh", is_head=True),
        DemoAccount("chq.bdbp", "Tô Văn Bình", "unit_leader", f"{P}-BDBP",
                    "Chỉ huy trưởng Bộ Chỉ huy Bộ đội Biên phòng tỉnh", is_head=True),
        *[DemoAccount(f"ct.xa{n}", name, "unit_leader", f"{P}-UBNDX-{commune.code}",
                      f"Chủ tịch UBND {_lower(commune.name)}", is_head=True)
          for n, (commune, name) in enumerate(
              [(a, "Mai Thanh Hải"), (b, "Quách Văn Tài"), (c, "Lâm Thị Hồng Nhung"),
               (d, "Phan Hữu Nghĩa")], start=1)],
    ]


# ----------------------------------------------------------------------------- the tasks

@dataclass(frozen=True)
class Spec:
    key: str
    lead: str
    title: str
    content: str
    expected: str = ""
    coord: tuple[str, ...] = ()
    target: str = ""
    item: str = ""
    priority: str = "normal"
    deadline: date | None = None
    recurrence: str = ""
    first_due: date | None = None
    report_kind: str = ""
    story: str = "in_progress"
    when: date | None = None  # the day of the story's last step, where it matters
    reason: str = ""


def specs() -> list[Spec]:
    a, b, c, d = (f"{P}-UBNDX-{commune.code}" for commune in _communes())
    ca, gd, yt, vh = f"{P}-CA", f"{P}-SO-GDDT", f"{P}-SO-YTE", f"{P}-SO-VHTTDL"
    nv, tc, ct, nn = f"{P}-SO-NV", f"{P}-SO-TC", f"{P}-SO-CT", f"{P}-SO-NNMT"
    kh, tp, xd, tt = f"{P}-SO-KHCN", f"{P}-SO-TP", f"{P}-SO-XD", f"{P}-TTRA"
    mt, qs, bp, vks, ta = f"{P}-MTTQ", f"{P}-BCHQS", f"{P}-BDBP", f"{P}-VKS", f"{P}-TAND"
    d_ = date
    return [
        # --- recurring reports
        Spec("R-TONGHOP", ca, "Theo dõi, tổng hợp kết quả thực hiện Kế hoạch và các chỉ tiêu",
             "Cơ quan thường trực Ban Chỉ đạo 138 theo dõi, đôn đốc, tổng hợp kết quả thực hiện "
             "Kế hoạch của các sở, ngành, địa phương; báo cáo UBND tỉnh hằng quý.",
             "Báo cáo quý đúng hạn, đủ số liệu 10 chỉ tiêu", item="Mục IV — Tổ chức thực hiện",
             priority="high", recurrence="quarterly", first_due=d_(2025, 9, 15),
             report_kind=ReportKind.PROGRESS),
        Spec("R-NGUONTIN", ca, "Tiếp nhận, phân loại, giải quyết tố giác, tin báo về tội phạm",
             "Tiếp nhận, phân loại và xử lý 100% tố giác, tin báo về tội phạm và kiến nghị khởi "
             "tố; giải quyết đạt trên 90%; báo cáo kết quả hằng tháng.",
             "T2 đạt 100%, T3 trên 90%", coord=(), target="T2", priority="high",
             recurrence="monthly", first_due=d_(2025, 8, 20), report_kind=ReportKind.PROGRESS),
        Spec("R-NGUYENNHAN", ca,
             "Rà soát nguyên nhân, điều kiện phát sinh tội phạm trong phạm vi quản lý của ngành, "
             "địa phương",
             "Các sở, ngành, địa phương rà soát những sơ hở, thiếu sót trong quản lý nhà nước, "
             "cơ chế, chính sách mà tội phạm lợi dụng; đề ra biện pháp khắc phục; báo cáo hằng "
             "quý về Công an tỉnh (cơ quan thường trực) tổng hợp.",
             "Báo cáo rà soát của từng ngành, địa phương mỗi quý", target="T1",
             coord=(gd, yt, vh, ct, nn, a, b), recurrence="quarterly",
             first_due=d_(2025, 9, 30), report_kind=ReportKind.CAUSES_CONDITIONS),
        Spec("R-METHADONE", yt, "Điều trị nghiện bằng thuốc thay thế, quản lý người sau cai",
             "Duy trì điều trị Methadone tại các cơ sở; phối hợp Công an quản lý người sau cai "
             "nghiện, người sử dụng trái phép chất ma túy.", "Tỷ lệ duy trì điều trị trên 80%",
             item="Chỉ thị 36-CT/TW", recurrence="quarterly", first_due=d_(2025, 9, 30),
             report_kind=ReportKind.PROGRESS),
        Spec("R-TRUYENTHONG", vh,
             "Tuyên truyền trên báo chí, mạng xã hội về phòng, chống tội phạm; phản bác thông "
             "tin sai lệch",
             "Chỉ đạo báo chí, cổng thông tin điện tử đăng tải tin, bài về phòng, chống tội phạm; "
             "kịp thời phản bác thông tin xấu, độc, sai lệch về chính sách phòng, chống tội phạm.",
             "Mỗi quý ít nhất 60 tin, bài", item="Mục III.10 — Tuyên truyền",
             recurrence="quarterly", first_due=d_(2025, 9, 30), report_kind=ReportKind.PROGRESS),
        Spec("R-SAUCAI", nv, "Quản lý, hỗ trợ người chấp hành xong án phạt tù tái hòa nhập",
             "Hỗ trợ học nghề, việc làm, vay vốn cho người chấp hành xong án phạt tù và người sau "
             "cai nghiện; phối hợp UBND cấp xã quản lý, giúp đỡ.", "Không để tái phạm",
             recurrence="quarterly", first_due=d_(2025, 9, 30), report_kind=ReportKind.PROGRESS),
        Spec("R-PHOBIEN", tp, "Phổ biến, giáo dục pháp luật về phòng, chống tội phạm tại cơ sở",
             "Tổ chức phổ biến Bộ luật Hình sự, Luật Phòng, chống ma túy 2021 và các văn bản mới "
             "cho cán bộ, nhân dân tại xã, phường.", "96/96 xã, phường được phổ biến",
             recurrence="six_monthly", first_due=d_(2025, 12, 31),
             report_kind=ReportKind.PROGRESS),
        Spec("R-MTTQ", mt, "Phong trào toàn dân bảo vệ an ninh Tổ quốc, mô hình tự quản",
             "Vận động nhân dân tham gia phát hiện, tố giác tội phạm; nhân rộng các mô hình tự "
             "quản về an ninh, trật tự ở khu dân cư.", "Mỗi xã, phường ít nhất 1 mô hình hiệu "
             "quả", item="Mục III.7 — Phối hợp", recurrence="six_monthly",
             first_due=d_(2025, 12, 31), report_kind=ReportKind.PROGRESS),
        Spec("R-XA1", a, "Rà soát nguyên nhân, điều kiện phát sinh tội phạm trên địa bàn",
             "Hằng tháng rà soát tình hình, nguyên nhân, điều kiện phát sinh tội phạm, tệ nạn "
             "xã hội trên địa bàn; báo cáo Ban Chỉ đạo 138 tỉnh.", target="T1",
             recurrence="monthly", first_due=d_(2025, 8, 31),
             report_kind=ReportKind.CAUSES_CONDITIONS),
        Spec("R-XA2", b, "Rà soát nguyên nhân, điều kiện phát sinh tội phạm trên địa bàn",
             "Hằng tháng rà soát tình hình, nguyên nhân, điều kiện phát sinh tội phạm, tệ nạn "
             "xã hội trên địa bàn; báo cáo Ban Chỉ đạo 138 tỉnh.", target="T1",
             recurrence="monthly", first_due=d_(2025, 8, 31),
             report_kind=ReportKind.CAUSES_CONDITIONS),
        Spec("R-XA3", c, "Rà soát nguyên nhân, điều kiện phát sinh tội phạm khu vực biên giới",
             "Hằng quý rà soát tình hình tội phạm ma túy, buôn lậu qua biên giới trên địa bàn "
             "xã; báo cáo Ban Chỉ đạo 138 tỉnh.", target="T1", recurrence="quarterly",
             first_due=d_(2025, 9, 30), report_kind=ReportKind.CAUSES_CONDITIONS),
        # --- the provincial police
        Spec("CA-TET", ca, "Cao điểm tấn công, trấn áp tội phạm dịp Tết Nguyên đán Bính Ngọ "
             "2026", "Mở đợt cao điểm từ 15/12/2025 đến 15/3/2026, tập trung tội phạm về trật tự "
             "xã hội, ma túy, cờ bạc, đua xe trái phép.", "Số vụ phạm tội về TTXH giảm ít nhất "
             "5%", coord=(tp, vks), target="T1", priority="high", deadline=d_(2026, 3, 15),
             story="on_time"),
        Spec("CA-KHAMPHA", ca, "Nâng cao tỷ lệ điều tra, khám phá án", "Tập trung lực lượng điều "
             "tra, khám phá nhanh các vụ án, nhất là án rất nghiêm trọng, đặc biệt nghiêm trọng; "
             "truy bắt đối tượng truy nã.", "Tỷ lệ khám phá trên 75%; án rất nghiêm trọng, đặc "
             "biệt nghiêm trọng trên 90%", coord=(vks,), target="T4", priority="high",
             deadline=d_(2026, 12, 31), story="in_progress"),
        Spec("CA-CNC", ca, "Phòng, chống tội phạm sử dụng công nghệ cao, lừa đảo qua mạng",
             "Đấu tranh với tội phạm lừa đảo chiếm đoạt tài sản qua mạng, đánh bạc trực tuyến; "
             "cảnh báo phương thức, thủ đoạn mới.", "Triệt phá các đường dây lừa đảo, đánh bạc "
             "qua mạng", coord=(kh,), target="T4", deadline=d_(2026, 9, 30), story="on_time"),
        Spec("CA-CANHBAO", ca, "Cảnh báo thủ đoạn lừa đảo qua mạng đến học sinh, sinh viên và "
             "người dân", "Phối hợp ngành giáo dục, văn hóa và Mặt trận tổ chức tuyên truyền, "
             "cảnh báo các thủ đoạn lừa đảo qua mạng, việc làm lương cao, 'bắt cóc online'.",
             "100% trường THPT, cao đẳng được tuyên truyền", coord=(gd, vh, mt), target="T1",
             deadline=d_(2026, 12, 25), story="in_progress"),
        Spec("CA-CHUYENHOA", ca, "Chuyển hóa địa bàn trọng điểm, phức tạp về trật tự xã hội",
             "Lựa chọn địa bàn trọng điểm, phức tạp; huy động các ngành, địa phương tham gia "
             "chuyển hóa; ngăn chặn tái phức tạp.", "Ít nhất 60% địa bàn được chuyển hóa",
             coord=(nv, a, b), target="T9", priority="high", deadline=d_(2026, 12, 31),
             story="in_progress"),
        # --- inspectorate, finance, trade, environment
        Spec("TTRA-THUHOI", tt, "Thanh tra công vụ, phát hiện, xử lý tham nhũng và thu hồi "
             "tài sản", "Thanh tra trách nhiệm thủ trưởng trong phòng, chống tham nhũng; kiến "
             "nghị thu hồi tài sản tham nhũng, chuyển cơ quan điều tra các vụ có dấu hiệu tội "
             "phạm.", "Thu hồi ít nhất 60% tài sản tham nhũng", coord=(tc, ca), target="T6",
             priority="high", deadline=d_(2026, 10, 31), story="submitted",
             when=d_(2026, 10, 28)),
        Spec("TC-KINHPHI", tc, "Bố trí kinh phí thực hiện Kế hoạch năm 2026", "Thẩm định, tham "
             "mưu UBND tỉnh bố trí kinh phí cho Ban Chỉ đạo 138 và các ngành, địa phương.",
             "Quyết định giao dự toán", coord=(ca, nv), item="Mục V — Kinh phí",
             deadline=d_(2026, 1, 31), story="on_time"),
        Spec("TC-QUYETTOAN", tc, "Hướng dẫn thanh, quyết toán kinh phí phong trào toàn dân bảo "
             "vệ an ninh Tổ quốc", "Ban hành hướng dẫn thanh, quyết toán cho cấp xã.",
             "Văn bản hướng dẫn", item="Mục V — Kinh phí", deadline=d_(2026, 12, 15),
             story="assigned", when=d_(2026, 11, 20)),
        Spec("CT-BUONLAU", ct, "Chống buôn lậu, gian lận thương mại, hàng giả qua biên giới",
             "Chỉ đạo lực lượng quản lý thị trường phối hợp Biên phòng, Công an kiểm tra, xử lý "
             "buôn lậu thuốc lá, đường cát, hàng giả.", "Giảm buôn lậu qua biên giới",
             coord=(ca, bp), deadline=d_(2026, 7, 31), story="submitted_late",
             when=d_(2026, 8, 12)),
        Spec("NN-CAT", nn, "Phòng, chống khai thác cát trái phép trên sông Vàm Cỏ Đông",
             "Kiểm tra, xử lý khai thác khoáng sản trái phép; phối hợp Công an đấu tranh tội "
             "phạm về môi trường.", "Chấm dứt điểm nóng khai thác cát", coord=(ca, c),
             deadline=d_(2026, 9, 30), story="overdue"),
        Spec("NN-DATDAI", nn, "Rà soát lĩnh vực đất đai có nguy cơ tham nhũng, lợi dụng",
             "Rà soát thủ tục giao đất, cho thuê đất, chuyển mục đích sử dụng đất; công khai quy "
             "trình.", "Báo cáo rà soát, kiến nghị sửa đổi", target="T6",
             deadline=d_(2026, 4, 30), story="on_time"),
        # --- education
        Spec("GD-TUYENTRUYEN", gd, "Tuyên truyền phòng, chống ma túy, bạo lực học đường trong "
             "trường THPT", "Tổ chức tuyên truyền phòng, chống ma túy, bạo lực học đường, tội "
             "phạm công nghệ cao tại các trường THPT, trung tâm GDNN-GDTX.", "100% trường THPT "
             "được tuyên truyền", coord=(yt, ca), target="T1", deadline=d_(2025, 12, 31),
             story="on_time"),
        Spec("GD-NGOAITRU", gd, "Quản lý học sinh ngoại trú, ở trọ", "Rà soát học sinh ngoại "
             "trú, ở trọ; phối hợp Công an xã, phường quản lý nhà trọ quanh trường.",
             "Danh sách học sinh ở trọ được cập nhật", coord=(ca,), deadline=d_(2026, 3, 31),
             story="late"),
        Spec("GD-NGOAIKHOA", gd, "Đưa nội dung phòng, chống lừa đảo qua mạng vào hoạt động ngoại "
             "khóa năm học 2026–2027", "Xây dựng tài liệu, tổ chức ngoại khóa về nhận diện lừa "
             "đảo qua mạng, bảo vệ dữ liệu cá nhân cho học sinh.", "Tài liệu và kế hoạch ngoại "
             "khóa ở 100% trường THPT", coord=(mt,), target="T1", deadline=d_(2026, 11, 15),
             story="returned", when=d_(2026, 11, 20),
             reason="Báo cáo chưa có số liệu trường, lớp đã tổ chức ngoại khóa; đề nghị bổ sung "
                    "danh sách và biên bản kèm theo."),
        Spec("GD-XETNGHIEM", gd, "Phát hiện sớm học sinh sử dụng ma túy tổng hợp", "Phối hợp "
             "ngành y tế xét nghiệm ngẫu nhiên, phát hiện và can thiệp sớm học sinh có biểu hiện "
             "sử dụng ma túy.", "Quy trình phối hợp và danh sách can thiệp", coord=(yt,),
             target="T1", deadline=d_(2026, 12, 20), story="in_progress"),
        Spec("GD-MOHINH", gd, "Mô hình 'Trường học an toàn, không ma túy' tại 10 trường THPT",
             "Xây dựng, đánh giá và nhân rộng mô hình tại 10 trường THPT thí điểm.", "10 trường "
             "đạt tiêu chí", coord=(ca,), deadline=d_(2026, 9, 30), story="overdue"),
        Spec("GD-NAMHOC", gd, "Báo cáo kết quả phòng, chống tội phạm năm học 2025–2026",
             "Tổng kết công tác phòng, chống tội phạm, ma túy trong ngành giáo dục năm học.",
             "Báo cáo tổng kết", deadline=d_(2026, 7, 15), story="on_time"),
        # --- health, culture, home affairs, justice, construction, science
        Spec("YT-THUOC", yt, "Quản lý thuốc gây nghiện, hướng thần, tiền chất", "Kiểm tra việc "
             "quản lý thuốc gây nghiện, hướng thần, tiền chất tại cơ sở y tế, nhà thuốc.",
             "Không để thất thoát vào mục đích bất hợp pháp", coord=(ca,),
             deadline=d_(2026, 6, 30), story="on_time"),
        Spec("YT-THUOCGIA", yt, "Chống buôn bán thuốc giả, thực phẩm chức năng giả trên mạng",
             "Phối hợp Công Thương, Công an kiểm tra quảng cáo, buôn bán thuốc, thực phẩm chức "
             "năng giả trên mạng xã hội.", "Xử lý các trang bán hàng vi phạm", coord=(ct, ca),
             deadline=d_(2026, 2, 28), story="late"),
        Spec("VH-KARAOKE", vh, "Kiểm tra cơ sở karaoke, vũ trường, quán bar", "Kiểm tra, xử lý "
             "vi phạm về ma túy, mại dâm tại cơ sở kinh doanh dịch vụ nhạy cảm, nhất là gần "
             "trường học.", "Mỗi cơ sở được kiểm tra ít nhất 1 lần", coord=(ca, gd),
             target="T1", deadline=d_(2026, 8, 31), story="late"),
        Spec("NV-TAPHUAN", nv, "Tập huấn phòng, chống ma túy cho cán bộ xã hội cấp xã",
             "Tổ chức tập huấn nghiệp vụ quản lý người nghiện, người sau cai cho công chức văn "
             "hóa – xã hội cấp xã.", "96/96 xã, phường có cán bộ được tập huấn", coord=(tc,),
             deadline=d_(2026, 5, 31), story="on_time"),
        Spec("TP-SOHO", tp, "Rà soát, đề xuất sửa đổi quy định quản lý còn sơ hở", "Rà soát "
             "văn bản quy phạm pháp luật của tỉnh còn sơ hở, bị lợi dụng để phạm tội; đề xuất "
             "sửa đổi.", "Báo cáo rà soát và dự thảo sửa đổi", deadline=d_(2026, 6, 30),
             story="late"),
        Spec("XD-NHATRO", xd, "Quản lý trật tự xây dựng, nhà cho thuê quanh khu công nghiệp",
             "Rà soát nhà cho thuê, ký túc xá công nhân quanh khu công nghiệp Trảng Bàng, Phước "
             "Đông; phối hợp quản lý cư trú.", "Danh sách nhà cho thuê được cập nhật",
             coord=(ca,), deadline=d_(2026, 10, 15), story="submitted", when=d_(2026, 10, 14)),
        Spec("KH-DEAN06", kh, "Ứng dụng Đề án 06 và dữ liệu dân cư trong phòng, chống tội phạm",
             "Kết nối, khai thác Cơ sở dữ liệu quốc gia về dân cư; số hóa hồ sơ quản lý đối "
             "tượng; ứng dụng trí tuệ nhân tạo trong phân tích tình hình.", "Hệ thống kết nối "
             "vận hành", coord=(ca,), item="Mục III.9 — Chuyển đổi số",
             deadline=d_(2026, 12, 31), story="in_progress"),
        # --- Front, military, border guard
        Spec("MT-GIAMSAT", mt, "Giám sát việc thực hiện Kế hoạch tại các xã, phường",
             "Giám sát, phản biện việc thực hiện Kế hoạch ở cơ sở; tổng hợp kiến nghị của cử tri.",
             "Báo cáo giám sát", deadline=d_(2026, 11, 30), story="in_progress"),
        Spec("BP-MATUY", bp, "Đấu tranh tội phạm ma túy, buôn lậu qua biên giới Tây Ninh – "
             "Campuchia", "Tuần tra, kiểm soát đường biên, cửa khẩu; triệt phá đường dây vận "
             "chuyển ma túy qua biên giới.", "Triệt phá các đường dây lớn", coord=(ca, ct, c),
             target="T4", priority="high", deadline=d_(2026, 6, 30), story="on_time"),
        Spec("QS-TUANTRA", qs, "Phối hợp tuần tra địa bàn giáp ranh", "Phối hợp Công an tuần tra "
             "các địa bàn giáp ranh dịp lễ, Tết.", "Không để xảy ra phức tạp",
             coord=(ca,), deadline=d_(2026, 3, 31), story="cancelled", when=d_(2026, 2, 2),
             reason="Nội dung đã được giao tại Kế hoạch số 45/KH-BCHQS ngày 20/01/2026."),
        # --- communes
        Spec("XA1-NGHIEN", a, "Lập danh sách, quản lý người sử dụng trái phép chất ma túy",
             "Rà soát, lập danh sách người sử dụng trái phép chất ma túy, người nghiện; tổ chức "
             "cai nghiện, quản lý sau cai.", "Danh sách cập nhật, 100% được quản lý",
             coord=(nv,), deadline=d_(2026, 12, 10), story="in_progress"),
        Spec("XA1-ANTOAN", a, "Xây dựng mô hình 'Phường an toàn về an ninh, trật tự'",
             "Xây dựng và đề nghị công nhận mô hình phường an toàn về an ninh, trật tự.",
             "Hồ sơ đề nghị công nhận", target="T9", deadline=d_(2026, 10, 31),
             story="overdue"),
        Spec("XA2-DUAXE", b, "Giải tỏa điểm tụ tập thanh thiếu niên đua xe trái phép",
             "Phối hợp Công an phường, đoàn thể giải tỏa các điểm tụ tập đua xe; vận động gia "
             "đình quản lý con em.", "Không còn điểm tụ tập", coord=(vh,),
             deadline=d_(2026, 5, 31), story="late"),
        Spec("XA4-CAMERA", d, "Lắp đặt camera an ninh tại các tuyến đường trọng điểm",
             "Vận động xã hội hóa lắp camera an ninh, kết nối về Công an xã.", "30 camera",
             coord=(ca,), target="T1", deadline=d_(2026, 8, 31), story="submitted",
             when=d_(2026, 8, 25)),
        Spec("TA-XETXU", ta, "Đưa các vụ án trọng điểm ra xét xử lưu động", "Phối hợp xét xử "
             "lưu động các vụ án ma túy, trộm cắp tại địa bàn xảy ra để răn đe, giáo dục.",
             "Ít nhất 12 phiên xét xử lưu động", coord=(vks, ca), target="T8",
             deadline=d_(2026, 12, 31), story="assigned", when=d_(2026, 11, 10)),
    ]


# ----------------------------------------------------------------------------- texts

PROGRESS_TEXTS = [
    "Đã ban hành văn bản triển khai đến các phòng, đơn vị trực thuộc và UBND cấp xã.",
    "Đã tổ chức {n} hội nghị, buổi làm việc với {m} lượt người tham dự.",
    "Đã hoàn thành phần lớn khối lượng; đang tổng hợp số liệu, hoàn thiện báo cáo.",
    "Đã kiểm tra {n} cơ sở, phát hiện {k} trường hợp vi phạm, đã chuyển cơ quan chức năng xử lý.",
    "Đã phối hợp với Công an tỉnh rà soát, cập nhật danh sách; đang triển khai bước tiếp theo.",
]
CONTRIBUTION_TEXTS = [
    "Cử {k} cán bộ tham gia đoàn kiểm tra liên ngành.",
    "Đã cung cấp số liệu thuộc phạm vi quản lý của đơn vị cho đơn vị chủ trì.",
    "Phối hợp tổ chức {n} buổi tuyên truyền tại cơ sở.",
]
SUMMARIES = {
    "R-TONGHOP": "Tổng hợp báo cáo của {n} sở, ngành và {m} xã, phường; các chỉ tiêu T2, T3 "
                 "đạt yêu cầu, T4 đạt {p}%.",
    "R-NGUONTIN": "Tiếp nhận {m} tố giác, tin báo; phân loại, xử lý 100%; đã giải quyết {n} "
                  "nguồn tin, đạt {p}%.",
    "R-METHADONE": "Đang điều trị Methadone cho {m} người, tỷ lệ duy trì {p}%; phối hợp quản "
                   "lý {n} người sau cai.",
    "R-TRUYENTHONG": "Đăng tải {m} tin, bài về phòng, chống tội phạm; phản bác {k} thông tin sai "
                     "lệch trên mạng xã hội.",
    "R-SAUCAI": "Hỗ trợ học nghề cho {n} người, giới thiệu việc làm cho {k} người chấp hành "
                "xong án phạt tù.",
    "R-PHOBIEN": "Tổ chức {n} buổi phổ biến pháp luật tại {k} xã, phường với {m} lượt người "
                 "dự.",
    "R-MTTQ": "Duy trì {m} mô hình tự quản; nhân dân cung cấp {n} tin báo có giá trị.",
}
CAUSES = {
    "education": ("Một số học sinh ở trọ thiếu sự quản lý của gia đình; xuất hiện thuốc lá "
                  "điện tử chứa chất ma túy quanh cổng trường.",
                  "Phối hợp Công an xã, phường kiểm tra {n} nhà trọ; tổ chức {k} buổi ngoại khóa.",
                  "Phát hiện, can thiệp {k} học sinh; không để xảy ra vụ việc nghiêm trọng."),
    "health": ("Thuốc hướng thần, thực phẩm chức năng không rõ nguồn gốc bán trên mạng xã hội.",
               "Kiểm tra {n} nhà thuốc; đề nghị gỡ {k} trang bán hàng vi phạm.",
               "Xử phạt {k} cơ sở; không phát hiện thất thoát thuốc gây nghiện."),
    "culture": ("Một số cơ sở karaoke hoạt động quá giờ, có dấu hiệu sử dụng ma túy.",
                "Kiểm tra liên ngành {n} cơ sở; đề nghị thu hồi giấy phép {k} cơ sở.",
                "Số cơ sở vi phạm giảm so với kỳ trước."),
    "trade": ("Buôn lậu thuốc lá, đường cát qua đường mòn biên giới; hàng giả bán qua mạng.",
              "Phối hợp Biên phòng kiểm tra {n} lượt; tuyên truyền {k} hộ kinh doanh.",
              "Tạm giữ {k} vụ hàng lậu, xử phạt theo quy định."),
    "environment": ("Khai thác cát trái phép về đêm trên sông Vàm Cỏ Đông.",
                    "Tuần tra, kiểm tra {n} lượt; lắp {k} camera giám sát bến bãi.",
                    "Xử lý {k} phương tiện vi phạm; hoạt động khai thác trái phép giảm."),
    "commune": ("Thanh thiếu niên tụ tập, đua xe về đêm; {k} người sử dụng trái phép chất ma "
                "túy mới phát hiện; trộm cắp tài sản tại khu nhà trọ.",
                "Tổ chức tuần tra ban đêm; vận động {n} hộ ký cam kết; lập hồ sơ quản lý người "
                "nghiện.",
                "Không để xảy ra tụ tập đua xe; giảm {k} vụ trộm cắp so với tháng trước."),
    "border": ("Đối tượng lợi dụng đường mòn, lối mở vận chuyển ma túy, hàng lậu qua biên giới.",
               "Phối hợp Đồn Biên phòng tuần tra {n} lượt; tuyên truyền {k} hộ dân ven biên.",
               "Cung cấp {k} tin báo cho lực lượng chức năng."),
    "police": ("Tội phạm lừa đảo qua mạng gia tăng; đối tượng lợi dụng tài khoản ngân hàng thuê, "
               "mượn.", "Phối hợp ngân hàng rà soát {n} tài khoản nghi vấn; cảnh báo {k} lượt.",
               "Ngăn chặn {k} giao dịch lừa đảo."),
}
TOPIC = {"SO-GDDT": "education", "SO-YTE": "health", "SO-VHTTDL": "culture", "SO-CT": "trade",
         "SO-NNMT": "environment", "CA": "police"}


def _topic(unit: Unit, task_key: str) -> str:
    if task_key == "R-XA3":
        return "border"
    return TOPIC.get(unit.code.removeprefix(f"{P}-"), "commune")


# ----------------------------------------------------------------------------- the writer

@dataclass
class _Event:
    at: datetime
    actor: User | None
    action: str
    obj: object
    from_state: str
    to_state: str
    note: str = ""
    changes: dict = field(default_factory=dict)


class _Demo:
    def __init__(self, today: date, people: dict[str, User]):
        self.today = today
        self.rng = random.Random(SEED)
        self.people = people
        self.events: list[_Event] = []
        self.updates: list[tuple[TaskUpdate, datetime]] = []
        self.notes: list[tuple[Notification, datetime]] = []
        self.leader = people["lanhdao"]
        self.head_of = {a.unit_code: a.username for a in heads()}
        self.commune_a = f"{P}-UBNDX-{_communes()[0].code}"

    # ------------------------------------------------------------------ helpers
    def at(self, day: date, hour: int = 9) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randint(0, 59)), VN)

    def fill(self, text: str) -> str:
        return text.format(n=self.rng.randint(6, 40), m=self.rng.randint(40, 400),
                           k=self.rng.randint(2, 9), p=self.rng.randint(78, 97))

    def author(self, unit: Unit, on: date) -> User | None:
        """Who writes for the unit: the demo officer where there is one, else its head."""
        code = unit.code.removeprefix(f"{P}-")
        if code == "SO-GDDT":
            return self.people["so.giaoduc"]
        if unit.code == self.commune_a:
            return self.people["ubndxa1"]
        if code == "SO-YTE":
            return self.people["gd.soyte.cu" if on < OLD_HEAD_UNTIL else "gd.soyte"]
        username = self.head_of.get(unit.code)
        return self.people[username] if username else None

    def step(self, table: dict, obj, action: str, day: date, actor, *, note: str = "",
             changes: dict | None = None, hour: int = 9) -> datetime:
        """Move `obj` as the service would (checked against its transition table)."""
        allowed, target = table[action]
        assert obj.status in allowed, (obj, action, obj.status)
        before = obj.status
        if target:
            obj.status = target
        when = self.at(day, hour)
        prefix = "task" if isinstance(obj, Task) else "unit_report"
        self.events.append(_Event(when, actor, f"{prefix}.{action}", obj, before, obj.status,
                                  note, changes or {}))
        return when

    def update(self, task: Task, kind: str, unit: Unit, day: date, text: str,
               percent: int | None) -> None:
        author = self.author(unit, day)
        self.updates.append((TaskUpdate(task=task, unit=unit, author=author, kind=kind,
                                        text=text, percent=percent), self.at(day, 14)))

    def notify(self, users, day: date, text: str, link: str, key: str) -> None:
        for user in users:
            self.notes.append((Notification(user=user, key=f"demo:{key}:{user.pk}", text=text,
                                            link=link), self.at(day, 16)))

    # ------------------------------------------------------------------ tasks
    def task(self, spec: Spec, plan: Plan, number: int) -> Task:
        units = {u.code: u for u in Unit.objects.filter(code__in=[spec.lead, *spec.coord])}
        assigned_on = spec.when if spec.story == "assigned" and spec.when else \
            ISSUED + timedelta(days=5 + number % 9)
        task = Task.objects.create(
            plan=plan, number=number, title=spec.title, content=spec.content,
            lead_unit=units[spec.lead], expected_result=spec.expected, deadline=spec.deadline,
            recurrence=spec.recurrence, first_report_due=spec.first_due,
            report_kind=spec.report_kind, target_code=spec.target, plan_item=spec.item,
            priority=spec.priority, created_by=self.leader)
        coordinating = [units[c] for c in spec.coord]
        task.coordinating_units.set(coordinating)
        task.created_at = self.at(assigned_on, 8)
        self.events.append(_Event(task.created_at, self.leader, "task.assign", task, "",
                                  "assigned", changes={"lead_unit": [None, task.lead_unit_id]}))
        self._story(spec, task, assigned_on, coordinating)
        return task

    def _progress(self, task: Task, start: date, end: date, upto: int) -> None:
        """Start, then two or three progress updates spread between `start` and `end`."""
        t = s.TASK_TRANSITIONS
        self.step(t, task, "start", start, self.author(task.lead_unit, start))
        count = self.rng.randint(2, 3)
        span = max(1, (end - start).days)
        for i in range(1, count + 1):
            day = start + timedelta(days=span * i // (count + 1))
            percent = min(upto, round(upto * i / count / 10) * 10 or 10)
            text = self.fill(self.rng.choice(PROGRESS_TEXTS))
            self.step(t, task, "report", day, self.author(task.lead_unit, day),
                      note=text, changes={"progress": [task.progress, percent]}, hour=14)
            task.progress = percent
            self.update(task, TaskUpdate.Kind.PROGRESS, task.lead_unit, day, text, percent)

    def _contribute(self, task: Task, coordinating: list[Unit], day: date) -> None:
        """One contribution, by the first coordinating unit with someone to write it."""
        for unit in coordinating:
            author = self.author(unit, day)
            if author is None:
                continue
            text = self.fill(self.rng.choice(CONTRIBUTION_TEXTS))
            self.step(s.TASK_TRANSITIONS, task, "contribute", day, author, note=text,
                      changes={"unit": [None, unit.pk]}, hour=10)
            self.update(task, TaskUpdate.Kind.CONTRIBUTION, unit, day, text, None)
            return

    def _submit(self, task: Task, day: date) -> None:
        text = f"Đã hoàn thành: {task.expected_result or task.title}."
        on_time = task.deadline is None or day <= task.deadline
        self.step(s.TASK_TRANSITIONS, task, "submit", day, self.author(task.lead_unit, day),
                  note=text, changes={"on_time": [None, on_time]}, hour=15)
        task.progress = 100
        task.submitted_at = self.at(day, 15)
        task.submitted_on = day
        self.update(task, TaskUpdate.Kind.SUBMISSION, task.lead_unit, day, text, 100)

    def _story(self, spec: Spec, task: Task, assigned: date, units: list[Unit]) -> None:
        t = s.TASK_TRANSITIONS
        story = spec.story if not spec.recurrence else "recurring"
        deadline = task.deadline
        start = assigned + timedelta(days=self.rng.randint(3, 10))
        if story == "assigned" or start >= self.today:
            return
        if story == "recurring":
            self.step(t, task, "start", start, self.author(task.lead_unit, start))
            return
        if story == "cancelled":
            self.step(t, task, "cancel", spec.when, self.leader, note=spec.reason)
            task.cancel_reason = spec.reason
            return
        if story in ("on_time", "late"):
            done = deadline - timedelta(days=self.rng.randint(2, 12)) if story == "on_time" \
                else deadline + timedelta(days=self.rng.randint(4, 20))
            done = min(done, self.today - timedelta(days=6))
            self._progress(task, start, done - timedelta(days=3), 80)
            self._contribute(task, units, done - timedelta(days=5))
            self._submit(task, done)
            accepted = done + timedelta(days=self.rng.randint(2, 5))
            self.step(t, task, "accept", accepted, self.leader, note="Đạt yêu cầu.", hour=10)
            task.accepted_at = self.at(accepted, 10)
            return
        if story in ("submitted", "submitted_late"):
            self._progress(task, start, spec.when - timedelta(days=4), 80)
            self._contribute(task, units, spec.when - timedelta(days=6))
            self._submit(task, spec.when)
            self.notify([self.leader], spec.when,
                        f"{task.lead_unit.name} báo cáo hoàn thành {task.code}: {task.title} — "
                        f"chờ nghiệm thu", f"/plans/tasks/{task.pk}/", f"submit:{task.pk}")
            return
        if story == "returned":
            submitted = spec.when - timedelta(days=6)
            self._progress(task, start, submitted - timedelta(days=5), 80)
            reported = task.progress
            self._contribute(task, units, submitted - timedelta(days=8))
            self._submit(task, submitted)
            self.step(t, task, "return", spec.when, self.leader, note=spec.reason, hour=10,
                      changes={"progress": [100, reported]})
            task.return_reason, task.progress = spec.reason, reported
            self.notify(list(s.unit_recipients(task.lead_unit)), spec.when,
                        f"Nhiệm vụ {task.code} bị trả lại: {spec.reason}",
                        f"/plans/tasks/{task.pk}/", f"return:{task.pk}")
            return
        # in progress, or overdue: work reported until about now, not done
        upto = 60 if story == "overdue" else self.rng.choice([30, 40, 50, 60, 70])
        self._progress(task, start, min(self.today, (deadline or self.today))
                       - timedelta(days=2), upto)
        self._contribute(task, units, min(self.today, deadline) - timedelta(days=10))

    # ------------------------------------------------------------------ reports
    def reports(self, task: Task, spec: Spec) -> list[UnitReport]:
        until = min(task.recurrence_until or PERIOD[1], self.today)
        units = [task.lead_unit, *task.coordinating_units.order_by("path")]
        out = []
        for unit in units:
            past = [p for p in periods(task.first_report_due, task.recurrence, until=until)]
            due_past = [p for p in past if p.due < self.today]
            for p in past:
                report = UnitReport(task=task, unit=unit, kind=task.report_kind,
                                    period_start=p.start, period_end=p.end, due_date=p.due,
                                    opened_at=self.at(max(p.start, ISSUED), 7))
                out.append(report)
                index = due_past.index(p) - len(due_past) if p in due_past else None
                self._report_story(report, spec, index)
        return out

    def _outcome(self, spec: Spec, unit: Unit, index: int | None) -> str:
        if index is None:
            return "open"
        forced = {("R-NGUYENNHAN", "SO-GDDT", -1): "missing",
                  ("R-NGUYENNHAN", "SO-GDDT", -2): "late",
                  ("R-XA1", "", -1): "late", ("R-XA1", "", -3): "returned_again",
                  ("R-XA2", "", -1): "missing", ("R-XA2", "", -2): "missing",
                  ("R-METHADONE", "SO-YTE", -4): "late"}
        code = unit.code.removeprefix(f"{P}-") if not unit.code.startswith(f"{P}-UBNDX") else ""
        if (spec.key, code, index) in forced:
            return forced[(spec.key, code, index)]
        r = self.rng.random()
        return ("on_time" if r < 0.66 else "late" if r < 0.84 else "returned_again" if r < 0.9
                else "missing")

    def _content(self, report: UnitReport, spec: Spec) -> dict:
        if report.kind == ReportKind.CAUSES_CONDITIONS:
            findings, measures, results = CAUSES[_topic(report.unit, spec.key)]
            return {"findings": self.fill(findings), "measures": self.fill(measures),
                    "results": self.fill(results),
                    "difficulties": "Đề nghị bổ sung kinh phí tuyên truyền ở cơ sở."
                    if self.rng.random() < 0.3 else ""}
        return {"summary": self.fill(SUMMARIES.get(spec.key, "Thực hiện đúng kế hoạch.")),
                "difficulties": "Lực lượng mỏng, địa bàn rộng." if self.rng.random() < 0.25
                else ""}

    def _report_story(self, report: UnitReport, spec: Spec, index: int | None) -> None:
        outcome = self._outcome(spec, report.unit, index)
        if outcome in ("open", "missing"):
            return
        t = s.REPORT_TRANSITIONS
        if outcome == "late":
            day = report.due_date + timedelta(days=self.rng.randint(1, 12))
        else:
            day = report.due_date - timedelta(days=self.rng.randint(0, 5))
        day = max(day, report.period_start)
        day = min(day, self.today - timedelta(days=1))
        content = self._content(report, spec)
        author = self.author(report.unit, day)
        self._submit_report(report, day, author, content)
        if outcome == "returned_again":
            back = day + timedelta(days=2)
            reason = "Chưa nêu số liệu cụ thể; đề nghị bổ sung và gửi lại."
            self.step(t, report, "return", back, self.leader, note=reason, hour=10)
            report.return_reason = reason
            again = back + timedelta(days=self.rng.randint(2, 6))
            if again < self.today:
                content["results"] = (content.get("results", "") + " (đã bổ sung số liệu)").strip()
                self._submit_report(report, again, author, content)

    def _submit_report(self, report: UnitReport, day: date, author: User, content: dict) -> None:
        for name, value in content.items():
            setattr(report, name, value)
        when = self.step(s.REPORT_TRANSITIONS, report, "submit", day, author, hour=16,
                         changes={"on_time": [None, day <= report.due_date]})
        report.submitted_at, report.submitted_on, report.submitted_by = when, day, author


# ----------------------------------------------------------------------------- seed

def _ensure_heads(password: str) -> list[tuple[DemoAccount, bool]]:
    out = []
    encoded = None
    for account in heads():
        user = User.objects.filter(username=account.username).first()
        created = user is None
        if created:
            encoded = encoded or make_password(password)
            user = User.objects.create(username=account.username, full_name=account.full_name,
                                       position=account.position, password=encoded)
            audit_record(actor=None, action="user.create", obj=user, to_state="active",
                         note="demo seed")
            unit = Unit.objects.get(code=account.unit_code)
            start = OLD_HEAD_UNTIL if account.username == "gd.soyte" else REFORM_DATE
            membership = membership_grant(actor=None, user=user, unit=unit,
                                          role_code=account.role, is_head=True, valid_from=start)
            if account.username == "gd.soyte.cu":
                membership_end(actor=None, membership=membership, on=OLD_HEAD_UNTIL,
                               note="nghỉ hưu")
        out.append((account, created))
    return out


def _write_events(demo: _Demo) -> None:
    ops = connection.ops
    fields = ["at", "actor", "action", "object_type", "object_id", "object_repr", "from_state",
              "to_state", "changes", "note", "client_address"]
    columns = ", ".join(ops.quote_name(AuditEvent._meta.get_field(f).column) for f in fields)
    rows = []
    for e in sorted(demo.events, key=lambda e: e.at):
        rows.append((ops.adapt_datetimefield_value(e.at), e.actor.pk if e.actor else None,
                     e.action, e.obj._meta.label_lower, str(e.obj.pk), str(e.obj)[:300],
                     e.from_state, e.to_state, ops.adapt_json_value(e.changes, None), e.note,
                     None))
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {AuditEvent._meta.db_table} ({columns}) "  # noqa: S608
                           f"VALUES ({placeholders})", rows)


def seed(*, password: str, stdout, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    stdout.write("Seeding the demo plan, its tasks and unit reports…")
    with transaction.atomic():
        accounts = _ensure_heads(password)
        existing = Plan.objects.filter(number=NUMBER, issuing_unit__code=f"{P}-UBND").first()
        if existing:
            return {"plan tasks": f"{existing.tasks.count()} (kept)", "accounts": accounts}
        people = {u.username: u for u in User.objects.filter(
            username__in=["lanhdao", "so.giaoduc", "ubndxa1", *[a.username for a in heads()]])}
        demo = _Demo(today, people)
        plan = Plan.objects.create(
            number=NUMBER, title=TITLE, issuing_unit=Unit.objects.get(code=f"{P}-UBND"),
            steering_unit=Unit.objects.get(code=f"{P}-BCD138"), issued_on=ISSUED,
            legal_basis=LEGAL_BASIS, period_start=PERIOD[0], period_end=PERIOD[1],
            created_by=demo.leader)
        demo.events.append(_Event(demo.at(ISSUED, 8), demo.leader, "plan.create", plan, "",
                                  plan.status))
        tasks, reports = [], []
        for number, spec in enumerate(specs(), start=1):
            task = demo.task(spec, plan, number)
            tasks.append(task)
            if spec.recurrence:
                reports += demo.reports(task, spec)
        Task.objects.bulk_update(tasks, ["status", "progress", "submitted_at", "submitted_on",
                                         "accepted_at", "return_reason", "cancel_reason",
                                         "created_at"])
        opened = [r.opened_at for r in reports]
        UnitReport.objects.bulk_create(reports)  # sets opened_at to now: put it back
        for report, when in zip(reports, opened, strict=True):
            report.opened_at = when
        UnitReport.objects.bulk_update(reports, ["opened_at"], batch_size=500)
        for report in reports:  # their journal: opened at the start of the period
            demo.events.append(_Event(report.opened_at, None, "unit_report.open", report, "",
                                      "open", changes={"due_date": [None, str(report.due_date)]}))
        created = TaskUpdate.objects.bulk_create([u for u, _at in demo.updates])
        for update, (_u, when) in zip(created, demo.updates, strict=True):
            update.at = when
        TaskUpdate.objects.bulk_update(created, ["at"])
        notes = Notification.objects.bulk_create([n for n, _at in demo.notes],
                                                 ignore_conflicts=True)
        _write_events(demo)
        for note, (_n, when) in zip(notes, demo.notes, strict=True):
            Notification.objects.filter(user=note.user, key=note.key).update(created_at=when)
    run = s.reminders_send(today=today, commit=True)
    late = sum(1 for r in reports if r.submitted_late)
    missing = sum(1 for r in reports if r.status != "submitted" and r.due_date < today)
    return {"plan tasks": len(tasks), "unit reports": f"{len(reports)} ({late} late, "
            f"{missing} missing)", "reminders sent": run.sent, "accounts": accounts}

