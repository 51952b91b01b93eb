#!/usr/bin/env bash
# Regenerates Sources/NNExport/ONNX/onnx.pb.swift, the Swift message types for ONNX models,
# from tools/onnx/onnx.proto with swift-protobuf's protoc-gen-swift. Never edit the generated
# file by hand; change this script or the .proto and run it again.
#
#   tools/regenerate-onnx.sh            # regenerate from the committed tools/onnx/onnx.proto
#   tools/regenerate-onnx.sh --refresh  # first copy onnx.proto from the pinned `onnx` pip package
#
# Needs: protoc (Debian: apt-get install -y protobuf-compiler; 3.21.12 was used) and
# protoc-gen-swift from swift-protobuf 1.39.0, the version Package.swift depends on. If
# PROTOC_GEN_SWIFT is unset, the plugin is built once in /tmp/nns-protoc-gen-swift (about
# 2-10 minutes) from the local mirror or GitHub.
set -euo pipefail
cd "$(dirname "$0")/.."

ONNX_VERSION=1.23.2
SWIFT_PROTOBUF_VERSION=1.39.0
OUT=Sources/NNExport/ONNX

if [ "${1:-}" = "--refresh" ]; then
    pip install -q "onnx==$ONNX_VERSION"
    src=$(python3 -c "import onnx, os; print(os.path.join(os.path.dirname(onnx.__file__), 'onnx.proto'))")
    cp "$src" tools/onnx/onnx.proto
fi

command -v protoc >/dev/null || { echo "protoc not found: apt-get install -y protobuf-compiler" >&2; exit 1; }

if [ -z "${PROTOC_GEN_SWIFT:-}" ]; then
    scratch=/tmp/nns-protoc-gen-swift
    if ! [ -x "$scratch/.build/release/protoc-gen-swift" ]; then
        origin=/opt/swift-packages/apple/swift-protobuf.git
        [ -d "$origin" ] || origin=https://github.com/apple/swift-protobuf.git
        rm -rf "$scratch"
        git clone -q --branch "$SWIFT_PROTOBUF_VERSION" "$origin" "$scratch"
        (cd "$scratch" && swift build -c release --product protoc-gen-swift)
    fi
    PROTOC_GEN_SWIFT="$scratch/.build/release/protoc-gen-swift"
fi

# Internal visibility: the ONNX types are an implementation detail of NNExport.
protoc --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
       --swift_opt=Visibility=Internal \
       --swift_out="$OUT" \
       -I tools/onnx tools/onnx/onnx.proto
echo "wrote $OUT/onnx.pb.swift"
