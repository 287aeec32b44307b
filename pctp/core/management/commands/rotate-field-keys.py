"""Re-encrypt every stored identity under the active (first) key of PCTP_FIELD_KEYS."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from pctp.core.audit import audit_record
from pctp.core.crypto import active_key_id, decrypt_json, encrypt_json, key_id

# (app_label.Model, field, context prefix bound into each ciphertext)
ENCRYPTED_FIELDS = [
    ("sources.Source", "reporter_identity", "source"),
    ("portal.PortalReport", "identity", "portal"),
    ("cases.Accused", "identity", "accused"),
]


class Command(BaseCommand):
    help = ("Re-encrypt reporter and accused identities under the first key of PCTP_FIELD_KEYS "
            "(put the new key first, keep the old ones after it). Dry run unless --commit.")

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **options):
        active = active_key_id()
        total = 0
        for label, field, prefix in ENCRYPTED_FIELDS:
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            rows = model.objects.exclude(**{f"{field}__isnull": True}).only("pk", field)
            stale = [r for r in rows.iterator(chunk_size=options["batch"])
                     if key_id(getattr(r, field)) != active]
            self.stdout.write(f"{label}.{field}: {len(stale)} row(s) under an older key")
            if not options["commit"] or not stale:
                continue
            with transaction.atomic():
                for row in stale:
                    context = f"{prefix}:{row.pk}"
                    plain = decrypt_json(getattr(row, field), context=context)
                    model.objects.filter(pk=row.pk).update(
                        **{field: encrypt_json(plain, context=context)})
                audit_record(actor=None, action="crypto.rotate", obj=stale[0],
                             changes={"model": [None, label], "rows": [None, len(stale)],
                                      "key": [None, active]})
            total += len(stale)
        mode = "re-encrypted" if options["commit"] else "would re-encrypt (dry run)"
        self.stdout.write(f"{mode}: {total if options['commit'] else 'see above'}")
