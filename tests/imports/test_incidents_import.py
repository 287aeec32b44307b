"""Incidents for analysis through the importer (issue 19): each bad row reported, the good
ones one incident file of the analysis pages."""

from __future__ import annotations

import pytest

from pctp.analytics.models import EventUpload
from pctp.imports import services as s

pytestmark = pytest.mark.django_db



def test_incidents_with_a_bad_row_become_one_file_of_the_good_ones(make_user, tmp_path):
    analyst = make_user("statistics_analyst", "P80-CA")
    path = tmp_path / "vu-viec.csv"
    path.write_text(
        "Thời gian xảy ra;Vĩ độ;Kinh độ;Loại tội phạm\n"
        "05/03/2025 21:30;10,6951;106,2431;Trộm cắp tài sản\n"
        "06/03/2025;10.70;106.25;Cướp giật tài sản\n"
        "07/03/2025 02:10;95.1;106.25;Trộm cắp tài sản\n"
        "08/03/2025 23:00;10.71;106.26;Đánh bạc\n", encoding="utf-8")
    job = s.job_create(actor=analyst, kind="incidents", name=path.name, data=path.read_bytes())
    job = s.job_run(actor=analyst, job=job)
    assert (job.created, job.refused) == (3, 1)
    issue = job.issues.get()
    assert (issue.row, issue.column, issue.value) == (4, "Latitude", "95.1")
    upload = EventUpload.objects.get()
    assert upload.n_rows == 3 and upload.name == "vu-viec.csv"
    assert upload.offence_types == {"Trộm cắp tài sản": 1, "Cướp giật tài sản": 1, "Đánh bạc": 1}
    assert upload.first_at.date().isoformat() == "2025-03-05"
