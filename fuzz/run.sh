#!/usr/bin/env bash
# Fuzzes nns (lexer, parser, sandboxed interpreter) with libFuzzer for a while.
#
#   fuzz/run.sh [SECONDS]     default 120
#
# Builds .build-fuzz/nns-fuzz (fuzz/build.sh), seeds it with fuzz/seeds/*,
# samples/*.nns and stdlib/*.nns (copied at run time, so new files count),
# keeps the growing corpus in .build-fuzz/corpus, and runs for SECONDS.
# Exits 0 when nothing broke; 1 on a crash, trap, hang or memory error, after
# printing the offending input (also kept in .build-fuzz/crashes/RUN/);
# 2 when the build fails. Reproduce a finding with
#   .build-fuzz/nns-fuzz .build-fuzz/crashes/RUN/crash-...
# Extra libFuzzer flags: NNS_FUZZ_FLAGS="-jobs=2 -workers=2" fuzz/run.sh 60
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/.build-fuzz"
DURATION=${1:-120}
if ! [[ "$DURATION" =~ ^[0-9]+$ ]]; then
    echo "usage: fuzz/run.sh [SECONDS]" >&2
    exit 2
fi

"$ROOT/fuzz/build.sh" || { echo "fuzz: build failed" >&2; exit 2; }

SEEDS="$OUT/seeds"
CORPUS="$OUT/corpus"
RUN="$OUT/crashes/$(date -u +%Y%m%dT%H%M%S)"
rm -rf "$SEEDS"
mkdir -p "$SEEDS" "$CORPUS" "$RUN"
shopt -s nullglob
for f in "$ROOT"/fuzz/seeds/* "$ROOT"/samples/*.nns "$ROOT"/stdlib/*.nns; do
    cp "$f" "$SEEDS/$(basename "$(dirname "$f")")-$(basename "$f")"
done
echo "fuzz: $(ls "$SEEDS" | wc -l) seed files, corpus $(ls "$CORPUS" | wc -l) files, ${DURATION}s"

# Leak checking is off: the Swift runtime keeps metadata caches for the
# life of the process, which LeakSanitizer would report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
# libFuzzer prints the crash itself; Swift's own backtracer would attach to
# the dying process and can hold the output pipe open indefinitely.
export SWIFT_BACKTRACE=enable=no
# shellcheck disable=SC2086
"$OUT/nns-fuzz" "$CORPUS" "$SEEDS" \
    -max_total_time="$DURATION" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -detect_leaks=0 -dict="$ROOT/fuzz/nns.dict" -artifact_prefix="$RUN/" \
    -print_final_stats=1 ${NNS_FUZZ_FLAGS:-} 2>&1 | tee "$RUN/log.txt" | grep -vE '^(#[0-9]+.*(NEW|REDUCE|pulse)|".*# Uses)'
STATUS=${PIPESTATUS[0]}

FINDINGS=("$RUN"/crash-* "$RUN"/timeout-* "$RUN"/oom-* "$RUN"/leak-* "$RUN"/slow-unit-*)
if [[ $STATUS -ne 0 || ${#FINDINGS[@]} -gt 0 ]]; then
    echo
    echo "fuzz: FAILED (libFuzzer exit status $STATUS); log in $RUN/log.txt"
    for f in "${FINDINGS[@]}"; do
        echo "---- $f ($(wc -c < "$f") bytes) ----"
        cat -v "$f"
        echo
        echo "---- end; reproduce: $OUT/nns-fuzz $f"
    done
    exit 1
fi
rmdir "$RUN" 2>/dev/null || rm -f "$RUN/log.txt" && rmdir "$RUN" 2>/dev/null
echo "fuzz: no crash in ${DURATION}s"
exit 0
