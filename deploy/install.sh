#!/bin/sh
# Install or upgrade the Nachhaltigkeitsreport service on Debian 12 (README, "Production").
# Idempotent: run it again after `git pull` (or with a new release unpacked) to upgrade.
#
#   sudo deploy/install.sh                      # install / upgrade
#   sudo NHR_POSTGRES=1 deploy/install.sh       # also create the PostgreSQL role and database
#
# What it does: system user `nhr`; folders /opt/nhr, /etc/nhr, /var/lib/nhr, /var/cache/nhr;
# the PDF's font (fonts-dejavu-core); a venv at /opt/nhr/venv with this project installed;
# /etc/nhr/nhr.env from deploy/nhr.env.example (root, mode 600; never overwritten); the admin
# command /usr/local/bin/nhr (reads nhr.env, runs as user nhr); `nhr db upgrade`; the systemd
# units, enabled but not started (fill in TELEGRAM_BOT_TOKEN first).
#
# Variables:
#   NHR_PREFIX        install below this folder instead of / (a staging tree: no user, no
#                     owners, no apt-get, no systemctl; deploy/test-install.sh uses it)
#   NHR_SOURCE        the project to install (default: the folder above this script)
#   NHR_PACKAGE       what pip installs (default: NHR_SOURCE; or a built wheel of a release)
#   NHR_PYTHON        the Python for the venv (default: python3, at least 3.11)
#   NHR_PIP_ARGS      extra arguments for pip install (e.g. --index-url …)
#   NHR_DATABASE_URL  DATABASE_URL for a newly created nhr.env
#   NHR_POSTGRES=1    create the role `nhr` and the database `nhr` on the local PostgreSQL:
#                       runuser -u postgres -- createuser nhr
#                       runuser -u postgres -- createdb --owner=nhr --encoding=UTF8 nhr
#                     (DATABASE_URL=postgresql+psycopg://nhr@/nhr?host=/var/run/postgresql,
#                     peer authentication: no password). A database on another host: create
#                     role and database there with a password and put it into DATABASE_URL.
set -eu

P="${NHR_PREFIX:-}"
SOURCE="${NHR_SOURCE:-$(cd "$(dirname "$0")/.." && pwd)}"
PYTHON="${NHR_PYTHON:-python3}"
USER_NAME=nhr
OPT="$P/opt/nhr"
VENV="$OPT/venv"
ETC="$P/etc/nhr"
ENV_FILE="$ETC/nhr.env"
STATE="$P/var/lib/nhr"
CACHE="$P/var/cache/nhr"
UNITS="$P/etc/systemd/system"
BIN="$P/usr/local/bin"

say() { printf '%s\n' "install.sh: $*"; }
staging() { [ -n "$P" ]; }

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { say "Python 3.11 oder neuer nötig ($PYTHON)."; exit 1; }
if ! staging && [ "$(id -u)" != 0 ]; then
  say "Bitte als root ausführen (sudo)."; exit 1
fi

# 1. The system user: no login, home is its state folder.
if ! staging && ! getent passwd "$USER_NAME" >/dev/null; then
  useradd --system --user-group --home-dir /var/lib/nhr --no-create-home \
    --shell /usr/sbin/nologin --comment "Nachhaltigkeitsreport" "$USER_NAME"
  say "Systembenutzer $USER_NAME angelegt."
fi

# 2. Folders: program (root), settings (root only), state and cache (nhr).
dir() {  # dir MODE OWNER PATH
  mkdir -p "$3"
  chmod "$1" "$3"
  staging || chown "$2" "$3"
}
dir 0755 root:root "$OPT"
dir 0700 root:root "$ETC"
dir 0751 "$USER_NAME:$USER_NAME" "$STATE"
dir 0750 "$USER_NAME:$USER_NAME" "$STATE/out"
dir 0750 "$USER_NAME:$USER_NAME" "$STATE/backups"
dir 0755 "$USER_NAME:$USER_NAME" "$STATE/site"
dir 0750 "$USER_NAME:$USER_NAME" "$CACHE"
mkdir -p "$UNITS" "$BIN"

# 3. The PDF's font.
if ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; then
  if staging; then
    say "Warnung: fonts-dejavu-core fehlt (apt-get install fonts-dejavu-core)."
  else
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core
  fi
fi

# 4. The program: a venv of its own, this project installed into it (not editable).
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
# shellcheck disable=SC2086  # NHR_PIP_ARGS is a list of arguments
"$VENV/bin/pip" install --quiet --disable-pip-version-check ${NHR_PIP_ARGS:-} \
  "${NHR_PACKAGE:-$SOURCE}"
say "Programm installiert: $("$VENV/bin/pip" show nachhaltigkeitsreport | sed -n 's/^Version: //p')"

# 5. The settings: created once from the example, only root can read them.
if [ ! -e "$ENV_FILE" ]; then
  umask 077
  cp "$SOURCE/deploy/nhr.env.example" "$ENV_FILE"
  umask 022
  if staging; then  # the folders named in the settings move below the prefix too
    sed "s|/var/lib/nhr|$STATE|g" "$ENV_FILE" > "$ENV_FILE.new" && mv "$ENV_FILE.new" "$ENV_FILE"
  fi
  if [ -n "${NHR_DATABASE_URL:-}" ]; then
    tmp="$ENV_FILE.new"
    awk -v url="$NHR_DATABASE_URL" \
      '/^DATABASE_URL=/ { print "DATABASE_URL=" url; next } { print }' "$ENV_FILE" > "$tmp"
    mv "$tmp" "$ENV_FILE"
  fi
  say "Einstellungen angelegt: $ENV_FILE (TELEGRAM_BOT_TOKEN eintragen)."
fi
chmod 0600 "$ENV_FILE"
staging || chown root:root "$ENV_FILE"

# 6. The admin command: `sudo nhr contacts list` runs nhr as the service does.
if staging; then run_as=""; else run_as="runuser -u $USER_NAME --"; fi
cat > "$BIN/nhr" <<EOF
#!/bin/sh
# nhr as the service runs it: its settings ($ENV_FILE), its user, its folder.
set -a; . "$ENV_FILE"; set +a
export HOME="$STATE" XDG_CACHE_HOME="$CACHE"
cd "$STATE"
exec $run_as "$VENV/bin/nhr" "\$@"
EOF
chmod 0755 "$BIN/nhr"

# 7. PostgreSQL role and database (optional; see the header).
if [ "${NHR_POSTGRES:-0}" = 1 ]; then
  pg() { runuser -u postgres -- "$@"; }
  pg psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'" | grep -q 1 \
    || pg createuser "$USER_NAME"
  pg psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'nhr'" | grep -q 1 \
    || pg createdb --owner="$USER_NAME" --encoding=UTF8 nhr
  say "PostgreSQL: Rolle $USER_NAME und Datenbank nhr vorhanden."
fi

# 8. The schema (upgrades never go back: a downgrade is a restore of the backup).
"$BIN/nhr" db upgrade

# 9. The systemd units: installed and enabled; started once the token is in nhr.env.
for unit in nhr.service nhr-site.service nhr-site.timer; do
  install -m 0644 "$SOURCE/deploy/$unit" "$UNITS/$unit"
done
if ! staging && command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload
  systemctl enable --quiet nhr.service nhr-site.timer
fi
say "Fertig. Weiter: TELEGRAM_BOT_TOKEN in $ENV_FILE eintragen, dann"
say "  systemctl restart nhr.service && systemctl start nhr-site.timer && nhr doctor"
