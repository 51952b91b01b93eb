#!/usr/bin/env bash
# A/B of the C kernels between two revisions (default: HEAD against the working tree),
# paired call for call in one process (see ab.c), one thread.
# Usage: bench/kernel-ab/run.sh [REV_A (default HEAD)] [seconds per shape (default 1)] [rounds (default 3)]
# AB_THREADS=2 compares the two builds on two threads, in wall time (see ab.c).
# Each build is Sources/CKernels at that revision, compiled as the package compiles it
# (clang -O3 -fno-math-errno) into a shared library.
set -euo pipefail
cd "$(dirname "$0")/../.."
rev=${1:-HEAD}
seconds=${2:-1}
rounds=${3:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/a"
git archive "$rev" Sources/CKernels | tar -x -C "$out/a"
build() { clang -O3 -fno-math-errno -fPIC -shared -I"$1/include" -I"$1" -o "$2" "$1"/*.c -lpthread -lm; }
build "$out/a/Sources/CKernels" "$out/a.so"
build Sources/CKernels "$out/b.so"
clang -O2 -ISources/CKernels/include -o "$out/ab" bench/kernel-ab/ab.c -ldl
echo "# A = $rev, B = working tree; $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
for r in $(seq 1 "$rounds"); do
    echo "# round $r"
    "$out/ab" "$seconds" "$out/a.so" "$out/b.so"
done
