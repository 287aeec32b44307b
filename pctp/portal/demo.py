"""Demo content for the citizens' portal: warnings, fraud indicators, reports in the inbox."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from pctp.core.models import User
from pctp.portal import services as s
from pctp.portal.models import Bulletin, FraudIndicator, PortalReport, RegistryPerson
from pctp.sources.models import Source
from pctp.units.models import Commune, Unit

BULLETINS = [
    ("Cảnh giác thủ đoạn giả danh công an gọi điện yêu cầu chuyển tiền",
     "Thời gian gần đây, đối tượng gọi điện giả danh cán bộ Công an, Viện kiểm sát thông báo "
     "người dân liên quan đến vụ án, yêu cầu chuyển tiền vào tài khoản để “xác minh”. Cơ quan "
     "Công an không làm việc qua điện thoại và không yêu cầu chuyển tiền. Khi nhận cuộc gọi như "
     "vậy, hãy cúp máy và báo ngay cho Công an xã, phường nơi cư trú."),
    ("Phòng ngừa trộm cắp xe máy dịp cuối năm",
     "Khóa cổ xe và dùng thêm khóa phụ; không để xe trước cửa nhà qua đêm; gửi xe ở nơi có "
     "người trông giữ. Phát hiện đối tượng khả nghi, gọi 113 hoặc Công an xã, phường."),
    ("Không cho thuê, mượn tài khoản ngân hàng",
     "Việc cho thuê, mua bán tài khoản ngân hàng có thể bị xử lý hình sự nếu tài khoản được "
     "dùng để lừa đảo, đánh bạc, rửa tiền (Điều 291 BLHS)."),
]

INDICATORS = [("phone", "0865 214 377"), ("phone", "0392 118 406"),
              ("bank_account", "1903 6688 2468 01"), ("url", "https://nhantienthuong-vn.top")]

REPORTS = [
    ("theft", "Tối qua khoảng 23 giờ có hai người đi xe máy không biển số đi dò từng nhà trong "
              "hẻm, thấy xe để ngoài là dắt đi."),
    ("drugs", "Quán nước đầu hẻm thường có người lạ tụ tập buổi tối, nghi mua bán ma túy."),
    ("fraud", "Tôi nhận tin nhắn báo trúng thưởng, yêu cầu nộp phí 2 triệu đồng vào tài khoản "
              "lạ để nhận quà."),
    ("gambling", "Có tụ điểm đánh bài ăn tiền tại nhà trọ cuối đường, đông người vào cuối tuần."),
    ("violence", "Nhóm thanh niên thường xuyên tụ tập, đánh nhau gây mất trật tự ở khu chợ đêm."),
]


@transaction.atomic
def seed(*, password: str, stdout) -> dict:
    stdout.write("Seeding the citizens' portal…")
    if Bulletin.objects.exists():
        return {"portal_reports": PortalReport.objects.count()}
    officer = User.objects.filter(username="tiepnhan1").first()
    leader = User.objects.filter(username="truongcax1").first() or officer
    verifier = User.objects.filter(username="thutruong").first()
    police = Unit.objects.get(code="P80-CA")
    now = timezone.now()
    for days, (title, body) in zip((3, 12, 30), BULLETINS, strict=True):
        Bulletin.objects.create(title=title, body=body, author=leader, unit=police,
                                published_at=now - timedelta(days=days))
    fraud = list(Source.objects.filter(offence__article="174").order_by("-received_at")[:8])
    if officer and fraud:
        for i, (kind, value) in enumerate(INDICATORS):
            indicator, _ = FraudIndicator.objects.get_or_create(
                kind=kind, value=s.normalise_indicator(kind, value),
                defaults={"confirmed_by": officer,
                          "last_seen": timezone.localdate(fraud[i % len(fraud)].received_at)})
            indicator.sources.add(*fraud[i:i + 2 + i % 2])
            if i < len(INDICATORS) - 1 and verifier is not None:  # the last waits for a second
                FraudIndicator.objects.filter(pk=indicator.pk).update(
                    verified_by=verifier, verified_at=now - timedelta(days=1),
                    verification_note="Đối chiếu lời khai người bị hại và sao kê tài khoản: "
                                      "trùng số của đối tượng trong các nguồn tin.")
    RegistryPerson.objects.get_or_create(personal_id="072190004321",
                                         defaults={"full_name": "Lê Thị Thu"})
    commune = Commune.objects.filter(province__code="80").order_by("code").first()
    for i, (kind, text) in enumerate(REPORTS):
        identity = (s.Identity(name="Lê Thị Thu", personal_id="072190004321",
                               contact="0912 000 111") if i == 2 else None)
        report, _ = s.portal_submit(commune=commune, crime_type=kind, description=text,
                                    occurred_at=now - timedelta(days=i + 1), identity=identity,
                                    client_token=f"demo-portal-{i:02d}-xxxxxxxx")
        if i == 0 and officer:
            s.portal_convert(actor=officer, report=report, summary="Trộm cắp xe máy ban đêm")
            s.portal_reply(actor=officer, report=report,
                           text="Cảm ơn bạn. Xin cho biết thêm màu xe và hướng đối tượng đi.")
    s.verify_identities(commit=True)
    return {"portal_reports": PortalReport.objects.count(),
            "fraud_indicators": FraudIndicator.objects.count()}
