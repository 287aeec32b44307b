#!/usr/bin/env bash
# PCTP's nightly backup: the database (pg_dump, custom format), the uploaded files
# (var/media: imports, materials, reports), their SHA-256 sums, and a restore of the dump
# into a scratch database that is checked and dropped (`pctp backup-verify`). Keeps 14 days.
#   deploy/backup/pctp-backup.sh /srv/backup/pctp
# Needs DATABASE_URL, the owner's (it creates the scratch database; the application's role
# cannot: systemd reads it from /srv/pctp/backup.env after .env), pointing at PostgreSQL
# itself, not at pgbouncer; and PCTP_VAR_DIR as the application has it. Base backups for
# point-in-time recovery (pg_basebackup or pgBackRest with WAL archiving) are the database
# server's: docs/operations.md, "Backups". Exit 0 only when the backup was written and its
# restore verified; the folders older than 14 days are removed whatever happened.
set -euo pipefail
dest="${1:?usage: pctp-backup.sh DEST_DIR}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
pctp="${PCTP_BIN:-$here/.venv/bin/pctp}"
var="${PCTP_VAR_DIR:-$here/var}"
stamp="$(date +%Y%m%d-%H%M%S)"
out="$dest/$stamp"
mkdir -p "$out"
chmod 700 "$dest" "$out"   # personal data: readable by the service account only

# Old folders go whatever happens below, so that a failing night never fills the disk.
trap 'find "$dest" -mindepth 1 -maxdepth 1 -type d -mtime +14 -exec rm -rf {} +' EXIT

pg_dump --format=custom --no-owner --file="$out/pctp.dump" "${DATABASE_URL:?DATABASE_URL}"
if [ -d "$var/media" ]; then
  tar -C "$var" -czf "$out/media.tar.gz" media
fi
(cd "$out" && sha256sum -- * > SHA256SUMS)
"$pctp" backup-verify "$out/pctp.dump"
echo "backup $out verified"
