#!/usr/bin/env bash
# Builds the libFuzzer binary .build-fuzz/nns-fuzz from the NNEngine, NNExport,
# NNSLanguage and NNSREPL sources (the REPL's commands are fuzzed too, so readline
# is linked), the CKernels C files and fuzz/FuzzEntry.swift, using
# only the Swift toolchain (swiftc with -sanitize=fuzzer, the toolchain's clang,
# and `swift package resolve` for the swift-protobuf checkout NNExport needs).
# NNExport and SwiftProtobuf are compiled without sanitizers: the sandboxed
# fuzzer never exports, and SwiftProtobuf is built once and kept.
#
#   fuzz/build.sh            build (skipped when nothing changed)
#   NNS_FUZZ_SANITIZERS=fuzzer fuzz/build.sh     without AddressSanitizer
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/.build-fuzz"
SWIFTC=${SWIFTC:-$(command -v swiftc)}
CLANG=${CLANG:-$(dirname "$(readlink -f "$SWIFTC")")/clang}
SANITIZERS=${NNS_FUZZ_SANITIZERS:-fuzzer,address}
BINARY="$OUT/nns-fuzz"

cd "$ROOT"
mapfile -t ENGINE < <(find Sources/NNEngine -name '*.swift' | sort)
mapfile -t LANGUAGE < <(find Sources/NNSLanguage -name '*.swift' | sort)
mapfile -t REPL < <(find Sources/NNSREPL -name '*.swift' | sort)
mapfile -t KERNELS < <(find Sources/CKernels -name '*.c' | sort)
mapfile -t EXPORT < <(find Sources/NNExport -name '*.swift' | sort)
PROTOBUF_DIR=.build/checkouts/swift-protobuf/Sources/SwiftProtobuf
if [[ ! -d "$PROTOBUF_DIR" ]]; then
    echo "fuzz: swift package resolve (for swift-protobuf)"
    swift package resolve >/dev/null
fi
mapfile -t PROTOBUF < <(find "$PROTOBUF_DIR" -name '*.swift' | sort)

# Up to date: the binary is newer than every input and was built with the
# same sanitizers.
if [[ -x "$BINARY" && "$(cat "$OUT/sanitizers" 2>/dev/null)" == "$SANITIZERS" ]] &&
   [[ -z "$(find Sources/NNEngine Sources/NNExport Sources/NNSLanguage Sources/NNSREPL Sources/CReadline Sources/CKernels fuzz/FuzzEntry.swift fuzz/build.sh -newer "$BINARY" -print -quit)" ]]; then
    echo "fuzz: $BINARY is up to date"
    exit 0
fi

mkdir -p "$OUT/modules" "$OUT/objects" "$OUT/ckernels" "$OUT/protobuf"
rm -f "$OUT/objects/"*.o
# SwiftPM gives CKernels an umbrella-directory module map; do the same.
cat > "$OUT/ckernels/module.modulemap" <<MAP
module CKernels {
    umbrella "$ROOT/Sources/CKernels/include"
    export *
}
MAP

echo "fuzz: compiling CKernels (${#KERNELS[@]} files)"
for c in "${KERNELS[@]}"; do
    "$CLANG" -c -O3 -fno-math-errno -fPIC -I Sources/CKernels/include "$c" -o "$OUT/objects/$(basename "$c" .c).o"
done

SWIFT_FLAGS=(-sanitize="$SANITIZERS" -parse-as-library -O -wmo -swift-version 5
             -I "$OUT/modules" -I "$OUT/ckernels" -I "$OUT/protobuf" -I "$ROOT/Sources/CZlib"
             -I "$ROOT/Sources/CReadline")

# SwiftProtobuf only changes with its checkout: kept in its own folder.
PROTOBUF_OBJECT="$OUT/protobuf/SwiftProtobuf.o"
if [[ ! -f "$PROTOBUF_OBJECT" || -n "$(find "$PROTOBUF_DIR" -newer "$PROTOBUF_OBJECT" -print -quit)" ]]; then
    echo "fuzz: compiling SwiftProtobuf (${#PROTOBUF[@]} files, once)"
    "$SWIFTC" -parse-as-library -O -wmo -swift-version 5 -enable-upcoming-feature ExistentialAny -package-name swift_protobuf \
        -module-name SwiftProtobuf -emit-module -emit-module-path "$OUT/protobuf/SwiftProtobuf.swiftmodule" \
        -c -o "$PROTOBUF_OBJECT.tmp" "${PROTOBUF[@]}"
    mv "$PROTOBUF_OBJECT.tmp" "$PROTOBUF_OBJECT"
fi

echo "fuzz: compiling NNEngine (${#ENGINE[@]} files)"
"$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name NNEngine -emit-module -emit-module-path "$OUT/modules/NNEngine.swiftmodule" \
    -c -o "$OUT/objects/NNEngine.o" "${ENGINE[@]}"

echo "fuzz: compiling NNExport (${#EXPORT[@]} files, no sanitizers)"
"$SWIFTC" -parse-as-library -O -wmo -swift-version 5 -I "$OUT/modules" -I "$OUT/protobuf" -I "$OUT/ckernels" -I "$ROOT/Sources/CZlib" \
    -module-name NNExport -emit-module -emit-module-path "$OUT/modules/NNExport.swiftmodule" \
    -c -o "$OUT/objects/NNExport.o" "${EXPORT[@]}"

echo "fuzz: compiling NNSLanguage (${#LANGUAGE[@]} files)"
"$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name NNSLanguage -emit-module -emit-module-path "$OUT/modules/NNSLanguage.swiftmodule" \
    -c -o "$OUT/objects/NNSLanguage.o" "${LANGUAGE[@]}"

echo "fuzz: compiling NNSREPL (${#REPL[@]} files)"
"$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name NNSREPL -emit-module -emit-module-path "$OUT/modules/NNSREPL.swiftmodule" \
    -c -o "$OUT/objects/NNSREPL.o" "${REPL[@]}"

echo "fuzz: linking $BINARY"
rm -f "$BINARY"
"$SWIFTC" "${SWIFT_FLAGS[@]}" -module-name NNSFuzz fuzz/FuzzEntry.swift "$OUT/objects/"*.o "$PROTOBUF_OBJECT" \
    -lpthread -lm -lz -lreadline -o "$BINARY" 2>&1 | { grep -v "Cannot export local symbol" || true; }
test -x "$BINARY"
echo "$SANITIZERS" > "$OUT/sanitizers"
