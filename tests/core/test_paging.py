"""A capped list's pager (QA of issue 24): past the cap it offers the pages of the first CAP
rows and says "of more than", not a last page holding the one row counted beyond the cap."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from pctp.core.models import User
from pctp.core.paging import CappedPaginator

pytestmark = pytest.mark.django_db


def test_past_the_cap_the_pager_offers_the_capped_rows_and_says_more_than(monkeypatch):
    User.objects.bulk_create([User(username=f"paging{n}") for n in range(7)])
    users = User.objects.filter(username__startswith="paging").order_by("username")
    monkeypatch.setattr(CappedPaginator, "CAP", 4)
    paginator = CappedPaginator(users, 2)
    # 7 rows, counted up to 5: more than 4. Pages of 2: the first 4 rows are 2 pages.
    assert paginator.count == 5 and paginator.capped and paginator.num_pages == 2
    last = paginator.get_page(9)  # past the end: the last page
    assert last.number == 2 and [u.username for u in last] == ["paging2", "paging3"]
    html = render_to_string("core/pager.html", {"page": paginator.get_page(1),
                                                "request": RequestFactory().get("/")})
    assert "Trang 1 / hơn 2" in html
    monkeypatch.setattr(CappedPaginator, "CAP", 1000)
    exact = CappedPaginator(users, 2)
    assert not exact.capped and exact.num_pages == 4
    html = render_to_string("core/pager.html", {"page": exact.get_page(1),
                                                "request": RequestFactory().get("/")})
    assert "Trang 1 / 4" in html and "hơn" not in html
