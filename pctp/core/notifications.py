"""In-app notifications and e-mailed reminders, shared by every app.

Each message has a `key` naming what it is about; a (user, key) pair is unique, so a
reminder or an alert is never sent twice, whichever worker or command sends it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from pctp.core.models import Notification


@dataclass(frozen=True)
class Reminder:
    """A message owed to one user, not yet recorded (see `deliver`)."""

    user_id: int
    email: str
    key: str
    text: str
    link: str


def notify(users: Iterable, *, key: str, text: str, link: str) -> int:
    """Record one notification per user; a user who already has `key` is skipped.
    Returns how many rows the database was asked to add."""
    rows = [Notification(user=u, key=key, text=text[:500], link=link) for u in users]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


def notify_many(rows: Iterable[tuple]) -> None:
    """Record (user, key, text, link) rows at once, skipping pairs already sent."""
    Notification.objects.bulk_create(
        [Notification(user=u, key=key, text=text[:500], link=link) for u, key, text, link in rows],
        ignore_conflicts=True)


def unsent(reminders: list[Reminder]) -> list[Reminder]:
    """The reminders whose (user, key) has not been recorded yet."""
    sent = set(Notification.objects.filter(key__in={r.key for r in reminders})
               .values_list("user_id", "key"))
    return [r for r in reminders if (r.user_id, r.key) not in sent]


def deliver(reminder: Reminder) -> bool:
    """Record the reminder and e-mail it, once: the unique (user, key) is the claim."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user_id=reminder.user_id, key=reminder.key, text=reminder.text[:500],
                link=reminder.link)
            if reminder.email:
                url = settings.PCTP_SITE_URL.rstrip("/") + reminder.link
                # The body is the stored notification's text: its footer stays in its language.
                send_mail(f"[PCTP] {reminder.text[:150]}",  # i18n: data
                          f"{reminder.text}\n\n{url}\n\n— Hệ thống PCTP (thư tự động)",
                          None, [reminder.email])
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
    except IntegrityError:
        return False  # another run sent it first
    return True


@transaction.atomic
def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def for_user(*, user, unread_only: bool = False):
    """The user's notifications, newest first (none for an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs
