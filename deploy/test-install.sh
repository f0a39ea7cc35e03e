#!/bin/sh
# Follows README's "Production" section in a temporary root, unprivileged-ish: deploy/install.sh
# with NHR_PREFIX (twice: it must be idempotent), then the admin command against a SQLite
# database. Run by tests/test_deploy.py; by hand: deploy/test-install.sh [ROOT]
#
# To stay fast and offline, the venv that install.sh finds already in place sees the
# dependencies of NHR_TEST_PYTHON's environment (default: the python3 on PATH), so pip installs
# only the project itself (--no-deps). A real installation downloads the dependencies.
set -eu

SOURCE="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="${1:-$(mktemp -d)}"
PY="${NHR_TEST_PYTHON:-python3}"
VENV="$ROOT/opt/nhr/venv"
fail() { echo "test-install.sh: $*" >&2; exit 1; }

# A venv that sees the test environment's packages (a path line in a .pth file) and uses its pip.
mkdir -p "$ROOT/opt/nhr"
"$PY" -m venv --without-pip "$VENV"
"$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
  > "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/test-env.pth"
printf '#!/bin/sh\nexec "$(dirname "$0")/python" -m pip "$@"\n' > "$VENV/bin/pip"
chmod +x "$VENV/bin/pip"

# The project as a wheel, built once for both runs (an upgrade installs it again).
"$VENV/bin/pip" wheel --quiet --no-deps --wheel-dir "$ROOT/wheels" "$SOURCE"
export NHR_PREFIX="$ROOT" NHR_SOURCE="$SOURCE" NHR_PYTHON="$PY"
export NHR_PACKAGE="$(ls "$ROOT"/wheels/nachhaltigkeitsreport-*.whl)"
export NHR_PIP_ARGS="${NHR_TEST_PIP_ARGS:---no-deps --force-reinstall --no-index}"
export NHR_DATABASE_URL="sqlite:///$ROOT/var/lib/nhr/nhr.sqlite3"
# Nothing of the caller's environment reaches the settings.
unset DATABASE_URL TELEGRAM_BOT_TOKEN TELEGRAM_API_BASE_URL OUTPUT_DIR || true
cd "$ROOT"

sh "$SOURCE/deploy/install.sh"

# The installed program is the copy in the venv, not the source tree.
"$VENV/bin/python" -c 'import nhr, sys; sys.exit(not nhr.__file__.startswith(sys.argv[1]))' "$VENV" \
  || fail "nhr is not imported from $VENV"
ENV_FILE="$ROOT/etc/nhr/nhr.env"
[ "$(stat -c %a "$ENV_FILE")" = 600 ] || fail "nhr.env is not mode 600"
[ "$(stat -c %a "$ROOT/etc/nhr")" = 700 ] || fail "/etc/nhr is not mode 700"
for unit in nhr.service nhr-site.service nhr-site.timer; do
  [ -f "$ROOT/etc/systemd/system/$unit" ] || fail "$unit not installed"
done
[ -f "$ROOT/var/lib/nhr/nhr.sqlite3" ] || fail "database not created"

# Idempotent: a second run (an upgrade) keeps the settings as the administrator left them.
echo "TELEGRAM_BOT_USERNAME=kreis_test_bot" >> "$ENV_FILE"
sh "$SOURCE/deploy/install.sh"
grep -q '^TELEGRAM_BOT_USERNAME=kreis_test_bot$' "$ENV_FILE" || fail "nhr.env overwritten"

NHR="$ROOT/usr/local/bin/nhr"
"$NHR" db upgrade
"$NHR" contacts list
# The last step of the README: `nhr doctor`, all green. It asks Telegram (getMe): the test
# passes the token and address of its fake Bot API; by hand, give a real bot's token.
if [ -n "${NHR_TEST_BOT_TOKEN:-}" ]; then
  echo "TELEGRAM_BOT_TOKEN=$NHR_TEST_BOT_TOKEN" >> "$ENV_FILE"
  [ -z "${NHR_TEST_API_BASE_URL:-}" ] || echo "TELEGRAM_API_BASE_URL=$NHR_TEST_API_BASE_URL" >> "$ENV_FILE"
  "$NHR" doctor || fail "nhr doctor is not all green"
else
  echo "test-install.sh: NHR_TEST_BOT_TOKEN not set, nhr doctor skipped"
fi
echo "test-install.sh: ok ($ROOT)"
