"""The quality indicators keep no table of their own (they are counted from the cases);
this model only carries their permission."""

from __future__ import annotations

from django.db import models


class Quality(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_quality", "See the quality of investigation, prosecution and "
                                        "trial, and its alerts")]

    def __str__(self) -> str:
        return "quality"
