#!/usr/bin/env bash
# The hostile-user suite (Tests/hostile/probes.py) against a release nns, run twice: as the
# current user (root in CI, where a careless save could replace /dev/null) and as an
# unprivileged user created here (nns-ci), so both permission worlds are covered.
#
#   tools/ci/hostile.sh PATH/TO/nns
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
NNS=${1:?usage: tools/ci/hostile.sh PATH/TO/nns}
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3; }

# A copy every user can read and run: the checkout's folders may not be open to others.
STAGE=$(mktemp -d /tmp/nns-hostile-stage.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT
cp "$NNS" "$STAGE/nns"
cp -r "$ROOT/stdlib" "$STAGE/stdlib"
cp "$ROOT/Tests/hostile/probes.py" "$STAGE/probes.py"
chmod -R a+rX "$STAGE"

status=0
echo "-- as $(id -un)"
python3 "$STAGE/probes.py" "$STAGE/nns" "$STAGE/stdlib" || status=1

if [ "$(id -u)" -eq 0 ]; then
    if ! id nns-ci >/dev/null 2>&1; then
        command -v useradd >/dev/null || { apt-get update -qq && apt-get install -y -qq passwd; }
        useradd --system --no-create-home --shell /usr/sbin/nologin nns-ci
    fi
    echo "-- as nns-ci (unprivileged)"
    if command -v runuser >/dev/null; then
        runuser -u nns-ci -- env HOME=/tmp python3 "$STAGE/probes.py" "$STAGE/nns" "$STAGE/stdlib" || status=1
    else
        su -s /bin/sh nns-ci -c "HOME=/tmp python3 '$STAGE/probes.py' '$STAGE/nns' '$STAGE/stdlib'" || status=1
    fi
else
    echo "-- not root: the run as an unprivileged user is skipped"
fi
exit $status
