"""Demo outreach (issue 22): a year of campaigns in the demo province, with their reach, and a
dozen pieces of false information at every step of the register. One campaign is given a
planted effect: portal reports in its three communes go from one a week to three during
and after it (elsewhere one in five weeks), so its page shows a clear increase; the others
show what the records say, mostly "no clear change" or "not enough data"."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from pctp.core.models import User
from pctp.outreach import services as s
from pctp.outreach.models import Campaign, FalseClaim, Refutation
from pctp.units.models import Commune, Unit

P = "P80"
SEED = 22

# (key, title, theme, unit, actor, days from today to the start, length in days, communes
# (how many, from the n-th), groups, articles, tip types, audiences, channels, budget)
CAMPAIGNS = [
    ("lua-dao", "Cảnh giác lừa đảo qua mạng, giả danh công an",
     "Thủ đoạn gọi điện giả danh công an, viện kiểm sát yêu cầu chuyển tiền",
     f"{P}-CA", "gd.congan", -84, 28, (3, 0), ["economic"], ["174"], ["fraud"],
     ["elderly", "residents"], ["loudspeaker", "social", "meeting"], 45_000_000),
    ("ma-tuy-hoc-duong", "Phòng chống ma túy học đường", "Ma túy trong trường học, thuốc lá điện tử",
     f"{P}-SO-GDDT", "gd.sogddt", -200, 45, (4, 5), ["drugs"], [], ["drugs"],
     ["students"], ["school", "poster"], 30_000_000),
    ("xe-may-tet", "Phòng chống trộm cắp xe máy dịp Tết", "Trộm cắp xe máy tại khu dân cư, chợ",
     f"{P}-CA", "gd.congan", -330, 30, (5, 12), ["social_order"], ["173"], ["theft"],
     ["residents", "businesses"], ["loudspeaker", "poster"], 20_000_000),
    ("co-bac", "Tháng cao điểm đấu tranh với tội phạm cờ bạc", "Đánh bạc, tổ chức đánh bạc qua mạng",
     f"{P}-CA", "gd.congan", -150, 30, (4, 20), ["social_order"], ["321", "322"], ["gambling"],
     ["workers", "residents"], ["social", "meeting"], 15_000_000),
    ("bao-luc", "Phòng chống bạo lực gia đình", "Bạo lực gia đình, xâm hại trẻ em",
     f"{P}-CA", "gd.congan", -120, 60, (3, 30), [], ["134", "185"], ["violence"],
     ["residents"], ["meeting", "loudspeaker"], 12_000_000),
    ("phuong-tan-ninh", "Phường Tân Ninh an toàn về an ninh trật tự",
     "Tổ tự quản, camera an ninh, báo tin qua Cổng", "own", "truongcax1", -60, 30,
     (1, 0), [], [], [], ["residents", "businesses"], ["loudspeaker", "portal"], 5_000_000),
    ("tai-khoan", "Không cho thuê, mua bán tài khoản ngân hàng",
     "Mua bán tài khoản ngân hàng phục vụ lừa đảo, đánh bạc", f"{P}-CA", "gd.congan", -40, 30,
     (6, 40), ["economic"], ["174", "291"], ["fraud"], ["students", "workers"],
     ["social", "press"], 25_000_000),
    ("nguoi-cao-tuoi", "An toàn cho người cao tuổi trước thủ đoạn lừa đảo",
     "Lừa đảo bán thuốc, bảo hiểm, trúng thưởng nhắm vào người cao tuổi", f"{P}-CA",
     "gd.congan", 10, 30, (4, 50), ["economic"], ["174"], ["fraud"], ["elderly"],
     ["meeting", "loudspeaker"], 18_000_000),
]

# (days ago seen, platform, reach, claim, status, facts, refutation title, refutation body,
# campaign key or None, from a citizen)
CLAIMS = [
    (70, "facebook", 12_000,
     "Bài đăng nói Công an tỉnh yêu cầu người dân cài ứng dụng để nhận tiền hỗ trợ.",
     "closed", "Công an tỉnh không yêu cầu cài ứng dụng nào; đây là thủ đoạn lừa đảo chiếm quyền "
     "điều khiển điện thoại.",
     "Thông tin sai sự thật: Công an tỉnh không yêu cầu cài ứng dụng nhận tiền hỗ trợ",
     "Công an tỉnh không yêu cầu người dân cài đặt bất kỳ ứng dụng nào để nhận tiền hỗ trợ. "
     "Đường dẫn trong bài đăng dẫn đến ứng dụng giả mạo chiếm quyền điều khiển điện thoại. "
     "Người dân không bấm vào đường dẫn lạ và báo ngay cho Công an xã, phường.",
     "lua-dao", False),
    (45, "tiktok", 48_000,
     "Video nói có nhóm bắt cóc trẻ em bằng xe cứu thương ở chợ phường Tân Ninh.",
     "refuted", "Đã xác minh: không có vụ bắt cóc nào; xe cứu thương chở bệnh nhân cấp cứu.",
     "Thông tin sai sự thật về việc bắt cóc trẻ em tại chợ phường Tân Ninh",
     "Qua xác minh, không có vụ bắt cóc trẻ em nào tại chợ phường Tân Ninh. Xe cứu thương trong "
     "video chở bệnh nhân cấp cứu đến bệnh viện. Người đăng tải thông tin sai sự thật có thể bị "
     "xử phạt theo Nghị định 15/2020/NĐ-CP.",
     None, True),
    (30, "zalo", 3_500,
     "Tin nhắn Zalo nói Công an sẽ phạt nguội người đi xe máy qua tin nhắn, nộp tiền qua link.",
     "refuted", "Cảnh sát giao thông không gửi thông báo phạt qua tin nhắn có đường dẫn nộp tiền.",
     "Thông tin sai sự thật: thông báo phạt nguội qua tin nhắn Zalo có đường dẫn nộp tiền",
     "Lực lượng Cảnh sát giao thông không gửi thông báo xử phạt qua tin nhắn Zalo kèm đường dẫn "
     "nộp tiền. Đây là thủ đoạn lừa đảo. Người dân tra cứu vi phạm tại trang chính thức và "
     "nộp phạt tại cơ quan có thẩm quyền.",
     None, False),
    (20, "facebook", 8_000,
     "Bài viết nói trường học trên địa bàn có học sinh bán ma túy trong giờ ra chơi, nhà trường "
     "che giấu.", "refuted",
     "Đã kiểm tra: một học sinh hút thuốc lá điện tử, không có mua bán ma túy; nhà trường đã báo "
     "Công an.",
     "Thông tin sai sự thật về việc bán ma túy trong trường học",
     "Qua kiểm tra, không có việc mua bán ma túy trong trường. Nhà trường đã báo Công an phường về "
     "một trường hợp học sinh sử dụng thuốc lá điện tử và phối hợp với gia đình giáo dục.",
     "ma-tuy-hoc-duong", False),
    (15, "youtube", 25_000,
     "Video nói tỷ lệ tội phạm của tỉnh tăng gấp ba trong năm nay, Công an giấu số liệu.",
     "verified", "Số liệu thống kê hình sự công khai trên Cổng thông tin: số vụ phạm pháp hình "
     "sự giảm so với cùng kỳ.", "", "", None, False),
    (12, "website", 900,
     "Diễn đàn đăng tin Công an xã nhận tiền để không xử lý tụ điểm đánh bạc.",
     "verified", "Đang chuyển Thanh tra Công an tỉnh kiểm tra; chưa có căn cứ nào cho thấy việc "
     "nhận tiền.", "", "", "co-bac", False),
    (8, "facebook", 2_000, "Bài đăng nói có người lạ đi xe tải bắt chó, trộm gà hàng loạt ở xã Tân Lập.",
     "seen", "", "", "", None, False),
    (5, "zalo", None, "Tin nhắn chia sẻ danh sách \"đối tượng truy nã\" kèm ảnh người dân vô tội.",
     "seen", "", "", "", None, False),
    (3, "tiktok", None, "Video nói bắt được tội phạm giết người ở bến xe nhưng thả ra ngay.",
     "reported", "", "", "", None, True),
    (2, "facebook", None,
     "Bài đăng nói Công an phường thu tiền làm căn cước công dân gắn chip 500 nghìn đồng.",
     "reported", "", "", "", None, True),
    (25, "press", 40_000, "Bài báo đưa tin vụ cướp ngân hàng ở trung tâm tỉnh.", "dismissed",
     "Vụ việc có thật, đang được điều tra: không phải thông tin sai sự thật.", "", "", None,
     False),
    (90, "facebook", 15_000,
     "Bài đăng nói Công an tỉnh ra quyết định cấm xe máy vào trung tâm từ tháng sau.",
     "closed", "Không có quyết định nào như vậy.",
     "Thông tin sai sự thật về việc cấm xe máy vào trung tâm",
     "Công an tỉnh không ban hành quyết định cấm xe máy vào khu vực trung tâm. Mọi thay đổi về tổ "
     "chức giao thông được thông báo trên Cổng thông tin điện tử của tỉnh.", None, False),
]


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def seed(*, password: str, stdout) -> dict:
    stdout.write("Seeding outreach campaigns and false information…")
    if Campaign.objects.exists():
        return {"outreach campaigns": f"{Campaign.objects.count()} (kept)"}
    users = {u.username: u for u in User.objects.filter(username__in=[
        "gd.congan", "gd.sogddt", "truongcax1"])}
    if len(users) < 3:
        return {"outreach campaigns": "0 (no demo accounts)"}
    today = timezone.localdate()
    rng = random.Random(SEED)
    communes = list(Commune.objects.filter(province__code="80").order_by("code"))
    made: dict[str, Campaign] = {}
    for (key, title, theme, unit_code, actor, start, length, (n, first), groups, articles,
         tips, audiences, channels, budget) in CAMPAIGNS:
        starts = today + timedelta(days=start)
        targeted = communes[first:first + n]
        if unit_code == "own":  # the commune police's own campaign, in its commune
            from pctp.units.selectors import user_memberships

            unit = user_memberships(users[actor]).first().unit
            targeted = list(unit.communes.all())
        else:
            unit = Unit.objects.get(code=unit_code)
        campaign = s.campaign_create(
            actor=users[actor], unit=unit, title=title, theme=theme,
            description=f"Kế hoạch tuyên truyền: {theme.lower()}.", starts_on=starts,
            ends_on=starts + timedelta(days=length), communes=targeted, crime_groups=groups,
            articles=articles, tip_types=tips, audiences=audiences, channels=channels,
            budget=budget)
        made[key] = campaign
        if key == "lua-dao":
            from pctp.portal.selectors import bulletins_published

            campaign.warnings.set([b for b in bulletins_published()
                                   if "giả danh công an" in b.title])
        day = starts
        while day <= min(today, campaign.ends_on):
            channel = rng.choice(channels)
            if channel in ("school", "meeting"):
                s.reach_add(actor=users[actor], campaign=campaign, channel=channel, on=day,
                            participants=rng.randint(60, 400), note="Buổi tuyên truyền")
            else:
                s.reach_add(actor=users[actor], campaign=campaign, channel=channel, on=day,
                            views=rng.randint(800, 12_000))
            day += timedelta(days=rng.randint(5, 9))
    tips = _plant_tips(made["lua-dao"], communes, today, rng)
    claims = _claims(made, users["gd.congan"], today)
    return {"outreach campaigns": len(made), "portal reports planted": tips,
            "false information": claims}


def _plant_tips(campaign: Campaign, communes, today, rng) -> int:
    """Portal reports of fraud: one a week in the campaign's three communes for the 12
    weeks before it, three a week from its start; one in five weeks in every other commune."""
    from pctp.portal.models import PortalReport  # the demo writes what the effect reads

    targeted = set(campaign.communes.values_list("pk", flat=True))
    police = {c: u for u in Unit.objects.filter(kind=Unit.Kind.COMMUNE_POLICE)
              .prefetch_related("communes") for c in u.communes.values_list("pk", flat=True)}
    start = campaign.starts_on - timedelta(weeks=12)
    rows, when = [], []
    n = 0
    for commune in communes:
        unit = police.get(commune.pk)
        if unit is None:
            continue
        day = start
        while day < today:
            rate = (3 if day >= campaign.starts_on else 1) if commune.pk in targeted else 0.2
            for _ in range(_poisson(rng, rate)):
                n += 1
                rows.append(PortalReport(
                    tracking_code=f"DEMO-T{n:05d}", passphrase_hash="!", unit=unit,
                    commune=commune, crime_type="fraud", status="merged",
                    status_reason="Đã tiếp nhận, xử lý cùng nguồn tin khác.",
                    description="Tôi nhận cuộc gọi tự xưng công an yêu cầu chuyển tiền để "
                                "“xác minh” tài khoản.", client_token=f"demo-tip-{n}"))
                when.append(_at(day + timedelta(days=rng.randint(0, 6))))
            day += timedelta(weeks=1)
    created = PortalReport.objects.bulk_create(rows)
    for row, at in zip(created, when, strict=True):
        PortalReport.objects.filter(pk=row.pk).update(created_at=min(at, timezone.now()))
    return len(created)


def _poisson(rng, lam: float) -> int:
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _evidence(actor, seen, rng) -> list[list]:
    """One to three crime sources of the province received in the month before the post
    was seen: what the facts were checked against (the public sees how many)."""
    from pctp.sources.selectors import source_scope

    pool = list(source_scope(actor).filter(
        received_at__date__lte=seen, received_at__date__gte=seen - timedelta(days=30))
        .order_by("pk").values_list("pk", flat=True)[:300])
    return [["sources.source", pk] for pk in rng.sample(pool, min(len(pool), rng.randint(1, 3)))]


def _claims(campaigns: dict, actor, today) -> int:
    import random

    rng = random.Random(SEED)
    unit = Unit.objects.get(code=f"{P}-CA")
    for (days, platform, reach, text, status, facts, title, body, campaign, citizen) in CLAIMS:
        seen = today - timedelta(days=days)
        if citizen:
            claim = s.citizen_flag(url="", platform=platform, seen_on=seen, claim=text,
                                   note="Tôi thấy bài này được chia sẻ nhiều.",
                                   client_address=f"demo-{days}")
            if status == "reported":
                continue
            s.claim_accept(actor=actor, claim=claim, unit=unit)
        else:
            claim = s.claim_create(actor=actor, unit=unit, platform=platform, seen_on=seen,
                                   url=f"https://example.invalid/bai-dang/{days}", reach=reach,
                                   claim=text, campaign=campaigns.get(campaign))
        if status == "seen":
            continue
        if status == "dismissed":
            s.claim_dismiss(actor=actor, claim=claim, note=facts)
            continue
        s.claim_verify(actor=actor, claim=claim, facts=facts,
                       evidence=_evidence(actor, seen, rng))
        if status == "verified":
            continue
        refutation = s.claim_refute(actor=actor, claim=claim, title=title, body=body,
                                    claim_wording=text)  # the demo texts name no one
        Refutation.objects.filter(pk=refutation.pk).update(
            published_at=_at(seen + timedelta(days=2)))
        if days == 45:  # one correction, so the history shows
            s.refutation_correct(actor=actor, refutation=refutation, title=title,
                                 body=body + " Cập nhật: người đăng video đã gỡ bài và xin lỗi.",
                                 reason="Bổ sung kết quả làm việc với người đăng")
        if status == "closed":
            s.claim_close(actor=actor, claim=claim, note="Bài đăng đã bị gỡ.")
    return FalseClaim.objects.count()
