#!/bin/sh
# Generates Go code for Tessera's API (proto/) into OUT_DIR with protoc-gen-go and
# protoc-gen-go-grpc. The protos' go_package options name the import paths, so the packages land
# under OUT_DIR/github.com/tessera-auth/tessera/gen/go/tessera/{auth,user,adapter,errors}/v1.
#
#   generate.sh OUT_DIR
#
# Needs protoc, protoc-gen-go and protoc-gen-go-grpc on PATH (Debian: protobuf-compiler,
# protoc-gen-go, protoc-gen-go-grpc). The google.rpc error details come from
# google.golang.org/genproto, so they are not generated here.
set -eu
out=${1:?usage: generate.sh OUT_DIR}
proto=${TESSERA_PROTO:-$(cd "$(dirname "$0")/../../proto" && pwd)}

mkdir -p "$out"
protoc -I "$proto" --go_out="$out" --go-grpc_out="$out" \
  $(cd "$proto" && find tessera -name '*.proto' | sort)
