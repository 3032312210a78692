#!/usr/bin/env bash
# Regenerates every *.pb.go / *.pb.gw.go from proto/ with Debian's protoc and
# go-installed plugins (the buf registry is not reachable from our machines).
#   scripts/protocgen.sh          regenerate into the tree
#   scripts/protocgen.sh --check  regenerate into a temp dir and fail if the tree differs
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if ! command -v protoc >/dev/null || [ ! -f /usr/include/google/protobuf/timestamp.proto ]; then
	echo "protocgen: installing protobuf-compiler libprotobuf-dev" >&2
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq protobuf-compiler libprotobuf-dev >/dev/null
fi

modver() { go list -m -f '{{.Version}}' "$1"; }
moddir() { go mod download "$1" >/dev/null 2>&1 || true; go list -m -f '{{.Dir}}' "$1"; }

TOOLS="$ROOT/build/tools"
mkdir -p "$TOOLS"
export GOBIN="$TOOLS"
GOGO_VERSION=$(modver github.com/cosmos/gogoproto)
GW_VERSION=v1.16.0
stamp="$TOOLS/.plugins-$GOGO_VERSION-$GW_VERSION"
if [ ! -f "$stamp" ]; then
	go install "github.com/cosmos/gogoproto/protoc-gen-gocosmos@$GOGO_VERSION"
	go install "github.com/grpc-ecosystem/grpc-gateway/protoc-gen-grpc-gateway@$GW_VERSION"
	touch "$stamp"
fi
export PATH="$TOOLS:$PATH"

INCLUDES=(
	-I "$ROOT/proto"
	-I "$(moddir github.com/cosmos/cosmos-sdk)/proto"
	-I "$(moddir github.com/cosmos/gogoproto)"
	-I "$(moddir github.com/cosmos/cosmos-proto)/proto"
	-I "$(moddir github.com/grpc-ecosystem/grpc-gateway)/third_party/googleapis"
	-I "$(moddir github.com/cosmos/ibc-go/v11)/proto"
	-I /usr/include
)

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
GOCOSMOS_OPTS="plugins=grpc,Mgoogle/protobuf/any.proto=github.com/cosmos/gogoproto/types/any"
for dir in $(find "$ROOT/proto" -name '*.proto' -exec dirname {} \; | sort -u); do
	files=$(find "$dir" -maxdepth 1 -name '*.proto' | sort)
	protoc "${INCLUDES[@]}" --gocosmos_out="$GOCOSMOS_OPTS:$OUT" $files
	if grep -q "google.api.http" $files; then
		protoc "${INCLUDES[@]}" --grpc-gateway_out="logtostderr=true,allow_colon_final_segments=true:$OUT" $files
	fi
done

GEN="$OUT/github.com/vinhub/vinhub"
if [ "${1:-}" = "--check" ]; then
	stale=0
	while IFS= read -r f; do
		rel=${f#"$GEN/"}
		if ! cmp -s "$f" "$ROOT/$rel"; then echo "stale generated file: $rel" >&2; stale=1; fi
	done < <(find "$GEN" -type f)
	while IFS= read -r f; do
		rel=${f#"$ROOT/"}
		[ -f "$GEN/$rel" ] || { echo "generated file without proto source: $rel" >&2; stale=1; }
	done < <(find "$ROOT/x" -name '*.pb.go' -o -name '*.pb.gw.go' 2>/dev/null)
	if [ $stale = 1 ]; then echo "protocgen: committed generated code is stale; run 'make proto' and commit" >&2; exit 1; fi
	echo "protocgen: generated code is up to date"
	exit 0
fi
cp -r "$GEN"/. "$ROOT"/
echo "protocgen: regenerated $(find "$GEN" -type f | wc -l) files"
