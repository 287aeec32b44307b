"""An analyst's CSV of incidents: validated row by row, errors name the row and column,
a good file is stored whole and mapped."""

import gzip

import pytest

from pctp.analytics import services as s
from pctp.analytics.models import EventUpload
from pctp.core.errors import DomainError
from tests.personas import login

pytestmark = pytest.mark.django_db

GOOD = (b"occurred_at,lat,lon,offence_type,note\n"
        b"2026-03-01T22:15:00,11.3101,106.0982,THEFT,x\n"
        b"2026-03-02,11.3102,106.0983,THEFT,\n"
        b"2026-03-05 08:00,11.3103,106.0990,ROBBERY,y\n")


def upload(client, name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/analytics/files/", {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("data, row, column", [
    (b"occurred_at,lat,lon\n2026-03-01,11.3,106.1\n", None, "offence_type"),
    (b"occurred_at,lat,lon,offence_type\n2026-03-01,11.3,106.1,THEFT\n"
     b"2026-03-02,91.5,106.1,THEFT\n", 2, "lat"),
    (b"occurred_at,lat,lon,offence_type\n2026-03-01,11.3,106.1,THEFT\n"
     b"2026-03-02,11.3,106.1,THEFT\nyesterday,11.3,106.1,THEFT\n", 3, "occurred_at"),
    (b"occurred_at,lat,lon,offence_type\n2026-03-01,11.3,abc,THEFT\n", 1, "lon"),
    (b"occurred_at,lat,lon,offence_type\n2026-03-01,11.3,106.1,\n", 1, "offence_type"),
])
def test_a_bad_file_is_refused_naming_the_row_and_column(analyst, data, row, column):
    r = upload(login(analyst), "bad.csv", data)
    assert r.status_code == 200
    error = r.context["error"]
    assert error.details["row"] == row and error.details["column"] == column
    if row is not None:
        assert f"row {row} (line {row + 1})" in error.message
    assert "upload.csv" not in error.message          # no temporary path leaks
    assert EventUpload.objects.count() == 0


def test_a_good_file_is_stored_whole_and_drawn(analyst):
    client = login(analyst)
    r = upload(client, "incidents.csv", GOOD)
    stored = EventUpload.objects.get()
    assert r.status_code == 302 and f"upload={stored.pk}" in r["Location"]
    assert stored.n_rows == 3 and stored.offence_types == {"THEFT": 2, "ROBBERY": 1}
    assert gzip.decompress(bytes(stored.content)) == GOOD      # nothing lost
    assert stored.first_at.date().isoformat() == "2026-03-01"
    page = client.get(r["Location"])
    assert page.status_code == 200 and page.context["result"].n_events == 3
    assert page.context["top"][0]["events"] >= 1


def test_a_gzip_file_is_read_and_only_analysts_may_load_files(analyst, officer_a):
    stored = s.upload_create(actor=analyst, scope=s.province_unit(), name="x.csv.gz",
                             data=gzip.compress(GOOD))
    assert stored.n_rows == 3
    with pytest.raises(DomainError) as err:
        s.upload_create(actor=officer_a, scope=s.province_unit(), name="x.csv", data=GOOD)
    assert err.value.status == 403
    assert upload(login(officer_a), "x.csv", GOOD).status_code == 403
