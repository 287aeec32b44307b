"""The quality indicators are counted from the cases; this (empty) table only carries their
permission, until the red flags and their reviews have tables of their own."""

from __future__ import annotations

from django.db import models


class Quality(models.Model):
    class Meta:
        default_permissions = ()
        permissions = [("view_quality", "See the quality of investigation, prosecution and "
                                        "trial, and its alerts")]

    def __str__(self) -> str:
        return "quality"
