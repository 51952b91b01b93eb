#!/usr/bin/env bash
# Start-up time of `nns -e '1+1'` over 20 runs (issue 4: under 50 ms on this machine).
#
#   bench/startup.sh [path/to/nns]     default: .build/release/nns (built if missing)
#
# Prints every run, then min / median / mean / max in milliseconds; exits 1 when the
# median is 50 ms or more.
set -euo pipefail
cd "$(dirname "$0")/.."
NNS=${1:-.build/release/nns}
if ! [ -x "$NNS" ]; then
    swift build -c release --product nns 2>&1 | tail -n 1
fi
"$NNS" -e '1+1' > /dev/null   # warm the page cache once
python3 - "$NNS" <<'PY'
import statistics, subprocess, sys, time
nns = sys.argv[1]
times = []
for _ in range(20):
    start = time.perf_counter()
    out = subprocess.run([nns, "-e", "1+1"], capture_output=True, text=True)
    times.append((time.perf_counter() - start) * 1000)
    if out.stdout.strip() != "2":
        sys.exit(f"startup: `nns -e '1+1'` printed {out.stdout!r}, expected 2")
print("runs (ms):", " ".join(f"{t:.1f}" for t in times))
median = statistics.median(times)
print(f"nns -e '1+1' over 20 runs: min {min(times):.1f} ms, median {median:.1f} ms, "
      f"mean {statistics.mean(times):.1f} ms, max {max(times):.1f} ms (target: under 50 ms)")
sys.exit(0 if median < 50 else 1)
PY
