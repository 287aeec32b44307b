import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pctp.core.models import AuditEvent
from tests.personas import login

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


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
