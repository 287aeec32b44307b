import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pctp.core.models import AuditEvent
from tests.personas import login

pytestmark = pytest.mark.django_db

def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (10.0, 30.0, 0.0), 3: "E", 4: (106.0, 20.0, 0.0)}  # GPS IFD
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def source(officer_a, receive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return receive(officer_a)


def test_officer_attaches_a_photo_and_downloads_it(officer_a, source):
    client = login(officer_a)
    response = client.post(f"/sources/{source.pk}/attach/",
                           {"file": SimpleUploadedFile("anh.png", PNG, "image/png")})
    assert response.status_code == 302
    attachment = source.attachments.get()
    assert attachment.content_type == "image/png"
    assert AuditEvent.objects.filter(action="source.attach", object_id=str(source.pk)).exists()
    download = client.get(f"/sources/{source.pk}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PNG


def test_a_file_whose_content_is_not_its_name_is_refused(officer_a, source):
    fake = SimpleUploadedFile("anh.png", b"MZ\x90\x00 executable", "image/png")
    response = login(officer_a).post(f"/sources/{source.pk}/attach/", {"file": fake})
    assert response.status_code == 400
    assert "Loại tệp không được chấp nhận" in response.content.decode()
    assert source.attachments.count() == 0


def test_a_file_over_the_limit_is_refused(officer_a, source, settings):
    settings.PCTP_UPLOAD_MAX_BYTES = 50
    response = login(officer_a).post(f"/sources/{source.pk}/attach/",
                                     {"file": SimpleUploadedFile("anh.png", PNG, "image/png")})
    assert response.status_code == 400 and source.attachments.count() == 0


def test_another_commune_cannot_download(officer_a, officer_b, source):
    login(officer_a).post(f"/sources/{source.pk}/attach/",
                          {"file": SimpleUploadedFile("anh.png", PNG, "image/png")})
    attachment = source.attachments.get()
    assert login(officer_b).get(
        f"/sources/{source.pk}/attachments/{attachment.pk}/").status_code == 404


def test_a_staff_photo_loses_its_gps_and_device_but_keeps_its_pixels(officer_a, source):
    """Issue 16, finding 14: the portal stripped EXIF, staff uploads kept the GPS position."""
    response = login(officer_a).post(f"/sources/{source.pk}/attach/", {
        "file": SimpleUploadedFile("hien-truong.jpg", photo_with_gps(), "image/jpeg")})
    assert response.status_code == 302
    stored = source.attachments.get()
    with Image.open(stored.file.path) as image:
        exif = image.getexif()
        assert 0x8825 not in exif and 0x010F not in exif
        assert image.size == (40, 30)
        assert image.getpixel((20, 15))[0] > 150  # still the red photo
    assert stored.size == stored.file.size


def test_an_image_that_cannot_be_decoded_is_refused(officer_a, source):
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    response = login(officer_a).post(f"/sources/{source.pk}/attach/",
                                     {"file": SimpleUploadedFile("anh.png", broken, "image/png")})
    assert response.status_code == 400
    assert "Ảnh hỏng" in response.content.decode() and source.attachments.count() == 0


def test_the_upload_form_is_offered_only_to_who_may_attach(officer_a, procurator, source):
    """QA of issue 18: the supervising procurator reads the source but may not add to its
    file; the page offered the form and the service then refused (403)."""
    from tests.personas import login_verified

    form = f'action="/sources/{source.pk}/attach/"'
    assert form in login(officer_a).get(f"/sources/{source.pk}/").content.decode()
    reader = login_verified(procurator)
    page = reader.get(f"/sources/{source.pk}/")
    assert page.status_code == 200 and form not in page.content.decode()
    refused = reader.post(f"/sources/{source.pk}/attach/",
                          {"file": SimpleUploadedFile("anh.png", PNG, "image/png")})
    assert refused.status_code == 403 and not source.attachments.exists()


def test_only_the_holders_officers_are_offered_to_enter_a_fraud_indicator(
        intake_body, head, investigator, procurator, receive, body):
    """QA of issue 18: the supervising procurator, who may record verification notes, was
    offered the fraud-indicator form and its queue, both of which then refused."""
    from pctp.sources import services as s
    from tests.personas import login_verified

    source = receive(intake_body, unit=body, summary="Lừa đảo chuyển khoản")
    s.source_classify(actor=intake_body, source=source, article="174")
    s.source_assign(actor=head, source=source, investigator=investigator)
    heading = "Nhập dấu hiệu lừa đảo"
    assert heading in login(investigator).get(f"/sources/{source.pk}/").content.decode()
    page = login_verified(procurator).get(f"/sources/{source.pk}/")
    assert page.status_code == 200
    assert heading not in page.content.decode()
    assert "/cong-dan/xac-minh-dau-hieu/" not in page.content.decode()
