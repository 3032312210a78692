# vinhub — see README.md. Every target installs what it needs.
GO ?= go
PKGS := ./...

.PHONY: all build test unit e2e proto proto-check lint localnet bench bench-relay bench-relay-peer bench-index-follow bench-ingest bench-notary bench-index bench-audit clean

all: build

## build: compile vinhubd, dealerd, vinrelay and vinindex into build/
build:
	$(GO) build -o build/ ./cmd/...

## test: everything CI runs: generated-code check, lint, unit, ibc and end-to-end tests
test: proto-check lint
	$(GO) test -count=1 -timeout 30m $(PKGS)

## unit: tests without the end-to-end tier
unit:
	$(GO) test -short $(PKGS)

## e2e: only the end-to-end tests (real nodes on 127.0.0.1)
e2e:
	$(GO) test -count=1 -timeout 30m ./testnet/e2e/...

## proto: regenerate *.pb.go / *.pb.gw.go from proto/ (installs protoc and plugins if missing)
proto:
	scripts/protocgen.sh

## proto-check: fail if committed generated code is stale
proto-check:
	scripts/protocgen.sh --check

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

## localnet: hub + two dealer chains + vinrelay on 127.0.0.1, linked over IBC v2 and v1, with the cross-chain demo, notaries and vinindex into PostgreSQL (prints a psql line; Ctrl-C stops)
localnet:
	$(GO) run ./testnet/cmd/localnet -home localnet

## bench: keeper, VIN, IBC packet-gas and notary attestation-gas benchmarks (figures go to docs/benchmarks.md)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./x/vehicle/... ./x/notary/...

## bench-relay: 1,000 record packets dealer -> hub through vinrelay on real nodes (report for docs/benchmarks.md)
bench-relay:
	$(GO) run ./testnet/cmd/benchrelay -home build/benchrelay

## bench-index-follow: bench-relay's load with vinindex following the hub into PostgreSQL: lag in blocks during the load, catch-up after it (report for docs/benchmarks.md)
bench-index-follow:
	$(GO) run ./testnet/cmd/benchrelay -index -home build/benchindexfollow

## bench-relay-peer: vinrelay vs rly v2.6.0 on identical backlogs, 5 interleaved runs each, pinned (needs ../shared/peers/rly-v2.6.0.tar.gz; a quiet 2-core machine)
bench-relay-peer:
	$(GO) run ./testnet/cmd/benchrelay -peer -home build/benchrelaypeer $(BENCH_PEER_FLAGS)

## bench-ingest: hub ingestion, committed record txs/s vs bank sends/s in the same run (pre-signed, 2 signers), batched records/s, then at 1,000,000 records in state (report for docs/benchmarks.md)
bench-ingest:
	$(GO) run ./testnet/cmd/benchingest -home build/benchingest -preload 1000000 -runs 3 -txs 15000 -restart $(BENCH_INGEST_FLAGS)

## bench-notary: attestation latency, ledger row committed -> attestation final, 4 notaries on real processes (report for docs/benchmarks.md)
bench-notary:
	$(GO) run ./testnet/cmd/benchnotary -home build/benchnotary

## bench-audit: vinaudit vin end to end against a local hub node, one VIN with 1,000 records (report for docs/benchmarks.md)
bench-audit:
	$(GO) run ./testnet/cmd/benchaudit -home build/benchaudit -records 1000

## bench-index: vinindex catching up 100,000 hub records into PostgreSQL (rows/s, blocks/s for docs/benchmarks.md)
bench-index:
	$(GO) run ./testnet/cmd/benchindex -home build/benchindex -records 100000

clean:
	rm -rf build localnet
