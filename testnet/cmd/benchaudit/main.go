// Command benchaudit measures a VIN audit end to end: a single-validator
// hub on loopback is loaded with n records about one VIN (MsgRecordEvents
// from the genesis dealer's reporter), then `vinaudit vin` (in process, the
// same code as the binary) verifies the latest header with the light
// client, reads the VIN's whole state with proofs over RPC and verifies it,
// timed. It prints a Markdown row for docs/benchmarks.md. Run it on a quiet
// machine: figures taken while other builds run mean nothing.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vinhub/vinhub/audit"
	auditcli "github.com/vinhub/vinhub/audit/cli"
	"github.com/vinhub/vinhub/testnet"
)

func main() {
	home := flag.String("home", "build/benchaudit", "run directory (wiped first)")
	records := flag.Int("records", 1_000, "records about the audited VIN")
	perMsg := flag.Int("per-msg", 100, "records per MsgRecordEvents (at most the hub's max_records_per_batch)")
	runs := flag.Int("runs", 3, "audits timed (each from a fresh vinaudit home: light client from genesis)")
	flag.Parse()
	if err := run(*home, *records, *perMsg, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchaudit:", err)
		os.Exit(1)
	}
}

func run(home string, records, perMsg, runs int) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	home, err := filepath.Abs(home)
	if err != nil {
		return err
	}
	node, _, err := testnet.StartBenchHub(ctx, home)
	if err != nil {
		return err
	}
	defer node.Stop()
	l, err := testnet.NewRecordLoad(node, testnet.DemoGenesisReporter, testnet.DemoGenesisDealer)
	if err != nil {
		return err
	}
	l.VINs = 1
	for l.Sent < records {
		if _, err := l.Send(ctx, 1, min(perMsg, records-l.Sent)); err != nil {
			return err
		}
	}
	h, err := node.Height(ctx)
	if err != nil {
		return err
	}
	if err := node.WaitHeight(ctx, h+1); err != nil { // the header committing the last record
		return err
	}
	vin := l.VINList()[0]
	fmt.Fprintf(os.Stderr, "==> %d records about %s; auditing %d times\n", l.Sent, vin, runs)
	rpc := node.RPCURL()
	genesis := filepath.Join(node.Home, "config", "genesis.json")
	fmt.Printf("| records | facts | audit (light client from genesis, proofs over RPC, verify) |\n|---|---|---|\n")
	for i := range runs {
		auditHome := filepath.Join(home, fmt.Sprintf("vinaudit-%d", i))
		if _, err := vinaudit("--home", auditHome, "init", "--genesis", genesis, "--primary", rpc, "--witness", rpc); err != nil {
			return err
		}
		start := time.Now()
		out, err := vinaudit("--home", auditHome, "vin", "--json", vin)
		took := time.Since(start)
		if err != nil {
			return err
		}
		var r audit.Report
		if err := json.Unmarshal(out, &r); err != nil {
			return err
		}
		if r.Outcome != audit.OutcomeProven.String() || len(r.Findings.Records) != l.Sent {
			return fmt.Errorf("audit %s: %d of %d records proven: %s", r.Outcome, len(r.Findings.Records), l.Sent, r.Error)
		}
		fmt.Printf("| %d | %d | %s |\n", len(r.Findings.Records), len(r.Findings.Facts), took.Round(time.Millisecond))
	}
	return nil
}

// vinaudit runs the vinaudit command tree in process and returns its stdout.
func vinaudit(args ...string) ([]byte, error) {
	var out, errOut bytes.Buffer
	app := auditcli.App()
	app.Writer, app.ErrWriter = &out, &errOut
	if err := app.Run(append([]string{"vinaudit"}, args...)); err != nil {
		return nil, fmt.Errorf("vinaudit %v: %w\n%s", args, err, errOut.String())
	}
	return out.Bytes(), nil
}
