#!/usr/bin/env bash
# Prove that a backup restores: restore it into a scratch database on the
# same server, compare each table's row count with the counts taken from the
# source when the backup was made, check that no migration is missing, then
# drop the scratch database. The last line printed is the verdict.
#
# Usage: scripts/verify_backup.sh [BACKUP.dump]
# Without an argument, the newest backup of DATABASE_URL's database in
# BACKUP_DIR is verified. The source database is only read. The role in
# DATABASE_URL needs the CREATEDB privilege for the scratch database.
#
# Environment (docs/operations/backups.md):
#   DATABASE_URL              the source database (required)
#   BACKUP_DIR                where backups are (default: backups)
#   DATABASE_CONNECT_TIMEOUT  seconds to wait for the server (default: 3)
# `manage.py migrate --check` runs with the project's settings, so in
# production the variables those need must be set too.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

here=$(cd -- "$(dirname -- "$0")" && pwd)
# shellcheck source=db_common.sh
source "$here/db_common.sh"
prog="backup-verify"

backup_dir="${BACKUP_DIR:-backups}"
backup="${1:-}"

verdict() {
    printf 'backup-verify: %s\n' "$*"
}

require_database_url
[[ "$DATABASE_URL" =~ ^postgres(ql)?://[^/?]*/ ]] ||
    die "DATABASE_URL must name its database, as in postgres://user@host:5432/name."

say "connecting to the source database"
source_database=$(database_name "$DATABASE_URL")
if [[ -z "$backup" ]]; then
    shopt -s nullglob
    stamp='[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z'
    # The names sort by time, so the last one is the newest.
    # shellcheck disable=SC2086  # the stamp is a glob pattern on purpose
    for candidate in "$backup_dir/$source_database-"$stamp.dump; do
        backup="$candidate"
    done
    [[ -n "$backup" ]] || die "no backup of $source_database in $backup_dir; run scripts/backup_db.sh first."
fi
[[ -f "$backup" ]] || die "$backup does not exist."
say "verifying $backup"

# The scratch database sits on the same server, under a name no one else
# uses, and is dropped however this script ends.
scratch="backup_verify_$(date -u +%Y%m%d%H%M%S)_$$"
scratch_url=$(sed -E "s#^([^?]*/)[^/?]*#\\1$scratch#" <<<"$DATABASE_URL")
drop_scratch() {
    query "$DATABASE_URL" "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE);" >/dev/null ||
        printf '%s: warning: could not drop the scratch database %s; drop it by hand.\n' "$prog" "$scratch" >&2
}
say "creating the scratch database $scratch"
query "$DATABASE_URL" "CREATE DATABASE \"$scratch\";" >/dev/null || {
    verdict "FAILED $backup: could not create a scratch database (see the message above; the role needs CREATEDB)."
    exit 1
}
trap drop_scratch EXIT

started=$(date +%s)
if ! DATABASE_URL="$scratch_url" "$here/restore_db.sh" "$backup"; then
    verdict "FAILED $backup: it does not restore."
    exit 1
fi
restore_seconds=$(($(date +%s) - started))

say "comparing row counts with the source at backup time"
rows="${backup%.dump}.rows"
restored=$(query "$scratch_url" "$row_counts_sql")
if ! difference=$(diff -- "$rows" <(printf '%s\n' "$restored")); then
    printf '%s\n' "$difference" >&2
    verdict "FAILED $backup: row counts differ from the source (< source, > restored)."
    exit 1
fi
tables=$(wc -l <"$rows" | tr -d ' ')
total=$(awk -F '\t' '{ sum += $2 } END { print sum + 0 }' "$rows")

say "checking that no migration is missing (manage.py migrate --check)"
python="$here/../.venv/bin/python"
[[ -x "$python" ]] || python=python
if ! DATABASE_URL="$scratch_url" "$python" "$here/../manage.py" migrate --check --no-input; then
    verdict "FAILED $backup: the restored database lacks migrations that the code has."
    exit 1
fi

verdict "PASSED $backup: restored in ${restore_seconds}s; $tables tables and $total rows match the source; migrations are up to date."
