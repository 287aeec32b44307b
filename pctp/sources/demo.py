"""Demo crime sources for Tỉnh Tây Ninh: a year of denunciations, crime reports and
recommendations to prosecute, ending today, in every state of the life cycle (DOMAIN.md §3).

Volume: about 5,000 a year (one province's share of DOMAIN.md §11's national figures);
``PCTP_DEMO_SCALE`` (or ``scale=``) multiplies it, and the tests use a small scale. A fixed
random seed makes the same day give the same register.

Every source is simulated step by step with the product's rules: commune police pass it on
within 24 hours, the investigation body classifies within 24 hours and notifies the procuracy
within 3 working days, the head assigns an investigator, and the limits are those of
``pctp.law.services.deadline`` (the same rules and legal calendar, the calendar read once):
20 days, the first extension to 2 months from receipt by the head, the second by the
procuracy on a request sent at least 5 days before expiry, suspension only after expiry,
resumption for one more month. A share is decided late, so some open sources are
overdue, as in life. A few fixed scenarios make sure each demo persona has work in each queue.

The rows are written in bulk, fast enough for ``make demo`` on SQLite: the source ids are
reserved first (from the sequence on PostgreSQL) so that each reporter's identity is sealed with
the record's own id bound in, exactly as ``services._store_identity`` does; then plain INSERTs
for the sources and verification notes, bulk_create for the extension requests, and the audit
timeline with the time each step happened (``AuditEvent.at`` is auto_now_add and the journal
refuses UPDATE on PostgreSQL, so those rows too go in with an INSERT that sets ``at``).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from pctp.core.audit import audit_record
from pctp.core.bulk import insert_rows, reserve_ids
from pctp.core.identity import parse_personal_id
from pctp.core.models import AuditEvent, User
from pctp.law.models import Offence
from pctp.law.services import legal_calendar
from pctp.law.timelimits import evaluate
from pctp.sources.models import (
    OPEN_STATUSES,
    Channel,
    DeclineGround,
    ExtensionRequest,
    Kind,
    Outcome,
    ReporterType,
    Source,
    Status,
    SuspendGround,
    VerificationNote,
)
from pctp.sources.services import Reporter, _search_text, _store_identity
from pctp.units.demo import PROVINCE, REFORM_DATE, DemoAccount
from pctp.units.models import Commune, Unit
from pctp.units.services import membership_grant

YEARLY = 5000
SEED = 20250701
TOKEN = "demo:"  # client_token prefix: marks the demo's sources, so a second run skips
BATCH = 500

P = f"P{PROVINCE}"
BODY = f"{P}-CA-CSDT"
SECURITY_BODY = f"{P}-CA-ANDT"

# Investigators of the investigation bodies besides the demo's "dieutra" and "thutruong".
STAFF = [
    DemoAccount("tiepnhan.cqdt", "Lâm Thị Ngọc Hân", "intake_officer", BODY,
                "Cán bộ tiếp nhận nguồn tin, Cơ quan CSĐT"),
    DemoAccount("dieutra2", "Phan Minh Trí", "investigator", BODY, "Điều tra viên, Cơ quan CSĐT"),
    DemoAccount("dieutra3", "Nguyễn Thị Kim Ngân", "investigator", BODY,
                "Điều tra viên, Cơ quan CSĐT"),
    DemoAccount("dieutra4", "Trần Quốc Bảo", "investigator", BODY, "Điều tra viên, Cơ quan CSĐT"),
    DemoAccount("dieutra5", "Lê Hoàng Phúc", "investigator", BODY, "Điều tra viên, Cơ quan CSĐT"),
    DemoAccount("dieutra6", "Võ Thị Thu Trang", "investigator", BODY,
                "Điều tra viên, Cơ quan CSĐT"),
    DemoAccount("dieutra7", "Huỳnh Tấn Lộc", "investigator", BODY, "Điều tra viên, Cơ quan CSĐT"),
    DemoAccount("dieutra.an", "Đoàn Văn Sơn", "investigator", SECURITY_BODY,
                "Điều tra viên, Cơ quan ANĐT"),
]
# Who gets assigned: dieutra carries a little more than the others, the head a few himself.
ASSIGNEE_WEIGHTS = {"dieutra": 16, "dieutra2": 13, "dieutra3": 13, "dieutra4": 13,
                    "dieutra5": 13, "dieutra6": 13, "dieutra7": 13, "thutruong": 6}


# ----------------------------------------------------------------------------- words

SURNAMES = [("Nguyễn", 36), ("Trần", 11), ("Lê", 9), ("Phạm", 6), ("Huỳnh", 5), ("Võ", 5),
            ("Phan", 4), ("Trương", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
            ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Lâm", 1), ("Mai", 1), ("Đoàn", 1),
            ("Châu", 1), ("Thái", 1), ("Tô", 1), ("Quách", 1)]
MALE_MIDDLE = ["Văn", "Văn", "Văn", "Hữu", "Minh", "Thanh", "Quốc", "Công", "Hoàng", "Tấn",
               "Ngọc", "Thành", "Đức", "Trung"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Thu", "Mỹ", "Bích", "Hồng",
                 "Thị Ngọc", "Thị Kim"]
MALE_GIVEN = ["Hùng", "Dũng", "Tuấn", "Phúc", "Tài", "Lộc", "Sơn", "Nam", "Hải", "Long",
              "Thành", "Khang", "Phong", "Trung", "Hiếu", "Tâm", "Vinh", "Bảo", "Nghĩa", "Tùng",
              "Quang", "Tín", "Nhân", "Toàn", "Đạt", "Hòa", "Thắng", "Kiệt", "Duy", "Trọng"]
FEMALE_GIVEN = ["Lan", "Hoa", "Hương", "Mai", "Trang", "Linh", "Nhung", "Thảo", "Ngân", "Hạnh",
                "Loan", "Tuyết", "Hằng", "Diễm", "Yến", "Phượng", "Nga", "Thủy", "Vy", "Trinh",
                "Như", "Oanh", "Xuân", "Cúc", "Hiền"]
BIRTH_PROVINCES = [("072", 42), ("080", 38), ("079", 8), ("070", 3), ("074", 3), ("082", 2),
                   ("083", 1), ("087", 1), ("086", 1), ("089", 1)]
PHONE_PREFIXES = ["086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038",
                  "039", "088", "091", "094", "081", "082", "083", "084", "085", "089", "090",
                  "093", "070", "076", "077", "078", "079"]
HAMLETS = ["Bàu Sen", "Trâm Vàng", "Suối Ngô", "Tân Định", "Long Phú", "Bình Lợi", "Phước Hưng",
           "Ninh Phước", "Thạnh Lộc", "Hòa Bình", "An Thới", "Rạch Sơn", "Tân Lộc", "Cầu Xe",
           "Lộc Trung", "Mỹ Hòa", "Bến Đình", "Trường An", "Bình Trung", "Phú Thọ", "Tân Trung",
           "Vĩnh Hòa", "Bình Thủy", "Long Thới", "Chánh Hội", "Bông Trang", "Cây Me", "Xóm Mới",
           "Bắc Hòa", "Đông Hiệp", "Tây Hòa", "Rạch Gốc", "Voi Ba", "Bình Tả", "Gò Ngãi"]
STREETS_WARD = ["đường Cách Mạng Tháng Tám", "đường 30 Tháng 4", "đường Trưng Nữ Vương",
                "đường Hùng Vương", "đường Nguyễn Trãi", "đường Lạc Long Quân",
                "đường Điện Biên Phủ", "đường Trần Hưng Đạo", "đường Nguyễn Huệ",
                "đường Hoàng Lê Kha", "đường Nguyễn Đình Chiểu", "đường Võ Văn Tần",
                "đường Lê Lợi", "đường Phạm Văn Đồng", "đường Nguyễn Văn Rốp"]
ROADS_NORTH = ["Quốc lộ 22", "Quốc lộ 22B", "Đường tỉnh 781", "Đường tỉnh 782",
               "Đường tỉnh 784", "Đường tỉnh 785", "Đường tỉnh 786", "Đường tỉnh 793"]
ROADS_SOUTH = ["Quốc lộ 1", "Quốc lộ 62", "Quốc lộ 50", "Quốc lộ N2", "Đường tỉnh 824",
               "Đường tỉnh 825", "Đường tỉnh 830", "Đường tỉnh 835"]
PARKS_NORTH = ["Khu công nghiệp Phước Đông", "Khu công nghiệp Trảng Bàng",
               "Khu công nghiệp Thành Thành Công", "Khu chế xuất Linh Trung III"]
PARKS_SOUTH = ["Khu công nghiệp Đức Hòa 1", "Khu công nghiệp Tân Đức",
               "Khu công nghiệp Xuyên Á", "Khu công nghiệp Thuận Đạo",
               "Khu công nghiệp Long Hậu", "Khu công nghiệp Phú An Thạnh"]
BORDER_GATES = ["cửa khẩu quốc tế Mộc Bài", "cửa khẩu quốc tế Xa Mát", "cửa khẩu Chàng Riệc",
                "cửa khẩu Phước Tân", "cửa khẩu Bình Hiệp", "cửa khẩu Mỹ Quý Tây"]
BORDER_POSTS = ["Đồn Biên phòng cửa khẩu quốc tế Mộc Bài", "Đồn Biên phòng cửa khẩu quốc tế Xa Mát",
                "Đồn Biên phòng Chàng Riệc", "Đồn Biên phòng Bình Hiệp",
                "Đồn Biên phòng Mỹ Quý Tây"]
# Communes along the Cambodian border (smuggling and trafficking happen there more).
BORDER_COMMUNES = {"25486", "25489", "25522", "25531", "25591", "25606", "25621", "25681",
                   "25702", "27727", "27736", "27763", "27775", "27793", "27907", "27925"}
BIKES = [("Honda Wave Alpha", 16, 20), ("Honda Vision", 30, 36), ("Honda Air Blade", 40, 56),
         ("Yamaha Exciter", 45, 52), ("Honda SH Mode", 55, 65), ("Yamaha Sirius", 18, 22),
         ("Honda Future", 28, 32), ("Honda Winner X", 38, 48), ("Honda Lead", 38, 44),
         ("Suzuki Raider", 45, 50), ("Honda Wave RSX", 20, 24)]
PHONES = [("iPhone 13", 10, 13), ("iPhone 14 Pro Max", 18, 24), ("iPhone 15 Pro", 20, 26),
          ("Samsung Galaxy A54", 6, 8), ("Samsung Galaxy S23", 13, 17), ("Oppo Reno10", 7, 9),
          ("Xiaomi Redmi Note 13", 4, 5), ("Vivo Y36", 4, 6)]
APPS = ["Zalo", "Facebook", "Telegram", "TikTok", "Messenger"]
BANKS = ["Vietcombank", "Agribank", "BIDV", "VietinBank", "Sacombank", "MB", "Techcombank",
         "ACB", "VPBank"]
SHOPS = ["quán cà phê", "tiệm tạp hóa", "quán hủ tiếu", "sân bóng đá mini", "quán nhậu",
         "tiệm internet", "tiệm sửa xe", "nhà trọ công nhân"]
POLICE_REPORTERS = ["Phòng Cảnh sát hình sự Công an tỉnh", "Phòng Cảnh sát kinh tế Công an tỉnh",
                    "Phòng Cảnh sát điều tra tội phạm về ma túy Công an tỉnh",
                    "Phòng Cảnh sát giao thông Công an tỉnh",
                    "Phòng Cảnh sát quản lý hành chính về trật tự xã hội Công an tỉnh",
                    "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao"]
VICTIM_ORGS = ["Công ty Cổ phần Cao su Tây Ninh", "Công ty TNHH MTV Cao su 1-5 Tây Ninh",
               "Ngân hàng Nông nghiệp và Phát triển Nông thôn - Chi nhánh Tây Ninh",
               "Điện lực Tây Ninh", "Bưu điện tỉnh Tây Ninh", "Trường Trung học phổ thông Trảng Bàng",
               "Công ty TNHH Giày da Mộc Bài", "Hợp tác xã nông nghiệp Phước Hưng"]
OVERSIGHT = ["Thanh tra tỉnh Tây Ninh", "Kiểm toán Nhà nước khu vực", "Sở Tài chính tỉnh Tây Ninh",
             "Sở Nông nghiệp và Môi trường tỉnh Tây Ninh", "Thuế tỉnh Tây Ninh"]
MARKET = ["Chi cục Quản lý thị trường tỉnh Tây Ninh", "Hải quan cửa khẩu quốc tế Mộc Bài",
          "Hải quan cửa khẩu quốc tế Xa Mát"]

CHECKS = ["Đã lấy lời khai người tố giác, người bị hại.",
          "Đã trích xuất dữ liệu camera an ninh khu vực xảy ra vụ việc.",
          "Đã mời người liên quan đến trụ sở làm việc; đối tượng chưa có mặt.",
          "Đã có văn bản đề nghị ngân hàng cung cấp sao kê tài khoản nhận tiền.",
          "Đã trưng cầu giám định tỷ lệ tổn thương cơ thể tại Trung tâm Pháp y tỉnh.",
          "Đã yêu cầu Hội đồng định giá tài sản trong tố tụng hình sự định giá tài sản.",
          "Đã xác minh tại Công an xã nơi cư trú của người bị tố giác.",
          "Đã khám nghiệm hiện trường, thu giữ dấu vết.",
          "Đã đề nghị nhà mạng cung cấp thông tin thuê bao liên quan.",
          "Đã thu giữ tang vật, lập biên bản niêm phong."]
EXTEND_REASONS = ["Vụ việc có nhiều tình tiết phức tạp, cần xác minh tại nhiều địa điểm.",
                  "Chờ kết quả định giá tài sản của Hội đồng định giá.",
                  "Chờ kết luận giám định tỷ lệ tổn thương cơ thể.",
                  "Cần xác minh dòng tiền qua nhiều tài khoản ngân hàng."]
REQUEST_REASONS = ["Chưa có kết luận giám định; đề nghị Viện kiểm sát gia hạn lần hai (khoản 2 "
                   "Điều 147 BLTTHS).",
                   "Ngân hàng chưa cung cấp đủ sao kê; đề nghị gia hạn lần hai để xác minh dòng tiền.",
                   "Người liên quan đang ở ngoài tỉnh, chưa lấy được lời khai; đề nghị gia hạn."]
PROCURACY_APPROVALS = ["Đồng ý gia hạn lần hai theo khoản 2 Điều 147 BLTTHS; yêu cầu khẩn trương "
                       "hoàn thành giám định.",
                       "Đồng ý gia hạn; Cơ quan điều tra báo cáo kết quả xác minh trước khi hết hạn."]
PROCURACY_REFUSALS = ["Không có căn cứ gia hạn; yêu cầu Cơ quan điều tra ra quyết định giải "
                      "quyết trong thời hạn."]
SUSPEND_NOTES = {
    SuspendGround.EXPERT_EXAMINATION: [
        "Chờ kết luận giám định tỷ lệ tổn thương cơ thể của người bị hại.",
        "Chờ kết luận định giá tài sản của Hội đồng định giá tài sản trong tố tụng hình sự.",
        "Tài khoản nhận tiền đăng ký ở nước ngoài; đã đề nghị tương trợ tư pháp, chưa có kết quả."],
    SuspendGround.DOCUMENTS: [
        "Chờ ngân hàng và nhà mạng cung cấp tài liệu có ý nghĩa quyết định.",
        "Chờ cơ quan chuyên môn cung cấp hồ sơ, tài liệu có ý nghĩa quyết định."],
}
DECLINE_NOTES = {
    DeclineGround.NO_CRIME: "Quá trình xác minh không phát hiện sự việc phạm tội như nội dung "
                            "tố giác, tin báo.",
    DeclineGround.NOT_A_CRIME: "Hành vi không cấu thành tội phạm; chuyển xử lý vi phạm hành chính "
                               "hoặc hướng dẫn đương sự giải quyết theo thủ tục dân sự.",
    DeclineGround.UNDER_AGE: "Người thực hiện hành vi chưa đủ tuổi chịu trách nhiệm hình sự; "
                             "chuyển áp dụng biện pháp giáo dục tại xã, phường.",
    DeclineGround.ALREADY_JUDGED: "Hành vi đã có bản án có hiệu lực pháp luật.",
    DeclineGround.TIME_BARRED: "Đã hết thời hiệu truy cứu trách nhiệm hình sự.",
    DeclineGround.DECEASED: "Người thực hiện hành vi đã chết (khoản 7 Điều 157 BLTTHS).",
    DeclineGround.NO_COMPLAINT: "Người bị hại có đơn không yêu cầu khởi tố (Điều 155 BLTTHS).",
}


# ----------------------------------------------------------------------------- stories

class Story:
    """One kind of event: its offence, how it reaches the police and how it tends to end.

    ``variants`` are (summary, content, who) with who: "any" reporter; "police" (found by a
    patrol or an inspection: reported by the police, the border guard or an inspectorate);
    "public" (a tip from a person, possibly anonymous).
    """

    def __init__(self, key: str, article: str, weight: float, *, origin: str,
                 variants: list[tuple[str, str, str]], clauses=((1, 1.0),),
                 value: tuple[float, float] | None = None, p_init: float = 0.4,
                 declines=((DeclineGround.NOT_A_CRIME, 0.6), (DeclineGround.NO_CRIME, 0.4)),
                 lag: tuple[float, float] = (0.2, 24.0), border: bool = False,
                 p_commune: float | None = None, confidential: float = 0.04,
                 suspend: str = SuspendGround.EXPERT_EXAMINATION, transfer: bool = False,
                 item: str = ""):
        self.key, self.article, self.weight, self.origin = key, article, weight, origin
        self.item = item  # "bike" or "phone": the value is that item's price
        self.variants = variants
        self.clauses, self.value, self.p_init = clauses, value, p_init
        self.declines, self.lag, self.border = declines, lag, border
        self.p_commune = ({"victim": 0.7, "police": 0.35, "agency": 0.0, "security": 0.2}[origin]
                          if p_commune is None else p_commune)
        self.confidential, self.suspend, self.transfer = confidential, suspend, transfer


V = "victim"   # a person or organisation harmed comes forward
POL = "police"  # found by a patrol or an inspection, or a tip from the public
AG = "agency"  # a state body's written recommendation to prosecute
SEC = "security"  # for the security investigation body: transferred there
ANY, BY_POLICE, BY_PUBLIC = "any", "police", "public"

THEFT_DECLINES = ((DeclineGround.NOT_A_CRIME, 0.45), (DeclineGround.NO_CRIME, 0.35),
                  (DeclineGround.UNDER_AGE, 0.15), (DeclineGround.TIME_BARRED, 0.05))
CIVIL_DECLINES = ((DeclineGround.NOT_A_CRIME, 0.8), (DeclineGround.NO_CRIME, 0.2))
DRUG_DECLINES = ((DeclineGround.NOT_A_CRIME, 1.0),)
MOTO_STOLEN_OUTSIDE = (
    "Khoảng {hh} giờ {mm} phút ngày {odate}, người bị hại {victim} dựng xe mô tô nhãn hiệu "
    "{bike}, biển số {plate} trước {place} ({where}) để vào trong. Khoảng {gap} phút sau quay ra "
    "thì phát hiện xe đã bị lấy trộm. Tài sản ước trị giá {value} đồng. Đề nghị Cơ quan Công an "
    "truy tìm tài sản, xử lý người vi phạm.")
MOTO_STOLEN_HOME = (
    "{Buoi} ngày {odate}, gia đình {victim} ({where}) phát hiện chiếc xe mô tô {bike} biển số "
    "{plate} để trong sân nhà bị mất, ổ khóa bị phá. Camera nhà bên cạnh ghi lại hai thanh niên "
    "đi xe không biển số. Trị giá xe khoảng {value} đồng.")

STORIES = [
    Story("xe_may", "173", 12, origin=V, value=(15, 65), item="bike", p_init=0.42, declines=THEFT_DECLINES,
          lag=(0.3, 30), variants=[
              ("Mất trộm xe mô tô {bike} biển số {plate} tại {place}", MOTO_STOLEN_OUTSIDE, ANY),
              ("Bị kẻ gian lấy trộm xe máy {bike} dựng trước {place}", MOTO_STOLEN_OUTSIDE, ANY),
              ("Tố giác mất trộm xe mô tô biển số {plate} trong sân nhà", MOTO_STOLEN_HOME, ANY)]),
    Story("dien_thoai", "173", 5, origin=V, value=(3, 30), item="phone", p_init=0.3, declines=THEFT_DECLINES,
          lag=(0.2, 12), variants=[
              ("Bị trộm điện thoại di động {phone} tại {place}",
               "Khoảng {hh} giờ ngày {odate}, {victim} để điện thoại di động {phone} trên bàn tại "
               "{place} ({where}) thì bị một thanh niên khoảng 20 tuổi lấy trộm rồi bỏ chạy. Tài "
               "sản trị giá khoảng {value} đồng.", ANY),
              ("Mất trộm điện thoại {phone} khi đang làm việc tại {park}",
               "Trong ca làm việc ngày {odate} tại {park}, {victim} để điện thoại {phone} trong tủ "
               "đồ cá nhân, khi tan ca phát hiện tủ bị cạy và điện thoại bị mất. Giá trị khoảng "
               "{value} đồng.", ANY)]),
    Story("vang_tien", "173", 4, origin=V, value=(20, 480), p_init=0.5, declines=THEFT_DECLINES,
          lag=(1, 60), variants=[
              ("Nhà bị đột nhập, mất trộm {gold} chỉ vàng 24K và tiền mặt",
               "Ngày {odate}, khi cả nhà đi đám cưới, nhà của {victim} tại {where} bị kẻ gian cạy "
               "cửa sau đột nhập, lấy trộm {gold} chỉ vàng 24K và {cash} đồng tiền mặt để trong tủ "
               "quần áo. Tổng giá trị thiệt hại ước khoảng {value} đồng.", ANY),
              ("Mất trộm két sắt có vàng và giấy tờ tại {hamlet}, {commune}",
               "Khoảng {hh} giờ ngày {odate}, kẻ gian leo rào vào nhà {victim} ({where}), lấy trộm "
               "két sắt mini có {gold} chỉ vàng và giấy tờ. Thiệt hại khoảng {value} đồng.", ANY)]),
    Story("nong_san", "173", 3, origin=V, value=(3, 90), p_init=0.3, declines=THEFT_DECLINES,
          lag=(2, 72), p_commune=0.9, variants=[
              ("Trộm cắp mủ cao su tại vườn cao su ở {hamlet}",
               "{Buoi} ngày {odate}, {victim} ({where}) phát hiện khoảng {latex} kg mủ cao su đông "
               "để tại lô cao su của gia đình bị lấy trộm. Thiệt hại khoảng {value} đồng.", ANY),
              ("Mất trộm {cattle} con bò tại chuồng ở {hamlet}",
               "{Buoi} ngày {odate}, chuồng bò của gia đình {victim} tại {where} bị kẻ gian cắt dây "
               "dắt đi {cattle} con bò. Trị giá khoảng {value} đồng.", ANY),
              ("Mất trộm máy bơm nước và dây điện tại ruộng lúa ở {hamlet}",
               "Ngày {odate}, {victim} ra ruộng tại {where} phát hiện máy bơm nước và khoảng 200 "
               "mét dây điện bị lấy trộm, thiệt hại khoảng {value} đồng.", ANY)]),
    Story("lua_dao_dt", "174", 7, origin=V, value=(8, 900), p_init=0.35, lag=(6, 400),
          declines=CIVIL_DECLINES, suspend=SuspendGround.DOCUMENTS, variants=[
              ("Bị đối tượng giả danh Công an gọi điện, chiếm đoạt {value} đồng",
               "Ngày {odate}, {victim} ({where}) nhận cuộc gọi từ số {phone_no} của người xưng là "
               "cán bộ Công an, thông báo liên quan đến đường dây rửa tiền và yêu cầu chuyển tiền "
               "vào tài khoản {bank} để «xác minh». {victim} đã chuyển tổng cộng {value} đồng, sau "
               "đó không liên lạc được.", ANY),
              ("Bị lừa chuyển tiền với lý do cập nhật định danh điện tử VNeID",
               "Ngày {odate}, {victim} ({where}) được người lạ gọi điện hướng dẫn cài ứng dụng để "
               "«cập nhật định danh mức 2». Sau khi cài đặt, tài khoản {bank} bị chuyển đi {value} "
               "đồng.", ANY),
              ("Bị giả danh nhân viên điện lực gọi điện yêu cầu chuyển tiền",
               "Ngày {odate}, {victim} ({where}) nhận cuộc gọi của người xưng là nhân viên điện lực, "
               "thông báo nợ tiền điện sẽ bị cắt điện, yêu cầu kết bạn {app} và chuyển tiền «thanh "
               "toán». {victim} làm theo và bị chiếm đoạt {value} đồng.", ANY)]),
    Story("lua_dao_mang", "174", 6, origin=V, value=(5, 1500), p_init=0.3, lag=(24, 900),
          declines=CIVIL_DECLINES, suspend=SuspendGround.DOCUMENTS, p_commune=0.5, variants=[
              ("Bị lừa đảo qua mạng xã hội với hình thức «làm nhiệm vụ» nhận hoa hồng",
               "Khoảng tháng {omonth}, {victim} ({where}) được một tài khoản {app} mời tham gia «làm "
               "nhiệm vụ» thả tim, đánh giá sản phẩm để nhận hoa hồng. Sau vài lần được trả thưởng "
               "nhỏ, {victim} chuyển tổng cộng {value} đồng vào các tài khoản {bank} theo yêu cầu thì "
               "bị chặn liên lạc.", ANY),
              ("Bị lừa đầu tư tiền ảo trên ứng dụng giả mạo, mất {value} đồng",
               "Từ tháng {omonth}, {victim} ({where}) được người quen qua {app} giới thiệu đầu tư "
               "tiền ảo trên ứng dụng giả mạo, cam kết lợi nhuận 30%/tháng; đã nạp tổng cộng {value} "
               "đồng thì ứng dụng không cho rút tiền.", ANY),
              ("Mua hàng trên mạng bị chiếm đoạt tiền đặt cọc",
               "Ngày {odate}, {victim} ({where}) đặt mua hàng qua trang {app} và chuyển khoản đặt cọc "
               "{value} đồng vào tài khoản {bank}; người bán không giao hàng và khóa trang.", ANY),
              ("Bị lừa «việc nhẹ lương cao» qua {app}",
               "{victim} ({where}) thấy quảng cáo tuyển cộng tác viên trên {app}, được yêu cầu nộp "
               "phí hồ sơ, tiền «kích hoạt tài khoản» nhiều lần, tổng cộng {value} đồng, sau đó bị "
               "chặn liên lạc.", ANY)]),
    Story("mang_vien_thong", "290", 2, origin=V, value=(10, 800), p_init=0.35, lag=(2, 200),
          declines=CIVIL_DECLINES, suspend=SuspendGround.DOCUMENTS, variants=[
              ("Tài khoản ngân hàng bị chiếm quyền, bị chuyển đi {value} đồng",
               "Ngày {odate}, {victim} ({where}) bấm vào đường link lạ gửi qua tin nhắn SMS mạo danh "
               "ngân hàng {bank}, nhập thông tin đăng nhập. Sau đó tài khoản bị chuyển đi {value} "
               "đồng đến nhiều tài khoản khác nhau.", ANY),
              ("Bị chiếm đoạt tiền sau khi cài ứng dụng «Dịch vụ công» giả mạo",
               "Ngày {odate}, {victim} ({where}) được người xưng là cán bộ gọi điện hướng dẫn cài "
               "ứng dụng «Dịch vụ công» giả mạo; sau đó tài khoản {bank} bị chuyển đi {value} "
               "đồng.", ANY)]),
    Story("hui", "175", 3, origin=V, value=(30, 3000), p_init=0.15, lag=(24, 2000),
          declines=CIVIL_DECLINES, p_commune=0.85, variants=[
              ("Tố giác chủ hụi bỏ trốn, chiếm đoạt tiền hụi của nhiều người",
               "{victim} ({where}) cùng khoảng {people} người tham gia các dây hụi do {suspect} làm "
               "chủ. Từ ngày {odate}, {suspect} không giao tiền hụi, bỏ đi khỏi địa phương. Số tiền "
               "{victim} bị chiếm đoạt khoảng {value} đồng.", ANY),
              ("Vay mượn tiền rồi bỏ trốn khỏi địa phương",
               "Ngày {odate}, {suspect} hỏi vay của {victim} ({where}) {value} đồng với lý do làm "
               "ăn, hẹn trả sau 3 tháng; đến hạn không trả và bỏ đi khỏi địa phương, không liên lạc "
               "được.", ANY),
              ("Thuê xe ô tô tự lái rồi đem cầm cố, chiếm đoạt",
               "Ngày {odate}, {suspect} thuê xe ô tô của {victim} ({where}) với giá 800.000 "
               "đồng/ngày, sau đó đem xe đi cầm cố lấy {value} đồng rồi bỏ trốn.", ANY)]),
    Story("thuong_tich", "134", 7, origin=V, p_init=0.28, lag=(0.3, 48),
          clauses=((1, 0.6), (2, 0.22), (3, 0.12), (4, 0.06)),
          declines=((DeclineGround.NO_COMPLAINT, 0.45), (DeclineGround.NOT_A_CRIME, 0.45),
                    (DeclineGround.UNDER_AGE, 0.1)), variants=[
              ("Bị đánh gây thương tích sau khi uống rượu tại đám tiệc ở {hamlet}",
               "Khoảng {hh} giờ ngày {odate}, tại đám tiệc ở {where}, giữa {victim} và {suspect} xảy "
               "ra cự cãi. {suspect} dùng vỏ chai bia đánh vào đầu {victim}, gây thương tích phải đi "
               "cấp cứu tại Trung tâm Y tế khu vực.", ANY),
              ("Xô xát giữa hai nhóm thanh niên tại {place}, một người bị thương",
               "{Buoi} ngày {odate}, tại {place} ({where}) hai nhóm thanh niên xảy ra xô xát; một "
               "người bị chém vào tay phải nhập viện. Nhóm gây án bỏ chạy về hướng {road}.", ANY),
              ("Mâu thuẫn đất đai, bị hàng xóm dùng cây đánh gây thương tích",
               "Do mâu thuẫn ranh giới đất, ngày {odate} {suspect} dùng cây tre đánh {victim} gây "
               "thương tích vùng đầu và tay tại {where}.", ANY)]),
    Story("cuop_giat", "171", 2, origin=V, value=(3, 60), p_init=0.5, lag=(0.2, 6),
          declines=THEFT_DECLINES, variants=[
              ("Bị cướp giật túi xách khi đang đi xe máy trên {road}",
               "Khoảng {hh} giờ {mm} phút ngày {odate}, {victim} điều khiển xe mô tô trên {road} "
               "đoạn qua {commune} thì bị hai thanh niên đi xe {bike} áp sát giật túi xách bên trong "
               "có điện thoại {phone} và tiền mặt, tổng trị giá khoảng {value} đồng.", ANY),
              ("Bị giật điện thoại khi đứng trước {place}",
               "Khoảng {hh} giờ {mm} phút ngày {odate}, {victim} đang đứng nghe điện thoại trước "
               "{place} ({where}) thì bị một thanh niên chạy xe mô tô áp sát giật điện thoại {phone} "
               "rồi tăng ga bỏ chạy. Tài sản trị giá khoảng {value} đồng.", ANY)]),
    Story("cuop", "168", 1, origin=V, value=(5, 120), p_init=0.75, lag=(0.2, 6),
          clauses=((1, 0.7), (2, 0.25), (3, 0.05)), variants=[
              ("Bị dùng dao khống chế, cướp xe máy và điện thoại",
               "Khoảng {hh} giờ ngày {odate}, trên đoạn đường vắng thuộc {where}, {victim} bị hai "
               "đối tượng dùng dao khống chế, lấy xe mô tô {bike} và điện thoại {phone}.", ANY),
              ("Cửa hàng tiện lợi bị cướp tiền",
               "Khoảng {hh} giờ ngày {odate}, một đối tượng đội mũ bảo hiểm, cầm dao vào cửa hàng "
               "tiện lợi tại {where} đe dọa nhân viên, lấy khoảng {value} đồng rồi bỏ chạy.", ANY)]),
    Story("danh_bac", "321", 4, origin=POL, p_init=0.45, lag=(0.1, 3),
          clauses=((1, 0.85), (2, 0.15)), confidential=0.4, variants=[
              ("Bắt quả tang nhóm người đánh bạc bằng hình thức đá gà ăn tiền tại {hamlet}",
               "Khoảng {hh} giờ ngày {odate}, tổ công tác phát hiện tại khu đất trống thuộc {where} "
               "có khoảng {people} người tụ tập đá gà ăn tiền. Thu giữ {cash} đồng, 03 con gà đá và "
               "05 xe mô tô.", BY_POLICE),
              ("Bắt quả tang nhóm người đánh bài «tiến lên» ăn tiền tại {hamlet}",
               "Khoảng {hh} giờ ngày {odate}, tổ công tác kiểm tra nhà {suspect} ({where}) phát hiện "
               "{people} người đang đánh bài «tiến lên» ăn tiền; thu giữ trên chiếu bạc {cash} "
               "đồng.", BY_POLICE),
              ("Tin báo có tụ điểm đá gà ăn tiền tại {hamlet}",
               "Người dân phản ánh tại khu vườn tràm thuộc {where} thường xuyên có nhóm người tụ tập "
               "đá gà ăn tiền vào chiều thứ Bảy, Chủ nhật, có người canh gác.", BY_PUBLIC),
              ("Tin báo nhóm người đánh bài ăn tiền tại nhà ở {hamlet}",
               "Người dân phản ánh tại nhà {suspect} ({where}) thường xuyên có nhóm người tụ tập "
               "đánh bài ăn tiền vào buổi tối, ăn thua mỗi ván từ 200.000 đồng.", BY_PUBLIC)]),
    Story("to_chuc_bac", "322", 1.5, origin=POL, p_init=0.5, lag=(24, 720),
          clauses=((1, 0.8), (2, 0.2)), confidential=0.5, variants=[
              ("Tổ chức ghi số đề, đánh bạc qua mạng tại {hamlet}",
               "Qua công tác nắm tình hình, xác định {suspect} ({where}) tổ chức ghi số đề cho nhiều "
               "người, nhận bảng đề qua {app}, mỗi ngày thu khoảng {cash} đồng.", BY_POLICE),
              ("Tin báo gá bạc tại nhà ở, thu tiền xâu",
               "Người dân phản ánh {suspect} cho nhiều người đến nhà tại {where} đánh bạc và thu tiền "
               "xâu 10% mỗi ván.", BY_PUBLIC)]),
    Story("ma_tuy_tang_tru", "249", 4, origin=POL, p_init=0.8, lag=(0.1, 2),
          clauses=((1, 0.82), (2, 0.14), (3, 0.04)), confidential=0.3, declines=DRUG_DECLINES,
          variants=[
              ("Bắt quả tang đối tượng tàng trữ trái phép chất ma túy tại {place}",
               "Khoảng {hh} giờ ngày {odate}, tổ tuần tra kiểm tra {suspect} (sinh năm {sbyear}, "
               "{where}), phát hiện trong túi quần có 01 gói nylon chứa {qty} gam {drug}. Đã lập biên "
               "bản bắt người phạm tội quả tang, niêm phong tang vật.", BY_POLICE),
              ("Tin báo nhóm thanh niên tụ tập sử dụng ma túy tại {hamlet}",
               "Người dân phản ánh nhóm thanh niên thường tụ tập tại nhà {suspect} ({where}) vào ban "
               "đêm, nghi tàng trữ và sử dụng {drug}.", BY_PUBLIC)]),
    Story("ma_tuy_mua_ban", "251", 2, origin=POL, p_init=0.9, lag=(0.1, 48),
          clauses=((1, 0.7), (2, 0.25), (3, 0.05)), confidential=0.6, declines=DRUG_DECLINES,
          variants=[
              ("Bắt quả tang mua bán trái phép chất ma túy tại {hamlet}",
               "Khoảng {hh} giờ ngày {odate}, tổ công tác bắt quả tang {suspect} ({where}) đang giao "
               "{qty} gam {drug} cho người mua với giá 200.000 đồng/tép.", BY_POLICE),
              ("Tin báo điểm bán lẻ ma túy tại nhà trọ ở {hamlet}",
               "Người dân phản ánh {suspect} ({where}) thường bán {drug} cho người nghiện tại phòng "
               "trọ, mỗi tép 200.000 đồng; người mua ra vào liên tục vào ban đêm.", BY_PUBLIC)]),
    Story("ma_tuy_van_chuyen", "250", 1, origin=POL, p_init=0.92, lag=(0.1, 4), border=True,
          clauses=((1, 0.5), (2, 0.35), (3, 0.12), (4, 0.03)), p_commune=0.1,
          declines=DRUG_DECLINES, variants=[
              ("Bắt giữ đối tượng vận chuyển {qty} gam {drug} từ Campuchia về",
               "Khoảng {hh} giờ ngày {odate}, {post} phối hợp kiểm tra xe mô tô do {suspect} điều "
               "khiển gần {gate}, phát hiện giấu trong yên xe {qty} gam {drug}.", BY_POLICE)]),
    Story("ma_tuy_to_chuc", "255", 0.7, origin=POL, p_init=0.85, lag=(0.1, 3),
          clauses=((1, 0.8), (2, 0.2)), declines=DRUG_DECLINES, variants=[
              ("Tổ chức sử dụng trái phép chất ma túy tại phòng hát karaoke",
               "Khoảng {hh} giờ ngày {odate}, kiểm tra quán karaoke tại {where} phát hiện {people} "
               "người đang sử dụng {drug} trong phòng hát do {suspect} chuẩn bị.", BY_POLICE),
              ("Phát hiện nhóm người sử dụng ma túy trong nhà nghỉ tại {commune}",
               "Khoảng {hh} giờ ngày {odate}, kiểm tra nhà nghỉ tại {where} phát hiện {people} người "
               "đang sử dụng {drug} trong phòng do {suspect} thuê và chuẩn bị dụng cụ.", BY_POLICE)]),
    Story("giao_thong", "260", 4, origin=POL, p_init=0.4, lag=(0.1, 2),
          clauses=((1, 0.85), (2, 0.15)), p_commune=0.3,
          declines=((DeclineGround.DECEASED, 0.4), (DeclineGround.NOT_A_CRIME, 0.4),
                    (DeclineGround.NO_CRIME, 0.2)), variants=[
              ("Tai nạn giao thông trên {road} làm 01 người chết",
               "Khoảng {hh} giờ {mm} phút ngày {odate}, trên {road} đoạn qua {commune}, xe ô tô tải "
               "biển số {truck} va chạm với xe mô tô biển số {plate} do {victim} điều khiển. Người "
               "điều khiển xe mô tô tử vong tại chỗ.", ANY),
              ("Va chạm giữa xe tải và xe mô tô trên {road}, 01 người tử vong",
               "Khoảng {hh} giờ {mm} phút ngày {odate}, trên {road} đoạn qua {commune}, xe ô tô tải "
               "biển số {truck} va chạm với xe mô tô biển số {plate} do {victim} điều khiển. Người "
               "điều khiển xe mô tô tử vong tại chỗ.", ANY),
              ("Xe ô tô tông xe đạp điện, học sinh tử vong",
               "{Buoi} ngày {odate}, xe ô tô con đi trên {road} ({where}) tông vào xe đạp điện chạy "
               "cùng chiều; nạn nhân là học sinh, tử vong trên đường đi cấp cứu.", ANY)]),
    Story("gay_roi", "318", 2.5, origin=POL, p_init=0.22, lag=(0.1, 24),
          declines=((DeclineGround.NOT_A_CRIME, 0.7), (DeclineGround.UNDER_AGE, 0.3)), variants=[
              ("Nhóm thanh niên mang hung khí rượt đuổi nhau trên {road}",
               "Khoảng {hh} giờ ngày {odate}, khoảng {people} thanh niên đi xe mô tô, mang theo mã "
               "tấu, gậy sắt rượt đuổi nhau trên {road} đoạn qua {commune}, gây hoang mang cho người "
               "đi đường.", ANY),
              ("Gây rối, đập phá tài sản tại quán nhậu ở {commune}",
               "{Buoi} ngày {odate}, tại quán nhậu ở {where}, nhóm khách say xỉn ném chai, đập phá "
               "bàn ghế, đánh nhau gây mất trật tự.", ANY)]),
    Story("dua_xe", "265", 0.6, origin=POL, p_init=0.35, lag=(0.1, 6),
          declines=((DeclineGround.NOT_A_CRIME, 0.6), (DeclineGround.UNDER_AGE, 0.4)), variants=[
              ("Tụ tập đua xe trái phép trên {road}",
               "Khoảng {hh} giờ ngày {odate}, khoảng {people} thanh niên tụ tập đua xe mô tô, cá cược "
               "trên {road} đoạn qua {commune}; tổ công tác tạm giữ 06 xe.", BY_POLICE),
              ("Tin báo thanh niên tụ tập đua xe, lạng lách trên {road}",
               "Người dân phản ánh đêm ngày {odate} có nhiều nhóm thanh niên tụ tập đua xe, lạng "
               "lách, cá cược trên {road} đoạn qua {commune}.", BY_PUBLIC)]),
    Story("huy_hoai", "178", 1.5, origin=V, value=(3, 150), p_init=0.25, lag=(1, 72),
          declines=CIVIL_DECLINES, variants=[
              ("Bị chặt phá {trees} cây cao su tại {hamlet}",
               "{Buoi} ngày {odate}, {victim} ({where}) phát hiện {trees} cây cao su đang cho mủ của "
               "gia đình bị chặt ngang thân, thiệt hại khoảng {value} đồng.", ANY),
              ("Bị đốt cháy xe mô tô do mâu thuẫn cá nhân",
               "{Buoi} ngày {odate}, xe mô tô {bike} của {victim} để trước nhà tại {where} bị người "
               "lạ tưới xăng đốt cháy; nghi do mâu thuẫn với {suspect} từ trước.", ANY),
              ("Nhà bị ném đá, đập phá cửa kính",
               "{Buoi} ngày {odate}, nhà của {victim} tại {where} bị nhóm người lạ ném đá, dùng gậy "
               "đập vỡ cửa kính và camera; thiệt hại khoảng {value} đồng.", ANY)]),
    Story("tin_dung_den", "201", 1.2, origin=V, p_init=0.3, lag=(24, 1500),
          clauses=((1, 0.6), (2, 0.4)), confidential=0.5, declines=CIVIL_DECLINES, variants=[
              ("Bị nhóm cho vay «tín dụng đen» đe dọa, tạt sơn nhà",
               "{victim} ({where}) vay của nhóm {suspect} {cash} đồng theo hình thức góp ngày, lãi "
               "suất tương đương 200%/năm. Do chậm trả, ngày {odate} nhóm này đến tạt sơn, ném mắm "
               "tôm vào nhà và đe dọa.", ANY),
              ("Cho vay lãi nặng với lãi suất trên 180%/năm",
               "Người dân phản ánh nhóm {suspect} ({where}) phát tờ rơi cho vay tiền nhanh, không thế "
               "chấp, lãi suất tương đương 180%/năm, thu tiền góp hằng ngày; nhiều người vay không "
               "trả nổi.", ANY)]),
    Story("cuong_doat", "170", 0.8, origin=V, value=(5, 200), p_init=0.45, lag=(2, 200),
          clauses=((1, 0.7), (2, 0.3)), confidential=0.3, variants=[
              ("Bị đe dọa tung ảnh nhạy cảm để cưỡng đoạt tiền",
               "Từ ngày {odate}, {victim} ({where}) liên tục nhận tin nhắn qua {app} đe dọa phát tán "
               "hình ảnh cá nhân nếu không chuyển {value} đồng.", ANY),
              ("Bị nhóm đòi nợ thuê đe dọa, ép đưa tiền",
               "Ngày {odate}, nhóm {suspect} đến nhà {victim} ({where}) đe dọa, buộc phải đưa {value} "
               "đồng mới «cho yên», dù gia đình không nợ tiền.", ANY)]),
    Story("buon_lau", "188", 1.2, origin=POL, value=(120, 1500), p_init=0.6, lag=(0.1, 4),
          border=True, p_commune=0.15, clauses=((1, 0.6), (2, 0.3), (3, 0.1)), variants=[
              ("Bắt giữ {sugar} bao đường cát nhập lậu từ Campuchia",
               "Khoảng {hh} giờ ngày {odate}, {post} phát hiện {suspect} dùng xe ô tô tải biển số "
               "{truck} chở {sugar} bao đường cát (50 kg/bao) không có hóa đơn, chứng từ, vừa vận "
               "chuyển qua đường mòn gần {gate}. Trị giá khoảng {value} đồng.", BY_POLICE),
              ("Tin báo vận chuyển hàng nhập lậu qua đường mòn biên giới",
               "Người dân phản ánh vào ban đêm thường có xe ô tô tải chở hàng từ đường mòn gần {gate} "
               "về kho của {suspect} tại {where}, nghi là đường cát, thuốc lá nhập lậu.", BY_PUBLIC)]),
    Story("hang_cam", "191", 1.6, origin=POL, p_init=0.55, lag=(0.1, 4), border=True,
          p_commune=0.25, clauses=((1, 0.75), (2, 0.2), (3, 0.05)), variants=[
              ("Vận chuyển {cig} bao thuốc lá điếu nhập lậu",
               "Khoảng {hh} giờ ngày {odate}, lực lượng chức năng kiểm tra xe ô tô biển số {truck} "
               "trên {road}, phát hiện {cig} bao thuốc lá điếu ngoại nhập lậu (Jet, Hero) không có "
               "hóa đơn chứng từ.", BY_POLICE),
              ("Tàng trữ pháo nổ trái phép tại nhà ở {hamlet}",
               "Ngày {odate}, kiểm tra nhà {suspect} ({where}) phát hiện tàng trữ {fire} kg pháo nổ "
               "các loại, dự định bán dịp Tết.", BY_POLICE)]),
    Story("thuc_pham", "317", 0.6, origin=POL, p_init=0.4, lag=(1, 200), p_commune=0.2,
          declines=CIVIL_DECLINES, variants=[
              ("Cơ sở sản xuất giò chả sử dụng hàn the tại {commune}",
               "Ngày {odate}, đoàn kiểm tra phát hiện cơ sở của {suspect} ({where}) sản xuất giò chả "
               "có sử dụng hàn the; thu giữ 120 kg sản phẩm và hóa chất.", BY_POLICE),
              ("Ngộ độc thực phẩm tập thể sau bữa ăn tại {park}",
               "Ngày {odate}, sau bữa ăn trưa tại căng tin {park}, {people} công nhân có biểu hiện "
               "ngộ độc phải nhập viện.", ANY)]),
    Story("hang_gia_thuc_pham", "193", 0.3, origin=AG, p_init=0.55, lag=(24, 700),
          declines=CIVIL_DECLINES, variants=[
              ("Kiến nghị khởi tố vụ sản xuất nước mắm giả tại {commune}",
               "{agency} kiến nghị khởi tố: qua kiểm tra cơ sở của {suspect} ({where}) ngày {odate} "
               "phát hiện sản xuất nước mắm giả nhãn hiệu, hàm lượng đạm dưới 70% mức công bố.",
               ANY)]),
    Story("moi_truong", "235", 0.4, origin=AG, p_init=0.35, lag=(24, 2000),
          declines=CIVIL_DECLINES, variants=[
              ("Kiến nghị khởi tố hành vi xả nước thải chưa xử lý ra kênh tại {commune}",
               "{agency} kiến nghị: doanh nghiệp tại {park} xả nước thải vượt quy chuẩn nhiều lần ra "
               "kênh thủy lợi thuộc {commune}, phát hiện ngày {odate}.", ANY)]),
    Story("dong_vat", "244", 0.3, origin=POL, p_init=0.7, lag=(0.1, 48), p_commune=0.3,
          variants=[
              ("Phát hiện nuôi nhốt, buôn bán {animal} trái phép tại {hamlet}",
               "Ngày {odate}, kiểm tra nhà {suspect} ({where}) phát hiện nuôi nhốt {animal} là động "
               "vật nguy cấp, quý, hiếm không có giấy tờ hợp pháp.", BY_POLICE)]),
    Story("tham_o", "353", 0.4, origin=AG, value=(120, 4000), p_init=0.65, lag=(720, 12000),
          clauses=((1, 0.6), (2, 0.3), (3, 0.1)), declines=CIVIL_DECLINES, variants=[
              ("Kiến nghị khởi tố: kế toán trường học chiếm đoạt tiền học phí",
               "{agency} kiến nghị khởi tố: qua thanh tra giai đoạn {years}, phát hiện kế toán "
               "{suspect} của một trường học tại {commune} lập chứng từ khống, chiếm đoạt {value} "
               "đồng tiền học phí.", ANY),
              ("Kiến nghị khởi tố hành vi tham ô tiền chi trả chế độ chính sách tại {commune}",
               "Qua kiểm tra việc chi trả trợ cấp tại {commune}, {agency} phát hiện cán bộ {suspect} "
               "lập danh sách khống, chiếm đoạt {value} đồng.", ANY)]),
    Story("lam_dung_chuc_vu", "356", 0.4, origin=AG, p_init=0.5, lag=(720, 15000),
          declines=CIVIL_DECLINES, variants=[
              ("Kiến nghị khởi tố sai phạm trong cấp giấy chứng nhận quyền sử dụng đất",
               "{agency} kiến nghị khởi tố: giai đoạn {years}, một số cán bộ địa chính {commune} cấp "
               "giấy chứng nhận quyền sử dụng đất sai đối tượng, gây thiệt hại cho Nhà nước.",
               ANY)]),
    Story("giay_to_gia", "341", 0.7, origin=POL, p_init=0.7, lag=(0.1, 200), p_commune=0.4,
          variants=[
              ("Sử dụng giấy phép lái xe giả khi bị kiểm tra",
               "Ngày {odate}, khi bị kiểm tra trên {road}, {suspect} xuất trình giấy phép lái xe hạng "
               "C có dấu hiệu làm giả, khai mua qua mạng giá 6.000.000 đồng.", BY_POLICE),
              ("Làm giả giấy chứng nhận quyền sử dụng đất để vay tiền",
               "Ngày {odate}, {suspect} mang giấy chứng nhận quyền sử dụng đất đến vay {cash} đồng "
               "của {victim} ({where}); qua kiểm tra tại văn phòng đăng ký đất đai, giấy chứng nhận "
               "là giả.", BY_PUBLIC)]),
    Story("tieu_thu", "323", 0.5, origin=POL, p_init=0.6, lag=(24, 300), p_commune=0.5,
          variants=[
              ("Tiệm cầm đồ nhận cầm cố xe máy do trộm cắp mà có",
               "Quá trình xác minh vụ mất trộm xe, xác định tiệm cầm đồ của {suspect} ({where}) đã "
               "nhận cầm chiếc xe {bike} dù biết xe không có giấy tờ.", BY_POLICE)]),
    Story("vu_khi", "306", 0.3, origin=POL, p_init=0.6, lag=(0.1, 4), variants=[
              ("Tàng trữ dao tự chế và súng bắn đạn bi trái phép",
               "Ngày {odate}, kiểm tra {suspect} ({where}) phát hiện cất giữ 02 mã tấu và 01 súng tự "
               "chế bắn đạn bi.", BY_POLICE)]),
    Story("giet_nguoi", "123", 0.15, origin=V, p_init=0.95, lag=(0.5, 48),
          clauses=((1, 0.6), (2, 0.4)), p_commune=0.6, variants=[
              ("Phát hiện thi thể nam giới dưới mương nước tại {hamlet}, nghi bị sát hại",
               "{Buoi} ngày {odate}, người dân phát hiện thi thể một nam giới khoảng 40 tuổi dưới "
               "mương nước tại {where}, trên người có nhiều vết thương.", ANY)]),
    Story("vo_y_lam_chet", "128", 0.2, origin=V, p_init=0.5, lag=(0.5, 24),
          declines=((DeclineGround.DECEASED, 0.3), (DeclineGround.NOT_A_CRIME, 0.7)), variants=[
              ("Người chết do điện giật từ bẫy chuột bằng điện tại ruộng",
               "{Buoi} ngày {odate}, {victim} đi thăm ruộng tại {where} bị điện giật tử vong do dây "
               "điện bẫy chuột của {suspect} giăng quanh ruộng lúa.", ANY)]),
    Story("xam_hai", "145", 0.5, origin=V, p_init=0.75, lag=(24, 700), confidential=1.0,
          declines=((DeclineGround.NO_CRIME, 0.6), (DeclineGround.UNDER_AGE, 0.4)), variants=[
              ("Tố giác học sinh 14 tuổi bị xâm hại tình dục",
               "Tố giác: một học sinh 14 tuổi tại {commune} bị {suspect} (21 tuổi) dụ dỗ quan hệ "
               "tình dục nhiều lần từ tháng {omonth}.", ANY)]),
    Story("an_ninh_mang", "331", 0.4, origin=SEC, p_init=0.5, lag=(24, 300), transfer=True,
          declines=((DeclineGround.NOT_A_CRIME, 1.0),), variants=[
              ("Tài khoản mạng xã hội đăng tải thông tin xuyên tạc, xúc phạm cán bộ",
               "Tài khoản {app} tên «{alias}» nhiều lần đăng tải bài viết, video xuyên tạc, xúc phạm "
               "uy tín cơ quan nhà nước và cán bộ {commune}, phát hiện ngày {odate}.", ANY)]),
    Story("xuat_canh", "348", 0.5, origin=SEC, p_init=0.7, lag=(1, 300), transfer=True,
          border=True, variants=[
              ("Tổ chức cho người khác xuất cảnh trái phép sang Campuchia làm việc",
               "Người nhà trình báo: {victim} được {suspect} hứa hẹn «việc nhẹ lương cao», đưa qua "
               "đường mòn gần {gate} sang Campuchia ngày {odate}, nay bị giữ, đòi tiền chuộc.",
               ANY)]),
]
STORY = {s.key: s for s in STORIES}
DRUGS = ["ma túy đá (methamphetamine)", "heroin", "ma túy tổng hợp dạng viên (MDMA)",
         "ketamine", "cần sa"]
ANIMALS = ["02 cá thể tê tê java", "05 cá thể rùa núi vàng", "01 cá thể khỉ đuôi lợn",
           "03 cá thể cu li nhỏ"]
ALIASES = ["Tiếng Dân Tây Ninh", "Sự thật Tây Ninh", "Người dân lên tiếng", "Góc nhìn khác"]


def _money(millions: float) -> str:
    return f"{round(millions * 1_000_000, -5):,.0f}".replace(",", ".")


class _Fill(dict):
    """Placeholder values, drawn when a text first asks for them (so a story's summary and
    content, and a duplicate report of the same event, agree)."""

    def __init__(self, rng: random.Random, commune: Commune, occurred: datetime | None,
                 value: float | None):
        super().__init__()
        self.rng, self.commune, self.occurred, self.value_m = rng, commune, occurred, value

    def __missing__(self, key: str) -> str:
        value = _GEN[key](self)
        self[key] = value
        return value


def _person(rng: random.Random, female: bool | None = None) -> tuple[str, bool]:
    female = rng.random() < 0.45 if female is None else female
    surname = rng.choices([s for s, _ in SURNAMES], [w for _, w in SURNAMES])[0]
    middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    return f"{surname} {middle} {given}", female


def _initials(name: str) -> str:
    words = name.split()
    return ".".join(w[0] for w in words[:-1]) + "." + words[-1][0] + "."


def _north(commune: Commune) -> bool:
    return commune.code < "27000"  # the former Tây Ninh; from 27xxx the former Long An


def _lower(name: str) -> str:
    """"Xã Tân Biên" -> "xã Tân Biên", as written inside a sentence or an address."""
    return name[0].lower() + name[1:]


def _part_of_day(f: _Fill) -> str:
    hour = timezone.localtime(f.occurred).hour if f.occurred else f.rng.randint(6, 21)
    return ("Rạng sáng" if hour < 5 else "Sáng" if hour < 11 else "Trưa" if hour < 13
            else "Chiều" if hour < 18 else "Tối" if hour < 22 else "Khuya")


def _hamlet(f: _Fill) -> str:
    if f.commune.kind == "phuong":
        return f"khu phố {f.rng.randint(1, 12)}"
    return f"ấp {f.rng.choice(HAMLETS)}"


def _where(f: _Fill) -> str:
    return f"{f['hamlet']}, {_lower(f.commune.name)}"


def _victim(f: _Fill) -> str:
    name, female = _person(f.rng)
    return ("bà " if female else "ông ") + _initials(name)


def _suspect(f: _Fill) -> str:
    name, _ = _person(f.rng, female=f.rng.random() < 0.2)
    return f"{name.rsplit(' ', 1)[0]} {name.rsplit(' ', 1)[1][0]}."


def _plate(f: _Fill) -> str:
    r = f.rng
    prefix = "70" if _north(f.commune) else "62"
    return f"{prefix}{r.choice('BCDEFGHKLMNPSTUVXYZ')}{r.randint(1, 9)}-{r.randint(100, 999)}.{r.randint(10, 99)}"


def _truck(f: _Fill) -> str:
    r = f.rng
    return f"{r.choice(['70', '62', '51', '61'])}{r.choice('CH')}-{r.randint(100, 999)}.{r.randint(10, 99)}"


def _value(f: _Fill) -> str:
    return _money(f.value_m if f.value_m is not None else f.rng.uniform(3, 40))


def _place(f: _Fill) -> str:
    r = f.rng
    name = f.commune.name.split(" ", 1)[1]
    return r.choice([f"chợ {name}", r.choice(SHOPS), r.choice(SHOPS), f"cổng {f['park']}",
                     "nhà văn hóa ấp", "trường tiểu học", "trạm y tế"])


def _years(f: _Fill) -> str:
    end = (f.occurred or timezone.now()).year
    return f"{end - f.rng.randint(2, 4)}–{end - 1}"


def _odate(f: _Fill) -> str:
    when = timezone.localtime(f.occurred) if f.occurred else timezone.localtime()
    return f"{when:%d/%m/%Y}"


_GEN = {
    "hamlet": _hamlet, "where": _where, "victim": _victim, "suspect": _suspect, "plate": _plate,
    "truck": _truck, "value": _value,
    "bike": lambda f: f.rng.choice(BIKES)[0], "phone": lambda f: f.rng.choice(PHONES)[0], "place": _place,
    "years": _years, "odate": _odate,
    "commune": lambda f: _lower(f.commune.name),
    "Buoi": lambda f: _part_of_day(f),
    "hh": lambda f: f"{timezone.localtime(f.occurred).hour if f.occurred else f.rng.randint(7, 22):02d}",
    "mm": lambda f: f"{f.rng.randrange(0, 60, 5):02d}",
    "omonth": lambda f: f"{timezone.localtime(f.occurred or timezone.now()):%m/%Y}",
    "gap": lambda f: str(f.rng.choice([5, 10, 15, 20, 30, 40])),
    "park": lambda f: f.rng.choice(PARKS_NORTH if _north(f.commune) else PARKS_SOUTH),
    "road": lambda f: f.rng.choice(ROADS_NORTH if _north(f.commune) else ROADS_SOUTH),
    "gate": lambda f: f.rng.choice(BORDER_GATES[:4] if _north(f.commune) else BORDER_GATES[4:]),
    "post": lambda f: f.rng.choice(BORDER_POSTS[:3] if _north(f.commune) else BORDER_POSTS[3:]),
    "gold": lambda f: str(f.rng.choice([2, 3, 5, 7, 10, 12, 15, 20])),
    "cash": lambda f: _money(f.rng.choice([1.5, 2, 3.5, 5, 8, 12, 20, 35])),
    "cattle": lambda f: f"{f.rng.randint(1, 4):02d}",
    "latex": lambda f: str(f.rng.randrange(80, 600, 10)),
    "trees": lambda f: str(f.rng.randrange(20, 300, 10)),
    "people": lambda f: str(f.rng.randint(5, 25)),
    "sugar": lambda f: str(f.rng.randrange(40, 400, 10)),
    "cig": lambda f: str(f.rng.randrange(500, 6000, 50)),
    "fire": lambda f: str(f.rng.randint(3, 60)),
    "qty": lambda f: f"{f.rng.uniform(0.1, 30):.2f}".replace(".", ","),
    "drug": lambda f: f.rng.choice(DRUGS),
    "animal": lambda f: f.rng.choice(ANIMALS),
    "alias": lambda f: f.rng.choice(ALIASES),
    "sbyear": lambda f: str(f.rng.randint(1975, 2005)),
    "app": lambda f: f.rng.choice(APPS),
    "bank": lambda f: f.rng.choice(BANKS),
    "phone_no": lambda f: f"+{f.rng.choice(['84', '855', '84'])} {f.rng.randint(100, 999)} {f.rng.randint(100, 999)} {f.rng.randint(100, 999)}",
    "agency": lambda f: f.rng.choice(OVERSIGHT),
}


def story_texts(rng: random.Random, story: Story, commune: Commune,
                occurred: datetime | None, value: float | None, item: str = ""
                ) -> tuple[str, str, str, _Fill]:
    """(summary, content, who reports it, values) for one event; the benchmark reuses this."""
    fill = _Fill(rng, commune, occurred, value)
    if item:
        fill[story.item] = item
    summary, content, who = rng.choice(story.variants)
    return summary.format_map(fill)[:300], content.format_map(fill), who, fill


def story_value_clause(rng: random.Random, story: Story, article_clauses: dict[str, list[int]]
                       ) -> tuple[float | None, int, str]:
    """The value involved (millions of đồng), the clause it falls under, and the stolen item
    when the story names one."""
    if story.value is None:
        clause = rng.choices([c for c, _ in story.clauses], [w for _, w in story.clauses])[0]
        return None, clause, ""
    item = ""
    if story.item:
        item, lo, hi = rng.choice(BIKES if story.item == "bike" else PHONES)
        value = rng.uniform(lo, hi) * rng.uniform(0.55, 1.0)  # second-hand
    else:
        lo, hi = story.value
        value = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    # Property offences: 2–50 million clause 1, 50–200 clause 2, 200–500 clause 3, more clause 4.
    clause = 1 if value < 50 else 2 if value < 200 else 3 if value < 500 else 4
    known = article_clauses.get(story.article) or [1]
    return value, min(clause, max(known)), item


# ----------------------------------------------------------------------------- reporters

def personal_id(rng: random.Random, birth_year: int, female: bool) -> str:
    province = rng.choices([p for p, _ in BIRTH_PROVINCES], [w for _, w in BIRTH_PROVINCES])[0]
    century = (0 if birth_year < 2000 else 2) + (1 if female else 0)
    number = f"{province}{century}{birth_year % 100:02d}{rng.randrange(10 ** 6):06d}"
    parse_personal_id(number)  # the structure services check
    return number


def phone_number(rng: random.Random) -> str:
    return f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10 ** 7):07d}"


def _reporter(rng: random.Random, story: Story, who: str, commune: Commune, *, at_body: bool
              ) -> tuple[str, str, Reporter]:
    """(kind, channel, reporter) as such a story reaches the police."""
    r = rng.random()
    if story.origin == AG:
        agency = rng.choice(OVERSIGHT if story.article in {"353", "356", "235"} else MARKET + OVERSIGHT)
        return Kind.RECOMMENDATION, Channel.POST, Reporter(
            type=ReporterType.AGENCY, agency=agency, contact=phone_number(rng),
            name=_person(rng)[0])
    if who == BY_POLICE or (who == ANY and story.origin == POL and r < (0.55 if at_body else 0.25)):
        own = f"Công an {_lower(commune.name)}"
        if story.border or story.key in {"buon_lau", "hang_cam"}:
            agency = rng.choice(BORDER_POSTS + MARKET)
        elif story.key == "giao_thong":
            agency = "Phòng Cảnh sát giao thông Công an tỉnh" if at_body else own
        else:
            agency = rng.choice(POLICE_REPORTERS + [own]) if at_body else own
        channel = rng.choices([Channel.POST, Channel.IN_PERSON, Channel.PHONE], [5, 3, 2])[0]
        return Kind.CRIME_REPORT, channel, Reporter(type=ReporterType.AGENCY, agency=agency,
                                                    contact=phone_number(rng),
                                                    name=_person(rng)[0])
    if story.origin == V and rng.random() < 0.04:
        return Kind.CRIME_REPORT, Channel.POST, Reporter(
            type=ReporterType.AGENCY, agency=rng.choice(VICTIM_ORGS), contact=phone_number(rng),
            name=_person(rng)[0])
    anonymous = 0.3 if story.origin in {POL, SEC} else 0.05
    if rng.random() < anonymous:
        channel = rng.choices([Channel.HOTLINE_113, Channel.PHONE, Channel.PORTAL, Channel.POST],
                              [4, 2.5, 2, 1.5])[0]
        return Kind.CRIME_REPORT, channel, Reporter(type=ReporterType.ANONYMOUS)
    if rng.random() < 0.02 and story.origin == POL:
        return Kind.CRIME_REPORT, Channel.MEDIA, Reporter(
            type=ReporterType.AGENCY, agency="Báo Tây Ninh", contact=phone_number(rng))
    name, female = _person(rng)
    birth_year = rng.choices([rng.randint(1950, 1964), rng.randint(1965, 1999),
                              rng.randint(2000, 2007)], [2, 7, 1.2])[0]
    has_id = rng.random() < 0.92
    if at_body:
        channel = rng.choices([Channel.IN_PERSON, Channel.VNEID, Channel.PORTAL, Channel.POST,
                               Channel.HOTLINE_113, Channel.PHONE], [35, 20, 12, 13, 12, 8])[0]
    else:
        channel = rng.choices([Channel.IN_PERSON, Channel.PHONE, Channel.VNEID,
                               Channel.HOTLINE_113, Channel.POST], [62, 16, 10, 7, 5])[0]
    if channel in {Channel.PHONE, Channel.HOTLINE_113}:
        has_id = rng.random() < 0.3
    kind = Kind.DENUNCIATION if story.origin == V else Kind.CRIME_REPORT
    return kind, channel, Reporter(
        type=ReporterType.PERSON, name=name,
        personal_id=personal_id(rng, birth_year, female) if has_id else "",
        contact=phone_number(rng), confidential=rng.random() < story.confidential)


# ----------------------------------------------------------------------------- simulation

class _Ref:
    """A primary key known only once the row is written."""

    def __init__(self, obj):
        self.obj = obj

    @property
    def pk(self):
        target = self.obj.source if isinstance(self.obj, _Plan) else self.obj.row
        return target.pk


class _Event:
    __slots__ = ("at", "action", "actor", "from_state", "to_state", "changes", "note")

    def __init__(self, at, action, actor, from_state, to_state, changes, note=""):
        self.at, self.action, self.actor = at, action, actor
        self.from_state, self.to_state, self.changes, self.note = from_state, to_state, changes, note


class _Request:
    def __init__(self, plan, number, by, at, reason):
        self.plan, self.number, self.by, self.at, self.reason = plan, number, by, at, reason
        self.state = ExtensionRequest.State.PENDING
        self.decided_by = self.decided_at = None
        self.note = ""
        self.row: ExtensionRequest | None = None


class _Plan:
    def __init__(self, source: Source, story: Story, reporter: Reporter, fill: _Fill):
        self.source, self.story, self.reporter, self.fill = source, story, reporter, fill
        self.events: list[_Event] = []
        self.requests: list[_Request] = []
        self.notes: list[tuple[datetime, User, str]] = []
        self.decisions: list[tuple[datetime, str, _Event]] = []
        self.closed_at: datetime | None = None  # decided, transferred or merged
        self.verify_from: datetime | None = None
        self.verify_until: datetime | None = None
        self.transferred_to: _Plan | None = None
        self.merged_into: _Plan | None = None
        self.updated_at = source.received_at
        self.clause_no = 1

    def status_at(self, when: datetime) -> str | None:
        """The state after the last event up to `when`, in time order (events are appended
        out of order: the notices are planned after the whole life of the source)."""
        past = [e for e in self.events if e.at <= when and e.to_state]
        return max(enumerate(past), key=lambda x: (x[1].at, x[0]))[1].to_state if past else None


class _Fate:
    """How one source's life goes; anything past now simply has not happened yet."""

    def __init__(self, *, outcome: str, forward_lag: float = 6, classify_lag: float = 4,
                 assign_lag: float = 12, assignee: User | None = None, extensions: int = 0,
                 refuse: bool = False, late_days: int = 0, resume: str = "",
                 ground: str = "", transfer_lag: float = 5, accept_lag: float = 24,
                 classify_first: bool = True, request_at: datetime | None = None,
                 approve_days: float | None = None, merge_into: _Plan | None = None,
                 merge_at: datetime | None = None, notices: tuple[str, str] = ("on_time", "on_time")):
        self.outcome = outcome  # initiate | decline | suspend | open | transfer | merge
        self.forward_lag, self.classify_lag, self.assign_lag = forward_lag, classify_lag, assign_lag
        self.assignee, self.extensions, self.refuse = assignee, extensions, refuse
        self.late_days, self.resume, self.ground = late_days, resume, ground
        self.transfer_lag, self.accept_lag, self.classify_first = (transfer_lag, accept_lag,
                                                                   classify_first)
        self.request_at, self.approve_days = request_at, approve_days
        self.merge_into, self.merge_at, self.notices = merge_into, merge_at, notices


