"""Written documents of a crime source: the receipt record (biên bản tiếp nhận) and the
receipt notice (thông báo về việc tiếp nhận) to the procuracy or to the reporter
(CPC Arts. 144–147, TTLT 01/2017), laid out to Decree 30/2020.

These functions never decrypt anything: the caller passes the reporter's identity
obtained from `services.source_reporter_identity` (which checks the permission and logs
the view), or None for a copy that must not carry it. A confidential reporter's identity
never goes to the procuracy, whatever is passed (DOMAIN.md §9).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.docx import official_document
from pctp.core.errors import DomainError
from pctp.sources.models import Channel, Kind, ReporterType, Source
from pctp.units.models import Membership, Unit
from pctp.units.names import place_name, unit_symbol

# The documents' wording is fixed by the law and Decree 30/2020 and stays Vietnamese whatever
# the language of the person who prints them: each such statement is marked "i18n: data"
# for tools/untranslated.py. The refusals (DomainError) are interface text and translated.
CONFIDENTIAL_LINE = (  # i18n: data (document)
    "Người tố giác đề nghị giữ bí mật — thông tin được lưu riêng theo quy định.")
WITHHELD_LINE = (  # i18n: data (document)
    "Thông tin về người tố giác, báo tin không in trong bản này; được lưu trong hồ sơ nguồn tin.")

KIND_LABELS = {  # i18n: data (document)
    Kind.DENUNCIATION: "tố giác về tội phạm",
    Kind.CRIME_REPORT: "tin báo về tội phạm",
    Kind.RECOMMENDATION: "kiến nghị khởi tố",
}
CHANNEL_LABELS = {  # i18n: data (document)
    Channel.IN_PERSON: "trực tiếp",
    Channel.PHONE: "qua điện thoại",
    Channel.POST: "qua dịch vụ bưu chính",
    Channel.HOTLINE_113: "qua số điện thoại 113",
    Channel.PORTAL: "qua cổng dịch vụ công trực tuyến",
    Channel.VNEID: "qua ứng dụng VNeID",
    Channel.MEDIA: "qua phương tiện thông tin đại chúng",
    Channel.TRANSFER: "do cơ quan khác chuyển đến",
}
LEGAL_CODE = "Bộ luật Tố tụng hình sự"  # i18n: data (document)


# ----------------------------------------------------------------------------- helpers

def _number(source: Source, issuer: Unit, doc_code: str) -> str:
    """"12/TB-CSĐT": the register number belongs to the receiving unit, so another unit's
    document leaves the number blank for its own clerk."""
    n = str(source.register_number) if issuer.pk == source.unit_id else " " * 6
    return f"{n}/{doc_code}-{unit_symbol(issuer)}"


def _head_of(unit: Unit, on: date) -> tuple[str, str]:
    """(title, name) of the unit's head, who signs."""
    title = {Unit.Kind.INVESTIGATION_BODY: "Thủ trưởng",  # i18n: data (document)
             Unit.Kind.COMMUNE_POLICE: "Trưởng Công an"}.get(unit.kind, "Thủ trưởng đơn vị")
    head = (Membership.objects.active(on).filter(unit=unit, is_head=True)
            .select_related("user").order_by("valid_from", "pk").first())
    return title, head.user.display_name if head else ""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _dmy(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _identity_parts(identity: dict, *, with_id: bool) -> list[str]:
    parts = []
    if identity.get("agency"):
        parts.append(f"cơ quan, tổ chức: {identity['agency']}")  # i18n: data (document)
    if identity.get("name"):
        parts.append(f"họ và tên: {identity['name']}")  # i18n: data (document)
    if with_id and identity.get("personal_id"):
        parts.append(f"số định danh cá nhân: {identity['personal_id']}")  # i18n: data (document)
    if identity.get("contact"):
        parts.append(f"liên hệ: {identity['contact']}")  # i18n: data (document)
    return parts


def _issuer_names(unit: Unit) -> tuple[str, str]:
    return unit.name, unit.parent.name if unit.parent_id else ""


# ----------------------------------------------------------------------------- receipt record

def receipt_record_docx(source: Source, *, actor, identity: dict | None) -> bytes:
    """Biên bản tiếp nhận nguồn tin về tội phạm, for a source received in person.

    `identity` comes from `source_reporter_identity` (the access is logged there); pass
    None for a copy that must not show it (then the record says the identity is kept
    separately when the reporter asked for confidentiality)."""
    if source.channel != Channel.IN_PERSON:
        raise DomainError("not_in_person", _("A receipt record is drawn up only when the "
                                             "reporter comes in person."))
    unit = source.unit
    received = timezone.localtime(source.received_at)
    kind = KIND_LABELS.get(source.kind, "nguồn tin về tội phạm")  # i18n: data (document)
    anonymous = source.reporter_type == ReporterType.ANONYMOUS
    if anonymous:
        identity = None

    officer = actor.display_name
    position = getattr(actor, "position", "") or ""
    paragraphs = [  # i18n: data (document)
        f"Hồi {received:%H} giờ {received:%M} phút, ngày {_dmy(received.date())}, "
        f"tại trụ sở {unit.name}.",
        f"Người tiếp nhận: {officer}"
        + (f", chức vụ: {position}" if position else "") + f", đơn vị: {unit.name}.",
        f"Tiến hành lập biên bản tiếp nhận {kind} do người tố giác, báo tin trực tiếp "
        f"đến trình báo.",
    ]
    if anonymous:
        paragraphs.append("Người tố giác, báo tin: nặc danh.")  # i18n: data (document)
    elif identity:
        label = (  # i18n: data (document)
            "Cơ quan, tổ chức báo tin" if source.reporter_type == ReporterType.AGENCY
            else "Người tố giác, báo tin")
        parts = _identity_parts(identity, with_id=True) or ["(không ghi)"]  # i18n: data (document)
        paragraphs.append(f"{label}: " + "; ".join(parts) + ".")
        if source.confidential:
            paragraphs.append(  # i18n: data (document)
                f"Người tố giác, báo tin đề nghị giữ bí mật họ tên, địa chỉ, bút "
                f"tích của mình (Điều 56 {LEGAL_CODE}).")
    elif source.confidential:
        paragraphs.append(CONFIDENTIAL_LINE)
    else:
        paragraphs.append(WITHHELD_LINE)

    paragraphs.append(f"Nội dung {kind} (theo lời trình bày):")  # i18n: data (document)
    paragraphs += [_sentence(line) for line in source.content.splitlines() if line.strip()]
    when_where = []
    if source.occurred_at:
        occurred = timezone.localtime(source.occurred_at)
        when_where.append(  # i18n: data (document)
            f"thời gian xảy ra: {occurred:%H} giờ {occurred:%M} phút, "
            f"ngày {_dmy(occurred.date())}")
    place = ", ".join(p for p in (source.address, source.commune.name if source.commune_id
                                  else "") if p)
    if place:
        when_where.append(f"địa điểm: {place}")  # i18n: data (document)
    if when_where:
        text = "; ".join(when_where)
        paragraphs.append(text[0].upper() + text[1:] + ".")
    paragraphs.append(  # i18n: data (document)
        f"Nguồn tin đã được ghi vào Sổ tiếp nhận nguồn tin về tội phạm, "
        f"số thứ tự {source.register_code}.")
    if anonymous:
        paragraphs.append(  # i18n: data (document)
            "Biên bản lập xong hồi ..... giờ ..... phút cùng ngày. Biên bản được "
            "lập thành 02 bản, 01 bản lưu hồ sơ nguồn tin.")
        countersigner = ""
    else:
        paragraphs.append(  # i18n: data (document)
            "Biên bản lập xong hồi ..... giờ ..... phút cùng ngày, đã đọc lại cho người tố giác, "
            "báo tin nghe, xác nhận đúng nội dung và cùng ký tên dưới đây. Biên bản được lập "
            "thành 02 bản, 01 bản lưu hồ sơ nguồn tin.")
        countersigner = "Người tố giác, báo tin"  # i18n: data (document)

    issuer, parent = _issuer_names(unit)
    return official_document(  # i18n: data (document)
        issuer=issuer, issuer_parent=parent, number=_number(source, unit, "BB"),
        place=place_name(unit), on=received.date(), doc_type="Biên bản",
        summary="Tiếp nhận nguồn tin về tội phạm", paragraphs=paragraphs, recipients=[],
        signer_title="Người tiếp nhận", signer_name=officer,
        countersigner_title=countersigner,
        countersigner_name=(identity or {}).get("name", "") if countersigner else "",
    )


# ----------------------------------------------------------------------------- receipt notice

def receipt_notice_docx(source: Source, *, recipient: str, identity: dict | None,
                        on: date | None = None) -> bytes:
    """Thông báo về việc tiếp nhận nguồn tin về tội phạm, to the supervising procuracy
    (`recipient="procuracy"`) or to the reporter (`"reporter"`), dated `on` (today).

    The notice to the procuracy never carries a confidential reporter's identity; the
    notice to the reporter names them only when `identity` is given."""
    if recipient not in ("procuracy", "reporter"):
        raise DomainError("invalid", _("Invalid recipient of the notice."))
    anonymous = source.reporter_type == ReporterType.ANONYMOUS
    if recipient == "procuracy" and source.procuracy_id is None:
        raise DomainError("no_procuracy", _("No procuracy supervises this source yet."))
    if recipient == "reporter" and anonymous:
        raise DomainError("anonymous", _("An anonymous source: there is no one to notify."))
    if anonymous or (recipient == "procuracy" and source.confidential):
        identity = None  # DOMAIN.md §9: never to the procuracy when confidentiality was asked

    on = on or timezone.localdate()
    holder = source.holder
    received = timezone.localtime(source.received_at).date()
    kind = KIND_LABELS.get(source.kind, "nguồn tin về tội phạm")  # i18n: data (document)
    channel = CHANNEL_LABELS.get(source.channel, "")

    paragraphs = [  # i18n: data (document)
        f"Ngày {_dmy(received)}, {source.unit.name} đã tiếp nhận {kind}"
        + (f" ({channel})" if channel else "")
        + f", số thứ tự trong Sổ tiếp nhận nguồn tin về tội phạm: {source.register_code}."
    ]
    if source.holder_id != source.unit_id:
        held = timezone.localtime(source.holder_received_at).date()
        paragraphs.append(  # i18n: data (document)
            f"Ngày {_dmy(held)}, nguồn tin được chuyển đến {holder.name} để giải "
            f"quyết theo thẩm quyền.")
    paragraphs.append(f"Nội dung tóm tắt: {_sentence(source.summary)}")  # i18n: data (document)
    if source.commune_id:
        paragraphs.append(f"Địa bàn xảy ra: {source.commune.name}.")  # i18n: data (document)
    if source.offence_id:
        paragraphs.append(  # i18n: data (document)
            f"Phân loại ban đầu: {source.offence.title} (Điều "
            f"{source.offence.article} Bộ luật Hình sự).")

    if recipient == "procuracy":
        if anonymous:
            paragraphs.append("Người tố giác, báo tin: nặc danh.")  # i18n: data (document)
        elif source.confidential:
            paragraphs.append(  # i18n: data (document)
                "Người tố giác, báo tin đề nghị giữ bí mật; thông tin về người tố giác, báo tin "
                "được lưu riêng theo quy định.")
        elif identity:
            parts = _identity_parts(identity, with_id=False)
            if parts:
                paragraphs.append(  # i18n: data (document)
                    "Người tố giác, báo tin: " + "; ".join(parts) + ".")
        addressee = source.procuracy.name
    else:
        addressee = ""
        if identity:
            addressee = identity.get("agency") or identity.get("name") or ""
            if addressee and identity.get("contact"):
                addressee += f" (liên hệ: {identity['contact']})"  # i18n: data (document)
        addressee = (addressee  # i18n: data (document)
                     or f"Người tố giác, báo tin (nguồn tin số {source.register_code})")

    paragraphs.append(  # i18n: data (document)
        f"{holder.name} đang giải quyết nguồn tin theo quy định tại Điều 147 {LEGAL_CODE}; "
        f"thời hạn giải quyết đến ngày {_dmy(source.due_date)}.")
    if recipient == "procuracy":
        paragraphs.append(  # i18n: data (document)
            f"{holder.name} thông báo để {source.procuracy.name} thực hiện kiểm sát việc tiếp "
            f"nhận, giải quyết nguồn tin về tội phạm theo quy định.")
        recipients = ["Như trên", "Lưu: hồ sơ nguồn tin, VT"]  # i18n: data (document)
    else:
        paragraphs.append(  # i18n: data (document)
            f"Người tố giác, báo tin có quyền đề nghị giữ bí mật họ tên, địa chỉ, "
            f"bút tích của mình và đề nghị bảo vệ tính mạng, sức khỏe, danh dự, "
            f"nhân phẩm, tài sản khi bị đe dọa (Điều 56 {LEGAL_CODE}). Kết quả "
            f"giải quyết sẽ được thông báo theo quy định.")
        recipients = ["Như trên"]  # i18n: data (document)
        if source.procuracy_id:
            recipients.append(f"{source.procuracy.name} (để kiểm sát)")  # i18n: data (document)
        recipients.append("Lưu: hồ sơ nguồn tin, VT")  # i18n: data (document)

    issuer, parent = _issuer_names(holder)
    title, name = _head_of(holder, on)
    return official_document(  # i18n: data (document)
        issuer=issuer, issuer_parent=parent, number=_number(source, holder, "TB"),
        place=place_name(holder), on=on, doc_type="Thông báo",
        summary="Về việc tiếp nhận nguồn tin về tội phạm", paragraphs=paragraphs,
        recipients=recipients, signer_title=title, signer_name=name, addressee=addressee,
    )
