// Command benchindex measures vinindex catching up: a single-validator hub
// on loopback is loaded with vehicle records (MsgRecordEvents from the
// genesis dealer's reporter), then `vinindex rebuild` indexes every block
// into a fresh schema of a real PostgreSQL, timed. It prints a Markdown
// report (rows/s, blocks/s, records/s) for docs/benchmarks.md. Run it on a
// quiet machine: figures taken while other builds run mean nothing.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vinhub/vinhub/indexer"
	"github.com/vinhub/vinhub/testnet"
	"github.com/vinhub/vinhub/testnet/pgnode"
)

func main() {
	home := flag.String("home", "build/benchindex", "run directory (wiped first)")
	records := flag.Int("records", 100_000, "records to load into the hub before indexing")
	perMsg := flag.Int("per-msg", 100, "records per MsgRecordEvents (at most the hub's max_records_per_batch)")
	msgsPerTx := flag.Int("msgs-per-tx", 10, "messages per transaction")
	blockTime := flag.Duration("block-time", 500*time.Millisecond, "hub block time")
	flag.Parse()
	if err := run(*home, *records, *perMsg, *msgsPerTx, *blockTime); err != nil {
		fmt.Fprintln(os.Stderr, "benchindex:", err)
		os.Exit(1)
	}
}

func run(home string, records, perMsg, msgsPerTx int, blockTime time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Hour)
	defer cancel()
	root, err := testnet.RepoRoot()
	if err != nil {
		return err
	}
	if home, err = filepath.Abs(home); err != nil {
		return err
	}
	if err := os.RemoveAll(home); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "==> building vinhubd and vinindex")
	bins, err := testnet.Build(ctx, root, filepath.Join(home, "bin"), "vinhubd", "vinindex")
	if err != nil {
		return err
	}
	spec := testnet.DemoChainSpec(bins[0], filepath.Join(home, "hub"))
	spec.BlockTime = blockTime
	node, err := testnet.InitSingleNode(ctx, spec)
	if err != nil {
		return err
	}
	if err := node.StartWait(ctx); err != nil {
		return err
	}
	defer node.Stop()
	loaded, took, err := load(ctx, node, records, perMsg, msgsPerTx)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "==> loaded %d records in %s\n", loaded, took.Round(time.Millisecond))
	to, err := node.Height(ctx)
	if err != nil {
		return err
	}

	pg, err := pgnode.Start(ctx)
	if err != nil {
		return err
	}
	defer pg.Stop()
	db, err := pg.OpenDatabase(ctx, "warehouse")
	if err != nil {
		return err
	}
	defer db.Close(context.Background())
	v, err := testnet.NewVinindex(bins[1], home, node, pg.DSN("warehouse"), "bench")
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "==> vinindex rebuild of the genesis and heights 1..%d\n", to)
	start := time.Now()
	if _, err := v.Exec(ctx, "rebuild", "--to-height", strconv.FormatInt(to, 10)); err != nil {
		return err
	}
	elapsed := time.Since(start)
	rows, indexedRecords, err := countRows(ctx, db, "bench")
	if err != nil {
		return err
	}
	secs := elapsed.Seconds()
	fmt.Printf("| blocks | records | rows | time | blocks/s | records/s | rows/s |\n|---|---|---|---|---|---|---|\n")
	fmt.Printf("| %d | %d | %d | %s | %.0f | %.0f | %.0f |\n", to, indexedRecords, rows, elapsed.Round(time.Millisecond),
		float64(to)/secs, float64(indexedRecords)/secs, float64(rows)/secs)
	return nil
}

// load commits records records to the hub, msgsPerTx messages of perMsg
// records per transaction.
func load(ctx context.Context, node *testnet.Node, records, perMsg, msgsPerTx int) (int, time.Duration, error) {
	l, err := testnet.NewRecordLoad(node, testnet.DemoGenesisReporter, testnet.DemoGenesisDealer)
	if err != nil {
		return 0, 0, err
	}
	l.VINs = 1000
	start := time.Now()
	for l.Sent < records {
		msgs := min(msgsPerTx, (records-l.Sent+perMsg-1)/perMsg)
		if _, err := l.Send(ctx, msgs, perMsg); err != nil {
			return l.Sent, time.Since(start), err
		}
	}
	return l.Sent, time.Since(start), nil
}

// countRows is the rows in every fact table of schema, and the records.
func countRows(ctx context.Context, db *pgx.Conn, schema string) (rows, records int64, err error) {
	for _, t := range indexer.FactTables {
		var n int64
		if err := db.QueryRow(ctx, `SELECT count(*) FROM `+schema+`.`+t).Scan(&n); err != nil {
			return 0, 0, err
		}
		rows += n
		if t == "records" {
			records = n
		}
	}
	return rows, records, nil
}
