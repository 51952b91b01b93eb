#!/usr/bin/env bash
# CI: scripting essentials (docs/language.md, "Scripting essentials").
# 1. The Python reference tables in the tests are what this machine's Python says:
#    every row tools/ci/scripting-reference.py prints must appear in the test files.
# 2. samples/scripting.nns runs with the release binary and its argument, and bad input
#    (int("abc"), a bad format spec, break outside a loop) fails with a located error.
# Usage: tools/ci/scripting.sh [path/to/release/nns]
set -euo pipefail
cd "$(dirname "$0")/../.."
nns=${1:-}
if [ -z "$nns" ]; then
    swift build -c release --product nns >/dev/null
    nns=$(swift build -c release --show-bin-path)/nns
fi
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }

tests="Tests/NNSLanguageTests/FormatSpecTests.swift Tests/NNSLanguageTests/SlicingTests.swift Tests/NNSLanguageTests/ScriptingTests.swift"
missing=0
while IFS= read -r row; do
    if ! grep -qF -- "$row" $tests; then echo "FAIL reference row not in the tests: $row"; missing=1; fi
done < <(python3 tools/ci/scripting-reference.py)
[ "$missing" = 0 ] || exit 1
echo "ok   the tests' format/slicing/conversion tables match Python $(python3 -c 'import sys; print(sys.version.split()[0])')"

out=$("$nns" samples/scripting.nns n=2 </dev/null)
grep -qx "odd squares: \[1, 9\]" <<<"$out" || { echo "FAIL samples/scripting.nns n=2: $out"; exit 1; }
grep -q "^epoch 1000: loss 0\.0" <<<"$out" || { echo "FAIL samples/scripting.nns: no final loss line"; exit 1; }
echo "ok   samples/scripting.nns"

expect_error() {
    local source=$1 header=$2 out
    if out=$("$nns" -e "$source" 2>&1 </dev/null); then echo "FAIL accepted: $source"; exit 1; fi
    grep -qF -- "$header" <<<"$out" || { echo "FAIL $source: expected '$header', got: $out"; exit 1; }
}
expect_error 'int("abc")' '<-e>:1:5: error: int: cannot read "abc" as a whole number'
expect_error 'x = 1; f"{x:.q}"' '<-e>:1:13: error: format spec ".q" is missing the precision'
expect_error 'break' "<-e>:1:1: error: 'break' outside a loop"
expect_error '[1, 2] - [3, 4]' 'hint: for element-wise arithmetic make them tensors: tensor(a) - tensor(b)'
echo "ok   located errors for bad scripting input"