class _Demo:
    def __init__(self, *, now: datetime | None = None):
        self.rng = random.Random(SEED)
        self.now = now or timezone.now()
        self.today = timezone.localtime(self.now).date()
        self.tz = timezone.get_current_timezone()
        self.calendar = legal_calendar()
        self._due_cache: dict = {}
        self.plans: list[_Plan] = []

        self.communes = list(Commune.objects.filter(province__code=PROVINCE).order_by("code"))
        self.body = Unit.objects.get(code=BODY)
        self.security = Unit.objects.get(code=SECURITY_BODY)
        self.commune_units = {u.code.rsplit("-", 1)[1]: u for u in
                              Unit.objects.filter(code__startswith=f"{P}-CAX-")}
        self.procuracy = {}
        province_vks = Unit.objects.get(code=f"{P}-VKS")
        for unit in Unit.objects.current().filter(kind=Unit.Kind.REGIONAL_PROCURACY,
                                                  province__code=PROVINCE).prefetch_related("communes"):
            for commune in unit.communes.all():
                self.procuracy.setdefault(commune.pk, unit)
        self.province_vks = province_vks
        self.offences = {o.article: o for o in Offence.objects.filter(
            article__in={s.article for s in STORIES}).prefetch_related("clauses")}
        self.clauses = {a: {c.clause: c for c in o.clauses.all()} for a, o in self.offences.items()}
        self.article_clauses = {a: sorted(c) for a, c in self.clauses.items()}
        self.groups = {a: (g.group if (g := o.group_on(self.today)) else "")
                       for a, o in self.offences.items()}
        users = {u.username: u for u in User.objects.filter(
            username__in=["tiepnhan1", "tiepnhan2", "dieutra", "thutruong", "kiemsat",
                          "kiemsat.kv1", *[a.username for a in STAFF]])}
        missing = {"tiepnhan1", "dieutra", "thutruong", "kiemsat", "kiemsat.kv1"} - set(users)
        if missing:
            raise RuntimeError(f"demo accounts missing ({', '.join(sorted(missing))}): "
                               "run the units seeder first")
        self.u = users
        first, second = self.communes[0], self.communes[1]
        self.intake = {self.commune_units[first.code].pk: users["tiepnhan1"],
                       self.commune_units[second.code].pk: users.get("tiepnhan2"),
                       self.body.pk: users["tiepnhan.cqdt"]}
        self.assignees = [users[n] for n in ASSIGNEE_WEIGHTS]
        self.assignee_weights = list(ASSIGNEE_WEIGHTS.values())
        kv1 = Unit.objects.get(code=f"{P}-VKS-KV1")
        self.kv1 = kv1
        self.kv1_communes = [c for c in self.communes if self.procuracy.get(c.pk) == kv1]
        self.story_weights = [s.weight for s in STORIES]
        weights = [2.2 if c.kind == "phuong" else 1.0 for c in self.communes]
        self.commune_weights = weights
        self.border_weights = [w * (6 if c.code in BORDER_COMMUNES else 0.4)
                               for w, c in zip(weights, self.communes, strict=True)]

    # -- time ------------------------------------------------------------------------------

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.tz)

    def at(self, day: date, hour: float) -> datetime:
        minutes = int(hour * 60)
        return datetime.combine(day, time(minutes // 60, minutes % 60), self.tz)

    def office(self, when: datetime) -> datetime:
        """The first office-hours moment at or after `when` (the duty desk works nights; the
        head and the investigators mostly do not)."""
        local = self.local(when)
        hour = local.hour + local.minute / 60
        if hour < 7.5:
            return self.at(local.date(), self.rng.uniform(7.5, 9.5))
        if hour > 17:
            return self.at(local.date() + timedelta(days=1), self.rng.uniform(7.5, 9.5))
        return when

    def work_time(self, day: date) -> datetime:
        return self.at(day, self.rng.uniform(7.5, 16.75))

    def due(self, rule: str, start: date, extensions: int = 0):
        """law.services.deadline, with the legal calendar read once rather than per call."""
        key = (rule, start, extensions)
        if key not in self._due_cache:
            self._due_cache[key] = evaluate(rule, start=start, extensions=extensions,
                                            calendar=self.calendar,
                                            day_rollover=settings.PCTP_DAY_LIMIT_ROLLOVER)
        return self._due_cache[key]

    def working_days(self, day: date, n: int) -> date:
        return self.calendar.add_working_days(day, n)

    def received_times(self, n: int) -> list[datetime]:
        """n receipt times over the last 365 days: weekdays, office hours and the weeks
        before Tết busier, the Tết holiday itself quieter."""
        rng = self.rng
        tet = [date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6)]
        hours = [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 4, 5, 5, 4.5, 3, 3.5, 4.5, 4.5, 4, 3.5, 2.5,
                 2.5, 2.5, 2, 1.5, 1.2]
        out = []
        while len(out) < n:
            when = self.now - timedelta(seconds=rng.uniform(0, 365 * 86400))
            day = self.local(when).date()
            weight = 0.75 if day.weekday() >= 5 else 1.0
            for t in tet:
                if timedelta(0) <= t - day <= timedelta(days=28):
                    weight *= 1.3
                elif timedelta(0) <= day - t <= timedelta(days=5):
                    weight *= 0.5
            weight *= hours[self.local(when).hour] / 5
            if rng.random() < weight / 1.3:
                out.append(when)
        return sorted(out)

    # -- building a source -----------------------------------------------------------------

    def new_plan(self, *, story: Story, commune: Commune, received_at: datetime,
                 at_body: bool, unit: Unit | None = None, same_as: _Plan | None = None,
                 reporter: tuple[str, str, Reporter] | None = None) -> _Plan:
        """A source as received. `same_as`: another report of that source's event (a
        duplicate, or the copy a transfer creates), with its text, time and place."""
        rng = self.rng
        unit = unit or (self.body if at_body else self.commune_units[commune.code])
        value, clause, item = story_value_clause(rng, story, self.article_clauses)
        if same_as is None:
            lag_h = math.exp(rng.uniform(math.log(story.lag[0]), math.log(story.lag[1])))
            occurred = received_at - timedelta(hours=lag_h)
            if story.origin == AG and rng.random() < 0.3:
                occurred = None
            summary, content, who, fill = story_texts(rng, story, commune, occurred, value, item)
            distance = 1.5 * math.sqrt(rng.random())  # km from the commune's point
            angle = rng.uniform(0, 2 * math.pi)
            lat = round(commune.lat + distance * math.cos(angle) / 111.32, 6)
            lon = round(commune.lon + distance * math.sin(angle)
                        / (111.32 * math.cos(math.radians(commune.lat))), 6)
            street = (f"Số {rng.randint(2, 480)}, {rng.choice(STREETS_WARD)}, "
                      if commune.kind == "phuong" and rng.random() < 0.7 else "")
            address = f"{street}{fill['hamlet']}, {_lower(commune.name)}"
        else:
            first = same_as.source
            summary, content, fill, who = first.summary, first.content, same_as.fill, ANY
            occurred, address, lat, lon = first.occurred_at, first.address, first.lat, first.lon
            clause = same_as.clause_no
        kind, channel, rep = reporter or _reporter(
            rng, story, who, commune, at_body=unit.kind == Unit.Kind.INVESTIGATION_BODY)
        local_day = self.local(received_at).date()
        source = Source(
            unit=unit, holder=unit, register_year=local_day.year, register_number=0,
            procuracy=self.procuracy.get(commune.pk, self.province_vks), kind=kind,
            channel=channel, status=Status.RECEIVED, received_at=received_at,
            holder_received_at=received_at, occurred_at=occurred, commune=commune,
            address=address, lat=lat, lon=lon, summary=summary, content=content,
            reporter_type=rep.type,
            confidential=rep.confidential and rep.type != ReporterType.ANONYMOUS,
            clock_rule="source.resolve", clock_start=local_day, extensions=0,
            due_date=self.due("source.resolve", local_day).due,
            created_by=self.intake.get(unit.pk),
        )
        plan = _Plan(source, story, rep, fill)
        plan.clause_no = clause
        self.plans.append(plan)
        return plan

    def natural_fate(self, story: Story, *, at_security: bool = False) -> _Fate:
        rng = self.rng
        r = rng.random()
        forward = rng.uniform(1, 12) if r < 0.7 else rng.uniform(12, 23.5) if r < 0.96 else \
            rng.uniform(24.5, 40)
        r = rng.random()
        classify = rng.uniform(0.5, 8) if r < 0.85 else rng.uniform(8, 23.5) if r < 0.97 else \
            rng.uniform(24.5, 60)
        r = rng.random()
        extensions = 0 if r < 0.78 else 1 if r < 0.94 else 2
        refuse = extensions == 2 and rng.random() < 0.12
        if story.transfer and not at_security:
            outcome = "transfer"
        elif rng.random() < 0.012:
            outcome = "suspend"
        else:
            outcome = "initiate" if rng.random() < story.p_init else "decline"
        ground = ""
        if outcome == "decline":
            ground = rng.choices([g for g, _ in story.declines], [w for _, w in story.declines])[0]
        elif outcome == "suspend":
            ground = story.suspend
        notices = tuple(rng.choices(["on_time", "late", "never"], [94, 4.5, 1.5])[0] for _ in range(2))
        assignee = (self.u["dieutra.an"] if at_security else
                    rng.choices(self.assignees, self.assignee_weights)[0])
        return _Fate(outcome=outcome, forward_lag=forward, classify_lag=classify,
                     assign_lag=rng.uniform(1, 50), assignee=assignee, extensions=extensions,
                     refuse=refuse, late_days=rng.randint(1, 30) if rng.random() < 0.07 else 0,
                     resume=(rng.choice(["resume", "cancel_suspension"])
                             if outcome == "suspend" and rng.random() < 0.35 else ""),
                     ground=ground, transfer_lag=rng.uniform(1, 20),
                     accept_lag=rng.uniform(2, 48), classify_first=rng.random() < 0.6,
                     notices=notices)

    # -- the life of a source --------------------------------------------------------------

    def event(self, plan: _Plan, at: datetime, action: str, actor, to_state: str, *,
              changes: dict | None = None, note: str = "", from_state: str | None = None) -> _Event:
        assert at <= self.now, (action, at, self.now)
        source = plan.source
        before = source.status if from_state is None else from_state
        if to_state:
            source.status = to_state
        event = _Event(at, f"source.{action}", actor, before, source.status, changes or {}, note)
        plan.events.append(event)
        plan.updated_at = max(plan.updated_at, at)
        return event

    def staff(self, unit: Unit) -> dict[str, User | None]:
        if unit.pk == self.body.pk:
            rng = self.rng
            return {"intake": self.u["tiepnhan.cqdt"] if rng.random() < 0.8 else self.u["thutruong"],
                    "head": self.u["thutruong"]}
        return {"intake": None, "head": None}

    def procurator(self, source: Source) -> User:
        return self.u["kiemsat.kv1"] if source.procuracy_id == self.kv1.pk else self.u["kiemsat"]

    def run(self, plan: _Plan, fate: _Fate) -> None:
        self.live(plan, fate)
        self.notify(plan, fate)
        self.write_notes(plan)

    def live(self, plan: _Plan, fate: _Fate) -> None:
        rng, now, s = self.rng, self.now, plan.source
        t = s.received_at
        actor = self.intake.get(s.unit.pk)
        self.event(plan, t, "receive", actor, Status.RECEIVED, from_state="",
                   changes={"register": [None, None], "kind": [None, s.kind],
                            "channel": [None, s.channel]})
        if s.unit.kind == Unit.Kind.COMMUNE_POLICE:
            s.forward_due = t + timedelta(hours=48 if s.commune.remote else 24)
            forwarded = t + timedelta(hours=fate.forward_lag)
            if forwarded > now:
                return
            s.holder, s.holder_received_at, s.forwarded_at = self.body, forwarded, forwarded
            s.notice_due = self.working_days(self.local(forwarded).date(), 3)
            self.event(plan, forwarded, "forward", actor, Status.RECEIVED,
                       changes={"holder": [s.unit.pk, self.body.pk],
                                "late": [None, forwarded > s.forward_due]})
            t = forwarded
        else:
            s.notice_due = self.working_days(self.local(t).date(), 3)
        staff = self.staff(s.holder)

        if fate.outcome == "merge":
            classify_at = t + timedelta(hours=fate.classify_lag)
            if classify_at < fate.merge_at:
                self.classify(plan, classify_at, staff["intake"])
            self.merge(plan, fate.merge_into, fate.merge_at, staff["intake"])
            return
        if fate.outcome == "transfer" and not fate.classify_first:
            self.transfer(plan, fate, t + timedelta(hours=fate.transfer_lag), staff)
            return
        classified = t + timedelta(hours=fate.classify_lag)
        if classified > now:
            return
        self.classify(plan, classified, staff["intake"])
        if fate.outcome == "transfer":
            self.transfer(plan, fate, classified + timedelta(hours=fate.transfer_lag), staff)
            return
        assigned = self.office(classified + timedelta(hours=fate.assign_lag))
        if assigned > now:
            return
        s.assignee, s.assigned_at = fate.assignee, assigned
        # Opened by the investigator unless given in the last two days (new on their home).
        s.assignee_seen_at = assigned + timedelta(hours=1) if assigned < now - timedelta(
            days=2) else None
        self.event(plan, assigned, "assign", staff["head"], Status.VERIFYING,
                   changes={"assignee": [None, fate.assignee.pk]})
        plan.verify_from = assigned
        last = assigned
        start = s.clock_start
        due0 = self.due(s.clock_rule, start, 0).due
        if fate.extensions >= 1 or fate.refuse:
            when = self.work_time(due0 - timedelta(days=rng.randint(1, 5)))
            when = min(max(when, last + timedelta(hours=2)), self.at(due0, 16.5))
            if when > now:
                return
            if when > last:
                s.extensions = 1
                s.due_date = self.due(s.clock_rule, start, 1).due
                self.event(plan, when, "extend", staff["head"], Status.VERIFYING,
                           note=rng.choice(EXTEND_REASONS),
                           changes={"due_date": [due0.isoformat(), s.due_date.isoformat()],
                                    "extensions": [0, 1]})
                last = when
        if s.extensions == 1 and (fate.extensions >= 2 or fate.refuse):
            first = self.due(s.clock_rule, start, 1)
            when = fate.request_at or self.work_time(first.request_by - timedelta(
                days=rng.randint(0, 6)))
            when = max(when, last + timedelta(days=1))
            if when > now:
                return
            request = _Request(plan, 2, s.assignee, when, rng.choice(REQUEST_REASONS))
            plan.requests.append(request)
            self.event(plan, when, "request_extension", s.assignee, Status.VERIFYING,
                       note=request.reason, changes={"request": [None, _Ref(request)]})
            days = fate.approve_days if fate.approve_days is not None else rng.uniform(1, 4)
            decided = min(self.office(when + timedelta(days=days)), self.at(first.due, 16))
            if fate.approve_days is not None and fate.approve_days > 30:
                decided = when + timedelta(days=days)  # a request still on the procurator's desk
            if decided > now:
                return
            procurator = self.procurator(s)
            request.decided_by, request.decided_at = procurator, decided
            if fate.refuse:
                request.state = ExtensionRequest.State.REFUSED
                request.note = rng.choice(PROCURACY_REFUSALS)
                self.event(plan, decided, "refuse_extension", procurator, Status.VERIFYING,
                           note=request.note)
            else:
                request.state = ExtensionRequest.State.APPROVED
                request.note = rng.choice(PROCURACY_APPROVALS)
                old = s.due_date
                s.extensions = 2
                s.due_date = self.due(s.clock_rule, start, 2).due
                self.event(plan, decided, "extend", procurator, Status.VERIFYING, note=request.note,
                           changes={"due_date": [old.isoformat(), s.due_date.isoformat()],
                                    "extensions": [1, 2]})
            last = decided

        if fate.outcome == "open":
            return
        if fate.outcome == "suspend":
            when = max(self.work_time(s.due_date + timedelta(days=rng.randint(1, 6))),
                       last + timedelta(hours=1))
            if when > now:
                return
            s.suspend_ground, s.suspended_at = fate.ground, when
            self.decide(plan, when, Outcome.SUSPEND, Status.SUSPENDED,
                        rng.choice(SUSPEND_NOTES.get(fate.ground,
                                                     SUSPEND_NOTES[SuspendGround.DOCUMENTS])))
            plan.verify_until = when
            if not fate.resume:
                return
            restart = self.work_time(self.local(when).date() + timedelta(days=rng.randint(20, 90)))
            if restart > now:
                return
            rule = "source.resume" if fate.resume == "resume" else "source.suspension_cancelled"
            actor = staff["head"] if fate.resume == "resume" else self.procurator(s)
            old = s.due_date
            s.outcome, s.suspend_ground, s.clock_rule = "", "", rule
            s.clock_start, s.extensions = self.local(restart).date(), 0
            s.due_date = self.due(rule, s.clock_start).due
            note = ("Đã có kết luận giám định; phục hồi giải quyết nguồn tin."
                    if fate.resume == "resume" else
                    "Việc tạm đình chỉ không có căn cứ; yêu cầu tiếp tục giải quyết.")
            self.event(plan, restart, fate.resume, actor, Status.VERIFYING, note=note,
                       changes={"due_date": [old.isoformat(), s.due_date.isoformat()],
                                "clock_rule": [None, rule]})
            plan.verify_from, plan.verify_until = restart, None
            last = restart
            outcome = "initiate" if rng.random() < plan.story.p_init else "decline"
            fate.ground = rng.choices([g for g, _ in plan.story.declines],
                                      [w for _, w in plan.story.declines])[0]
        else:
            outcome = fate.outcome

        if fate.late_days:
            when = self.work_time(s.due_date + timedelta(days=fate.late_days))
        else:
            lo = last + timedelta(hours=20)
            if s.extensions and s.clock_rule == "source.resolve":
                previous = self.due(s.clock_rule, start, s.extensions - 1).due
                lo = max(lo, self.at(previous, 8) - timedelta(days=3))
            hi = self.at(s.due_date, 17)
            span = max(0, (hi.date() - lo.date()).days)
            when = self.work_time(lo.date() + timedelta(days=round(span * rng.random() ** 0.7)))
        when = max(when, last + timedelta(hours=1))
        if when > now:
            return
        if outcome == "initiate":
            self.decide(plan, when, Outcome.INITIATE, Status.INITIATED, _initiate_note(plan))
        else:
            ground = fate.ground or DeclineGround.NOT_A_CRIME
            if ground == DeclineGround.NO_COMPLAINT and (plan.story.article != "134"
                                                         or s.clause is None or s.clause.clause != 1):
                ground = DeclineGround.NOT_A_CRIME
            s.decline_ground = ground
            self.decide(plan, when, Outcome.DECLINE, Status.DECLINED, DECLINE_NOTES[ground])
        plan.closed_at = plan.verify_until = when

    def classify(self, plan: _Plan, when: datetime, actor) -> None:
        s, story = plan.source, plan.story
        offence = self.offences[story.article]
        clause = self.clauses[story.article].get(plan.clause_no) or next(
            iter(sorted(self.clauses[story.article].items())))[1]
        s.offence, s.clause = offence, clause
        s.severity, s.crime_group = clause.severity, self.groups[story.article]
        s.urgent = story.article in {"123", "168", "250", "251", "145"} or (
            story.origin == POL and self.rng.random() < 0.15)
        s.classified_at = when
        s.handled_at = s.handled_at or when  # T2: first classification, transfer or merge
        self.event(plan, when, "classify", actor, Status.CLASSIFIED,
                   changes={"offence": [None, offence.article], "clause": [None, clause.clause],
                            "severity": [None, s.severity], "group": [None, s.crime_group],
                            "within_24h": [None, when - s.holder_received_at
                                           <= timedelta(hours=24)]})

    def transfer(self, plan: _Plan, fate: _Fate, when: datetime, staff) -> None:
        if when > self.now:
            return
        s = plan.source
        s.transfer_target = self.security
        s.handled_at = s.handled_at or when
        reason = ("Nội dung có dấu hiệu tội phạm thuộc thẩm quyền điều tra của Cơ quan An ninh "
                  "điều tra (Điều 163 BLTTHS).")
        self.event(plan, when, "transfer", staff["head"], Status.TRANSFERRED, note=reason,
                   changes={"to_unit": [None, self.security.pk]})
        plan.closed_at = when
        accepted = when + timedelta(hours=fate.accept_lag)
        if accepted > self.now:
            return
        copy = self.new_plan(story=plan.story, commune=s.commune, received_at=accepted,
                             at_body=True, unit=self.security, same_as=plan,
                             reporter=(s.kind, Channel.TRANSFER, plan.reporter))
        plan.transferred_to = copy
        self.event(plan, accepted, "accept_transfer", None, "",
                   changes={"accepted_as": [None, _Ref(copy)]})
        self.run(copy, self.natural_fate(plan.story, at_security=True))

    def merge(self, plan: _Plan, into: _Plan, when: datetime, actor) -> None:
        plan.merged_into = into
        plan.source.handled_at = plan.source.handled_at or when
        note = "Trùng nội dung với nguồn tin đã tiếp nhận; gộp để giải quyết chung."
        self.event(plan, when, "merge", actor, Status.MERGED, note=note,
                   changes={"merged_into": [None, _Ref(into)]})
        status = into.status_at(when)
        into.events.append(_Event(when, "source.absorb", actor, status, status,
                                  {"merged_source": [None, _Ref(plan)]}, note))
        into.updated_at = max(into.updated_at, when)
        plan.closed_at = when

    def decide(self, plan: _Plan, when: datetime, outcome: str, status: str, note: str) -> None:
        s = plan.source
        s.outcome, s.decided_at, s.decision_note = outcome, when, note
        action = {Outcome.INITIATE: "initiate", Outcome.DECLINE: "decline",
                  Outcome.SUSPEND: "suspend"}[outcome]
        event = self.event(plan, when, action, s.assignee, status, note=note,
                           changes={"decision_number": [None, ""],
                                    "on_time": [None, self.local(when).date() <= s.due_date]})
        plan.decisions.append((when, outcome, event))

    def notify(self, plan: _Plan, fate: _Fate) -> None:
        s = plan.source
        if s.notice_due is None:
            return
        received = self.local(s.holder_received_at)
        until = min(self.now, plan.closed_at or self.now)
        staff = self.staff(s.holder)
        for recipient, how in zip(("procuracy", "reporter"), fate.notices, strict=True):
            if recipient == "reporter" and s.reporter_type == ReporterType.ANONYMOUS:
                continue
            if how == "never":
                continue
            if how == "on_time":
                span = (s.notice_due - received.date()).days
                day = received.date() + timedelta(days=self.rng.randint(0, max(0, span)))
            else:
                day = s.notice_due + timedelta(days=self.rng.randint(1, 6))
            when = max(self.work_time(day), s.holder_received_at + timedelta(minutes=30))
            if when >= until:
                continue
            status = plan.status_at(when)
            if status not in (*OPEN_STATUSES, Status.SUSPENDED):
                continue
            setattr(s, f"{recipient}_notified_at", when)
            plan.events.append(_Event(when, f"source.notify_{recipient}", staff["intake"], status,
                                      status, {"late": [None, self.local(when).date() > s.notice_due]}))
            plan.updated_at = max(plan.updated_at, when)

    def write_notes(self, plan: _Plan) -> None:
        if plan.verify_from is None or plan.source.assignee is None:
            return
        start = plan.verify_from
        end = plan.verify_until or self.now
        for _ in range(self.rng.choice([0, 1, 1, 2, 2, 3])):
            when = self.office(start + (end - start) * self.rng.random())
            if when <= start or when >= end:
                continue
            plan.notes.append((when, plan.source.assignee, self.rng.choice(CHECKS)))
            plan.events.append(_Event(when, "source.note", plan.source.assignee,
                                      Status.VERIFYING, Status.VERIFYING, {}, plan.notes[-1][2]))

    # -- the year ----------------------------------------------------------------------------

    def pick(self, story: Story) -> Commune:
        weights = self.border_weights if story.border else self.commune_weights
        return self.rng.choices(self.communes, weights)[0]

    def natural(self, n: int) -> None:
        rng = self.rng
        for received in self.received_times(n):
            story = rng.choices(STORIES, self.story_weights)[0]
            commune = self.pick(story)
            at_body = rng.random() >= story.p_commune
            plan = self.new_plan(story=story, commune=commune, received_at=received,
                                 at_body=at_body)
            self.run(plan, self.natural_fate(story))

    def duplicates(self, share: float = 0.03) -> None:
        """Second reports of the same event, merged into the first by the body."""
        rng = self.rng
        for target in list(self.plans):
            if rng.random() >= share or target.source.holder.pk != self.body.pk:
                continue
            self.duplicate(target, target.source.holder_received_at + timedelta(
                hours=rng.uniform(1, 30)), rng.uniform(1, 20))

    def duplicate(self, target: _Plan, received: datetime, merge_after: float) -> _Plan | None:
        merged = received + timedelta(hours=merge_after)
        if merged > self.now or target.status_at(merged) not in OPEN_STATUSES:
            return None
        channel = self.rng.choice([Channel.HOTLINE_113, Channel.PHONE, Channel.PORTAL])
        if self.rng.random() < 0.5:
            reporter = Reporter(type=ReporterType.ANONYMOUS)
        else:
            name, female = _person(self.rng)
            reporter = Reporter(type=ReporterType.PERSON, name=name, contact=phone_number(self.rng),
                                personal_id=personal_id(self.rng, self.rng.randint(1960, 2004),
                                                        female))
        plan = self.new_plan(story=target.story, commune=target.source.commune,
                             received_at=received, at_body=True, same_as=target,
                             reporter=(Kind.CRIME_REPORT, channel, reporter))
        self.run(plan, _Fate(outcome="merge", classify_lag=self.rng.uniform(0.5, 6),
                             merge_into=target, merge_at=merged))
        return plan

    def start_for(self, extensions: int, lo: int, hi: int) -> date:
        """A receipt day whose limit (with that many extensions) ends between today+lo and
        today+hi."""
        for back in range(0, 200):
            start = self.today - timedelta(days=back)
            due = self.due("source.resolve", start, extensions)
            if self.today + timedelta(days=lo) <= due.due <= self.today + timedelta(days=hi) and (
                    extensions < 1 or due.request_by is None
                    or due.request_by >= self.today - timedelta(days=1)):
                return start
        raise RuntimeError("no receipt day fits")

    def scenarios(self) -> None:
        """Fixed cases so that each demo persona has something in each of their queues."""
        u, now, today = self.u, self.now, self.today
        a = self.communes[0]
        k1, k2 = self.kv1_communes[0], self.kv1_communes[1]
        day = timedelta(days=1)

        def make(key, commune, received, fate, at_body=False):
            plan = self.new_plan(story=STORY[key], commune=commune, received_at=received,
                                 at_body=at_body)
            self.run(plan, fate)
            return plan

        # At the commune police of the first commune (tiepnhan1): not yet passed on.
        make("xe_may", a, now - timedelta(hours=3), _Fate(outcome="open", forward_lag=20))
        make("dien_thoai", a, now - timedelta(hours=7), _Fate(outcome="open", forward_lag=22))
        # Passed on, being verified by dieutra: due within 5 days, overdue, a pending request.
        soon = make("lua_dao_dt", a, self.at(self.start_for(0, 1, 3), 9.5),
                    _Fate(outcome="open", forward_lag=4, classify_lag=3, assign_lag=20,
                          assignee=u["dieutra"]))
        make("thuong_tich", a, self.at(self.start_for(0, -8, -2), 15),
             _Fate(outcome="open", forward_lag=5, assignee=u["dieutra"]))
        make("lua_dao_mang", a, self.at(self.start_for(0, -35, -25), 10),
             _Fate(outcome="suspend", ground=SuspendGround.DOCUMENTS, assignee=u["dieutra"]))
        make("vang_tien", a, self.at(self.start_for(1, 6, 12), 8.5),
             _Fate(outcome="open", extensions=2, assignee=u["dieutra"],
                   request_at=self.at(today - day, 10), approve_days=365))
        # Communes supervised by the procuracy of region 1 (kiemsat.kv1).
        make("lua_dao_mang", k1, self.at(self.start_for(1, 6, 12), 14),
             _Fate(outcome="open", extensions=2, assignee=u["dieutra2"],
                   request_at=self.at(today - day, 15), approve_days=365), at_body=True)
        make("danh_bac", k1, self.at(self.start_for(0, 2, 4), 8),
             _Fate(outcome="open", assignee=u["dieutra"]), at_body=True)
        make("hui", k2, self.at(self.start_for(0, -10, -5), 14),
             _Fate(outcome="open", assignee=u["thutruong"]), at_body=True)
        make("thuong_tich", k1, self.at(self.start_for(0, -45, -35), 9),
             _Fate(outcome="suspend", ground=SuspendGround.EXPERT_EXAMINATION,
                   assignee=u["dieutra2"]), at_body=True)
        make("tham_o", k2, self.at(self.start_for(0, 3, 5), 10),
             _Fate(outcome="open", assignee=u["thutruong"]), at_body=True)
        # At the investigation body: just received; classified, not yet assigned.
        make("lua_dao_dt", k2, now - timedelta(hours=2), _Fate(outcome="open", classify_lag=10),
             at_body=True)
        make("ma_tuy_tang_tru", a, now - timedelta(hours=10),
             _Fate(outcome="open", classify_lag=2, assign_lag=48), at_body=True)
        # Transferred to the security investigation body: accepted, and one still incoming.
        make("an_ninh_mang", k2, self.at(today - 40 * day, 9),
             _Fate(outcome="transfer", classify_lag=5, transfer_lag=6, accept_lag=24),
             at_body=True)
        make("xuat_canh", k1, now - timedelta(hours=26),
             _Fate(outcome="transfer", classify_lag=3, transfer_lag=4, accept_lag=24 * 6),
             at_body=True)
        # A second report of the due-soon fraud, merged into it.
        self.duplicate(soon, soon.source.received_at + timedelta(hours=6), 4)
        # Decided: a case initiated from the first commune, one not initiated.
        make("xe_may", a, self.at(today - 120 * day, 10),
             _Fate(outcome="initiate", assignee=u["dieutra"]))
        make("hui", k1, self.at(today - 90 * day, 10),
             _Fate(outcome="decline", ground=DeclineGround.NOT_A_CRIME, assignee=u["dieutra3"]),
             at_body=True)


def _initiate_note(plan: _Plan) -> str:
    s = plan.source
    return (f"Có dấu hiệu tội phạm «{s.offence.title.removeprefix('Tội ')}» quy định tại khoản "
            f"{s.clause.clause} Điều {s.offence.article} Bộ luật Hình sự; khởi tố vụ án để điều "
            f"tra theo quy định.")


# ----------------------------------------------------------------------------- writing

def _number(demo: _Demo) -> None:
    """Register numbers per unit and year in order of receipt, after any already used; and
    decision numbers per body, year and kind in order of decision."""
    plans = sorted(demo.plans, key=lambda p: (p.source.received_at, id(p)))
    used = {(row["unit"], row["register_year"]): row["n"] for row in
            Source.objects.values("unit", "register_year").annotate(n=Max("register_number"))}
    counters: Counter = Counter()
    for plan in plans:
        s = plan.source
        key = (s.unit.pk, s.register_year)
        counters[key] += 1
        s.register_number = used.get(key, 0) + counters[key]
        plan.events[0].changes["register"][1] = s.register_code
    suffix = {Outcome.INITIATE: "QĐ-KTVA", Outcome.DECLINE: "QĐ-KKTVA",
              Outcome.SUSPEND: "QĐ-TĐCGQ"}
    decisions = sorted(((when, outcome, event, plan) for plan in demo.plans
                        for when, outcome, event in plan.decisions), key=lambda d: d[0])
    numbers: Counter = Counter()
    for when, outcome, event, plan in decisions:
        holder = plan.source.holder
        key = (holder.pk, timezone.localtime(when).year, outcome)
        numbers[key] += 1
        tag = "ANĐT" if holder.pk == demo.security.pk else "CSĐT"
        number = f"{numbers[key]}/{suffix[outcome]}-{tag}"
        event.changes["decision_number"][1] = number
        plan.source.decision_number = number


def _resolve(value: Any) -> Any:
    if isinstance(value, _Ref):
        return value.pk
    if isinstance(value, list):
        return [_resolve(v) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v) for k, v in value.items()}
    return value


