#!/usr/bin/env bash
# Back up the PostgreSQL database at DATABASE_URL into BACKUP_DIR.
#
# A backup is three files named <database>-<UTC time>:
#   .dump    pg_dump's custom format, for pg_restore (scripts/restore_db.sh)
#   .rows    each table's row count, taken in the same snapshot as the dump,
#            which scripts/verify_backup.sh compares with a test restore
#   .sha256  the checksums of both, written last: a backup without it is
#            incomplete, and restore_db.sh refuses it
# Every file is written under a hidden temporary name and renamed once it is
# complete, so a failed or interrupted run never leaves a file that looks good.
#
# Then the optional off-site hook runs, and retention deletes the backups of
# this database that are past either limit, never the newest one.
#
# Environment (docs/operations/backups.md):
#   DATABASE_URL            the database to back up (required)
#   BACKUP_DIR              where backups go (default: backups)
#   BACKUP_KEEP_DAYS        delete backups older than this many days (default: 14; 0: no age limit)
#   BACKUP_KEEP_COUNT       keep at most this many backups (default: 14; 0: no count limit)
#   BACKUP_OFFSITE_COMMAND  run by bash with the three files as "$@" (default: none)
#   DATABASE_CONNECT_TIMEOUT  seconds to wait for the server (default: 3)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=db_common.sh
source "$(dirname -- "$0")/db_common.sh"
prog=backup

backup_dir="${BACKUP_DIR:-backups}"
keep_days="${BACKUP_KEEP_DAYS:-14}"
keep_count="${BACKUP_KEEP_COUNT:-14}"
offsite_command="${BACKUP_OFFSITE_COMMAND:-}"

[[ "$keep_days" =~ ^[0-9]+$ ]] || die "BACKUP_KEEP_DAYS must be a whole number of days (0 for no age limit)."
[[ "$keep_count" =~ ^[0-9]+$ ]] || die "BACKUP_KEEP_COUNT must be a whole number (0 for no count limit)."
require_database_url

say "connecting to the database"
database=$(database_name "$DATABASE_URL")

# A dump holds every password hash and personal detail in the database.
umask 077
mkdir -p -- "$backup_dir"
base="$database-$(date -u +%Y%m%dT%H%M%SZ)"
dump="$backup_dir/$base.dump"
rows="$backup_dir/$base.rows"
sums="$backup_dir/$base.sha256"
if [[ -e "$dump" || -e "$sums" ]]; then
    die "$dump already exists; backups are named to the second, so run again in a moment."
fi

partial="$backup_dir/.$base.partial"
trap 'rm -f -- "$partial".*' EXIT

# A read-only transaction exports its snapshot to pg_dump and counts the rows
# in that same snapshot, so the counts describe exactly what the dump holds.
say "opening a snapshot of $database"
coproc snapshot_session {
    psql "${pg_flags[@]}" --dbname "$DATABASE_URL" --no-psqlrc --quiet \
        --tuples-only --no-align --field-separator $'\t' --set ON_ERROR_STOP=1
}
session_pid=$!
exec {to_session}>&"${snapshot_session[1]}" {from_session}<&"${snapshot_session[0]}"
printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;" \
    "SELECT pg_export_snapshot();" >&"$to_session"
read -r snapshot <&"$from_session" || die "could not open a snapshot of $database (see the message above)."

say "counting the rows of each table"
printf '%s\n' "$row_counts_sql" '\echo end-of-counts' >&"$to_session"
while IFS= read -r line <&"$from_session"; do
    [[ "$line" == "end-of-counts" ]] && break
    printf '%s\n' "$line"
done >"$partial.rows"
[[ "$line" == "end-of-counts" ]] || die "counting rows failed (see the message above)."

say "dumping $database"
pg_dump "${pg_flags[@]}" --dbname "$DATABASE_URL" --snapshot "$snapshot" \
    --format custom --file "$partial.dump" || die "pg_dump failed (see the message above); no backup was written."
printf '%s\n' "COMMIT;" '\q' >&"$to_session"
exec {to_session}>&-
wait "$session_pid" || die "the snapshot session ended with an error (see the message above)."

say "writing checksums"
{
    printf '%s  %s\n' "$(sha256_of "$partial.dump")" "$base.dump"
    printf '%s  %s\n' "$(sha256_of "$partial.rows")" "$base.rows"
} >"$partial.sha256"
mv -- "$partial.dump" "$dump"
mv -- "$partial.rows" "$rows"
mv -- "$partial.sha256" "$sums"
say "wrote $dump ($(du -h -- "$dump" | cut -f1))"

if [[ -n "$offsite_command" ]]; then
    say "copying off-site with BACKUP_OFFSITE_COMMAND"
    # Old backups stay until the off-site copy works again.
    bash -c "$offsite_command" backup-offsite "$dump" "$rows" "$sums" ||
        die "the off-site copy failed; $dump is complete here, and retention was skipped."
fi

say "applying retention (at most $keep_count backups, $keep_days days; 0 means no limit)"
shopt -s nullglob
stamp='[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z'
# Oldest first, as the names sort by time, so rank 1 is the newest. Neither the
# newest nor the backup just made is ever deleted, even if the clock has gone
# back since an earlier backup.
# shellcheck disable=SC2086  # the stamp is a glob pattern on purpose
set -- "$backup_dir/$database-"$stamp.sha256
rank=$#
for checksum_file in "$@"; do
    reason=""
    if ((rank > 1)) && [[ "$checksum_file" != "$sums" ]]; then
        if ((keep_count > 0 && rank > keep_count)); then
            reason="not among the newest $keep_count"
        elif ((keep_days > 0)) &&
            [[ -n "$(find "$checksum_file" -mmin "+$((keep_days * 1440))")" ]]; then
            reason="older than $keep_days days"
        fi
    fi
    if [[ -n "$reason" ]]; then
        old="${checksum_file%.sha256}"
        rm -f -- "$old.dump" "$old.rows" "$checksum_file"
        say "deleted $old.dump ($reason)"
    fi
    rank=$((rank - 1))
done
# Leftovers of a run that was killed before it could clean up.
find "$backup_dir" -maxdepth 1 -name '.*.partial.*' -mmin +1440 -delete

say "done: $dump"
