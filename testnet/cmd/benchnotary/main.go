// Command benchnotary measures attestation latency on real processes: a
// hub with four founding notaries (threshold 3), a dealer's ledger in a
// real PostgreSQL and four `vinrelay notary` processes watching it. It
// commits K ledger rows and reports, in hub blocks and wall time, how long
// each took from its commit to its attestation's finality, as Markdown
// for docs/benchmarks.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vinhub/vinhub/testnet"
)

func main() {
	home := flag.String("home", "build/benchnotary", "run directory")
	rows := flag.Int("rows", 100, "ledger rows to commit (K)")
	interval := flag.Duration("interval", 2*time.Second, "time between two commits (below the block time it measures a burst)")
	blockTime := flag.Duration("block-time", time.Second, "hub block time")
	flag.Parse()
	if err := run(*home, *rows, *interval, *blockTime); err != nil {
		fmt.Fprintln(os.Stderr, "benchnotary:", err)
		os.Exit(1)
	}
}

func run(home string, rows int, interval, blockTime time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	home, err := filepath.Abs(home)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "==> building")
	bins, err := testnet.BuildInto(ctx, home, "vinhubd", "vinrelay")
	if err != nil {
		return err
	}
	signers, pubkeys, err := testnet.DrawNotaries(4)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "==> starting the hub with 4 notaries (threshold 3)")
	nw, err := testnet.StartNetwork(ctx, testnet.NetworkSpec{Dir: filepath.Join(home, "chains"), NoDealers: true, BlockTime: blockTime,
		HubBinary: bins[0], Notaries: pubkeys, LedgerDealers: map[string]string{testnet.DemoLedgerDealer: testnet.DemoLedgerID}})
	if nw != nil {
		defer nw.Stop()
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "==> starting PostgreSQL and the notaries")
	if err := os.RemoveAll(filepath.Join(home, "notaries")); err != nil {
		return err
	}
	demo, err := testnet.StartNotaryDemo(ctx, nw.Hub, bins[1], filepath.Join(home, "notaries"), signers, nil)
	if demo != nil {
		defer demo.Stop()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "==> committing %d rows, one every %s\n", rows, interval)
	lat, err := demo.MeasureAttestations(ctx, nw.Hub.Node(0), rows, interval, os.Stderr)
	if err != nil {
		return err
	}
	fmt.Printf("Notary attestation latency: 4 notaries (threshold 3), hub block time %s, %d ledger rows one every %s, notaries polling every 300ms.\n\n",
		blockTime, rows, interval)
	testnet.LatencyReport(os.Stdout, lat)
	return nil
}
