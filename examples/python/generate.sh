#!/bin/sh
# Generates Python gRPC stubs for Tessera's API (proto/) and for the standard google.rpc error
# details (google.rpc.Status, ErrorInfo, BadRequest) into OUT_DIR. Put OUT_DIR on PYTHONPATH.
#
#   generate.sh OUT_DIR
#
# Needs protoc and grpc_python_plugin (Debian: protobuf-compiler, protobuf-compiler-grpc).
# GOOGLE_PROTOS is a directory holding google/rpc/*.proto; by default the npm package
# google-proto-files installed by `npm ci`. google/protobuf/*.proto come with protoc.
set -eu
out=${1:?usage: generate.sh OUT_DIR}
repo=$(cd "$(dirname "$0")/../.." && pwd)
proto=${TESSERA_PROTO:-$repo/proto}
google=${GOOGLE_PROTOS:-$repo/node_modules/google-proto-files}
plugin=${GRPC_PYTHON_PLUGIN:-$(command -v grpc_python_plugin)}

mkdir -p "$out"
protoc -I "$proto" -I "$google" \
  --python_out="$out" \
  --plugin=protoc-gen-grpc_python="$plugin" --grpc_python_out="$out" \
  $(cd "$proto" && find tessera -name '*.proto' | sort)
protoc -I "$google" --python_out="$out" google/rpc/status.proto google/rpc/error_details.proto