def _write(demo: _Demo) -> None:
    ops = connection.ops
    plans = sorted(demo.plans, key=lambda p: (p.source.received_at, p.source.register_number))
    # The ids first: the reporter's identity is sealed with the record's own id bound in,
    # exactly as services._store_identity does, and the sources link to one another.
    for plan, pk in zip(plans, reserve_ids(Source, len(plans)), strict=True):
        plan.source.pk = pk
    for n, plan in enumerate(plans, start=1):
        s = plan.source
        s.client_token = f"{TOKEN}{n}"
        s.search_text = _search_text(s)
        _store_identity(s, plan.reporter)
        s.transferred_to_id = plan.transferred_to.source.pk if plan.transferred_to else None
        s.merged_into_id = plan.merged_into.source.pk if plan.merged_into else None
        s.updated_at = plan.updated_at
    insert_rows(Source, [p.source for p in plans], Source._meta.concrete_fields)

    requests = [r for p in plans for r in p.requests]
    for r in requests:
        r.row = ExtensionRequest(source=r.plan.source, number=r.number, requested_by=r.by,
                                 reason=r.reason, state=r.state, decided_by=r.decided_by,
                                 decided_at=r.decided_at, decision_note=r.note)
    ExtensionRequest.objects.bulk_create([r.row for r in requests], batch_size=BATCH)
    with connection.cursor() as cursor:  # requested_at is auto_now_add: the real time now
        cursor.executemany(
            f"UPDATE {ExtensionRequest._meta.db_table} SET requested_at = %s "  # noqa: S608
            f"WHERE id = %s", [(ops.adapt_datetimefield_value(r.at), r.row.pk) for r in requests])
    notes = []
    for plan in plans:
        for when, author, text in plan.notes:
            note = VerificationNote(source=plan.source, author=author, text=text)
            note.at = when  # auto_now_add only acts in save(), which _insert does not call
            notes.append(note)
    insert_rows(VerificationNote, notes,
            [f for f in VerificationNote._meta.concrete_fields if not f.primary_key])

    # The timeline: INSERT with the time each step happened (see the module docstring).
    fields = ["at", "actor", "action", "object_type", "object_id", "object_repr", "from_state",
              "to_state", "changes", "note", "client_address"]
    columns = ", ".join(connection.ops.quote_name(AuditEvent._meta.get_field(f).column)
                        for f in fields)
    events = sorted(((e, p) for p in plans for e in p.events), key=lambda ep: ep[0].at)
    audit = []
    for event, plan in events:
        s = plan.source
        audit.append((ops.adapt_datetimefield_value(event.at),
                      event.actor.pk if event.actor else None, event.action, "sources.source",
                      str(s.pk), str(s)[:300], event.from_state, event.to_state,
                      ops.adapt_json_value(_resolve(event.changes), None), event.note, None))
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        for i in range(0, len(audit), 2000):
            cursor.executemany(f"INSERT INTO {AuditEvent._meta.db_table} ({columns}) "  # noqa: S608
                               f"VALUES ({placeholders})", audit[i:i + 2000])


