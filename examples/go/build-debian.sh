#!/bin/sh
# Builds the example offline from Debian's Go sources (/usr/share/gocode), with no module
# proxy: a GOPATH in WORK_DIR holds the generated code, beside /usr/share/gocode.
#
#   build-debian.sh WORK_DIR      # runs the tests (go test), writes WORK_DIR/tessera-check
#
# Needs golang-go, golang-google-grpc-dev, golang-google-protobuf-dev,
# golang-google-genproto-dev and golang-github-golang-jwt-jwt-dev, and what generate.sh needs.
set -eu
work=$(mkdir -p "${1:?usage: build-debian.sh WORK_DIR}" && cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
gocode=${DEBIAN_GOCODE:-/usr/share/gocode}

"$here/generate.sh" "$work/src"
# Debian installs golang-jwt v4 without the /v4 of its import path; GOPATH mode needs it.
mkdir -p "$work/src/github.com/golang-jwt/jwt"
ln -sfn "$gocode/src/github.com/golang-jwt/jwt" "$work/src/github.com/golang-jwt/jwt/v4"

cd "$here"
export GO111MODULE=off GOPATH="$work:$gocode" GOCACHE="${GOCACHE:-$work/cache}" GOFLAGS= GOPROXY=off
go test .
go build -o "$work/tessera-check" .
