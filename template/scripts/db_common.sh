# shellcheck shell=bash
# Helpers shared by backup_db.sh, restore_db.sh and verify_backup.sh, which
# source this file; it is not meant to be run on its own.
#
# Convention: the environment variables the scripts read are the UPPER_CASE
# names expanded as ${NAME...}; docs/architecture/environment.md lists them.
# Everything the scripts set for themselves is lower_case, except the two
# variables exported for libpq below and DATABASE_URL without its password.

# The name messages start with; each script sets its own after sourcing this.
prog=${0##*/}

# Every PostgreSQL client fails instead of prompting for a password, which
# nobody would answer under cron or systemd, and gives up on an unreachable
# server after DATABASE_CONNECT_TIMEOUT seconds, as the Django settings do.
export PGCONNECT_TIMEOUT="${DATABASE_CONNECT_TIMEOUT:-3}"
pg_flags=(--no-password)

# One query lists each table with its number of rows. query_to_xml runs the
# count for each table inside the same statement, so the backup script can
# take the counts in the snapshot that pg_dump uses.
# shellcheck disable=SC2034  # used by the scripts that source this file
row_counts_sql="SELECT format('%I.%I', table_schema, table_name),
       (xpath('/row/n/text()', query_to_xml(
           format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name),
           false, true, '')))[1]::text
  FROM information_schema.tables
 WHERE table_type = 'BASE TABLE'
   AND table_schema NOT IN ('pg_catalog', 'information_schema')
 ORDER BY 1;"

say() {
    printf '%s: %s\n' "$prog" "$*"
}

die() {
    printf '%s: error: %s\n' "$prog" "$*" >&2
    exit 1
}

# Fails unless DATABASE_URL is set to a PostgreSQL URL, which libpq accepts
# as it is. A password in it moves to PGPASSWORD, which libpq reads and `ps`
# does not show: no command line below carries it, and the processes these
# scripts start (restore_db.sh, manage.py) inherit both.
require_database_url() {
    local url="${DATABASE_URL:-}" scheme rest credentials password
    if [[ -z "$url" ]]; then
        die "DATABASE_URL is not set; set it to the PostgreSQL database's URL, such as postgres://user@127.0.0.1:5432/name."
    fi
    if [[ ! "$url" =~ ^postgres(ql)?:// ]]; then
        die "DATABASE_URL must be a postgres:// or postgresql:// URL; these scripts back up PostgreSQL only."
    fi
    scheme=${url%%://*} rest=${url#*://}
    credentials=${rest%%@*}
    if [[ "$rest" == *@* && "$credentials" == *:* && "$credentials" != */* ]]; then
        # Percent-decoded, as libpq decodes the URL: %40 is @.
        password=${credentials#*:}
        password=${password//\\/\\\\}
        printf -v PGPASSWORD '%b' "${password//%/\\x}"
        export PGPASSWORD
        DATABASE_URL="$scheme://${credentials%%:*}@${rest#*@}"
    fi
}

# Runs one SQL statement against a database URL and prints the rows, tab
# separated. libpq's own message explains a failure to connect.
query() {
    local url="$1" sql="$2"
    psql "${pg_flags[@]}" --dbname "$url" --no-psqlrc --quiet --tuples-only \
        --no-align --field-separator $'\t' --set ON_ERROR_STOP=1 --command "$sql"
}

# The name of the database a URL points to, which also proves that the
# server answers and accepts the credentials.
database_name() {
    local url="$1" name
    if ! name=$(query "$url" "SELECT current_database();"); then
        die "cannot connect to the database at DATABASE_URL (see the message above)."
    fi
    printf '%s\n' "$name"
}

# Prints the SHA-256 digest of a file: sha256sum on Linux, shasum on macOS.
sha256_of() {
    if command -v sha256sum >/dev/null; then
        sha256sum -- "$1" | cut -d' ' -f1
    else
        shasum -a 256 -- "$1" | cut -d' ' -f1
    fi
}

# Checks a backup's .dump file, and every other file listed beside it in its
# .sha256 file, against the digests recorded there.
verify_checksums() {
    local dump="$1" dir sums expected name actual listed=false
    dir=$(dirname -- "$dump")
    sums="${dump%.dump}.sha256"
    [[ -s "$sums" ]] || die "$sums is missing or empty; a backup without its checksum file may be incomplete."
    while read -r expected name; do
        [[ -f "$dir/$name" ]] || die "$dir/$name is listed in $sums but missing."
        actual=$(sha256_of "$dir/$name")
        [[ "$actual" == "$expected" ]] || die "$dir/$name does not match its checksum in $sums: the file is damaged or incomplete."
        [[ "$name" != "${dump##*/}" ]] || listed=true
    done <"$sums"
    [[ "$listed" == true ]] || die "$sums has no checksum for $dump."
}