def _ensure_staff(password: str) -> list[tuple[DemoAccount, bool]]:
    """The investigation bodies' extra staff. One password hash serves them all: the demo
    password is public anyway, and hashing each would cost a second apiece."""
    out = []
    encoded = None
    for account in STAFF:
        user = User.objects.filter(username=account.username).first()
        created = user is None
        if created:
            encoded = encoded or make_password(password)
            user = User.objects.create(username=account.username, full_name=account.full_name,
                                       position=account.position, password=encoded)
            audit_record(actor=None, action="user.create", obj=user, to_state="active",
                         note="demo seed")
        membership_grant(actor=None, user=user, unit=Unit.objects.get(code=account.unit_code),
                         role_code=account.role, valid_from=REFORM_DATE)
        out.append((account, created))
    return out


def demo_scale(scale: float | None = None) -> float:
    if scale is not None:
        return scale
    return float(settings.PCTP_DEMO_SCALE)


def seed(*, password: str, stdout, scale: float | None = None, now: datetime | None = None
         ) -> dict:
    scale = demo_scale(scale)
    stdout.write("Seeding a year of crime sources…")
    with transaction.atomic():
        accounts = _ensure_staff(password)
        existing = Source.objects.filter(client_token__startswith=TOKEN)
        if existing.exists():
            return {"crime sources": f"{existing.count()} (kept)", "accounts": accounts}
        demo = _Demo(now=now)
        demo.natural(max(0, round(YEARLY * scale)))
        demo.duplicates()
        demo.scenarios()
        _number(demo)
        _write(demo)
    counts = Counter(p.source.status for p in demo.plans)
    by_status = ", ".join(f"{status} {counts[status]}" for status in Status.values)
    return {"crime sources": len(demo.plans), "crime sources by status": by_status,
            "accounts": accounts}


__all__ = ["STORIES", "Story", "personal_id", "phone_number", "seed", "story_texts",
           "story_value_clause"]
