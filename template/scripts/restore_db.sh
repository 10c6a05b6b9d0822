#!/usr/bin/env bash
# Restore a backup made by scripts/backup_db.sh into the database at DATABASE_URL.
#
# Usage: scripts/restore_db.sh [--force] BACKUP.dump
#
# The backup's checksums are verified first. The restore runs in a single
# transaction and stops at the first error, so a failed restore leaves the
# database exactly as it was. A database that already holds tables is
# refused unless --force is given; with --force, the objects the backup
# contains are dropped and recreated, and any others are left in place.
#
# Environment (docs/operations/backups.md):
#   DATABASE_URL              the database to restore into (required)
#   DATABASE_CONNECT_TIMEOUT  seconds to wait for the server (default: 3)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=db_common.sh
source "$(dirname -- "$0")/db_common.sh"
prog=restore

usage="usage: $0 [--force] BACKUP.dump"
force=false
backup=""
for argument in "$@"; do
    case "$argument" in
        --force) force=true ;;
        -h | --help)
            printf '%s\n' "$usage"
            exit 0
            ;;
        -*) die "unknown option $argument; $usage" ;;
        *)
            [[ -z "$backup" ]] || die "give one backup file; $usage"
            backup="$argument"
            ;;
    esac
done
[[ -n "$backup" ]] || die "no backup file given; $usage"
[[ "$backup" == *.dump ]] || die "$backup is not a .dump file made by scripts/backup_db.sh."
[[ -f "$backup" ]] || die "$backup does not exist."
require_database_url

say "verifying the checksums of $backup"
verify_checksums "$backup"

say "connecting to the database"
target=$(database_name "$DATABASE_URL")
relations=$(query "$DATABASE_URL" "SELECT count(*) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_%';")
options=(--exit-on-error --single-transaction --no-owner)
if ((relations > 0)); then
    if [[ "$force" != true ]]; then
        die "$target is not empty ($relations tables, views or sequences). Restore into an empty database, or pass --force (make restore FORCE=1) to replace what the backup contains."
    fi
    say "$target is not empty: --force given, so the backup's objects are replaced"
    options+=(--clean --if-exists)
fi

say "restoring into $target in a single transaction"
pg_restore "${pg_flags[@]}" "${options[@]}" --dbname "$DATABASE_URL" -- "$backup" ||
    die "pg_restore failed (see the message above); its transaction was rolled back, so $target is as it was."

say "done: $backup restored into $target"
