// Package cli is vinindex's command tree: flags turned into indexer calls.
package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/indexer"
)

// App is the vinindex command tree.
func App() *ucli.App {
	return &ucli.App{
		Name:  "vinindex",
		Usage: "stream the vinhub hub into a PostgreSQL warehouse, exactly once (docs/warehouse.md)",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "rpc", Value: "http://127.0.0.1:26657", Usage: "the hub node's CometBFT RPC", EnvVars: []string{"VININDEX_RPC"}},
			&ucli.StringFlag{Name: "db", Usage: "PostgreSQL URL, e.g. postgres://user:password@127.0.0.1:5432/warehouse?sslmode=disable",
				EnvVars: []string{"VININDEX_DB"}, Required: true},
			&ucli.StringFlag{Name: "schema", Value: "vinindex", Usage: "PostgreSQL schema the warehouse lives in"},
		},
		Commands:       []*ucli.Command{runCmd(), rebuildCmd(), migrateCmd()},
		ExitErrHandler: func(*ucli.Context, error) {},
	}
}

func runCmd() *ucli.Command {
	return &ucli.Command{
		Name:  "run",
		Usage: "follow the hub and apply each new block (resumes after the last block applied)",
		Flags: []ucli.Flag{
			&ucli.Int64Flag{Name: "from-height", Value: 1, Usage: "first height of a fresh warehouse (1: the genesis state, then every block)"},
			&ucli.DurationFlag{Name: "poll", Value: 500 * time.Millisecond, Usage: "how often to ask the hub for new blocks"},
			&ucli.StringFlag{Name: "metrics", Value: "127.0.0.1:26670", Usage: "serve /metrics and /healthz here (\"\" to disable)"},
			&ucli.DurationFlag{Name: "stale", Value: time.Minute, Usage: "/healthz fails after this long without progress"},
		},
		Action: func(c *ucli.Context) error {
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			ix, store, m, err := open(ctx, c, c.Int64("from-height"))
			if err != nil {
				return err
			}
			defer store.Close()
			if addr := c.String("metrics"); addr != "" {
				bound, err := m.Serve(ctx, addr, c.Duration("stale"))
				if err != nil {
					return err
				}
				logger().Info("metrics", "addr", bound.String())
			}
			logger().Info("indexing", "schema", c.String("schema"), "from", ix.Height()+1)
			return ix.Follow(ctx, c.Duration("poll"))
		},
	}
}

func rebuildCmd() *ucli.Command {
	return &ucli.Command{
		Name:  "rebuild",
		Usage: "index the genesis state and every block (or from --from-height) up to the hub's latest height (or --to-height) into a fresh --schema, then exit",
		Flags: []ucli.Flag{
			&ucli.Int64Flag{Name: "from-height", Value: 1, Usage: "first height to index (1: the genesis state, then every block)"},
			&ucli.Int64Flag{Name: "to-height", Usage: "last height to index (default: the latest at start)"},
		},
		Action: func(c *ucli.Context) error {
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			ix, store, _, err := open(ctx, c, c.Int64("from-height"))
			if err != nil {
				return err
			}
			defer store.Close()
			if ix.Height() >= c.Int64("from-height") {
				return fmt.Errorf("%w: schema %s is indexed up to height %d; rebuild into a new --schema (or drop this one)",
					indexer.ErrNotFresh, store.Schema(), ix.Height())
			}
			return rebuild(ctx, c, ix)
		},
	}
}

func rebuild(ctx context.Context, c *ucli.Context, ix *indexer.Indexer) error {
	to := c.Int64("to-height")
	if to == 0 {
		latest, err := ix.Latest(ctx)
		if err != nil {
			return err
		}
		to = latest
	}
	start := time.Now()
	from := ix.Height()
	if err := ix.CatchUp(ctx, to); err != nil {
		return err
	}
	what := fmt.Sprintf("heights %d..%d", from+1, to)
	if c.Int64("from-height") <= 1 {
		what = "genesis and " + what
	}
	fmt.Fprintf(os.Stdout, "rebuilt %s: %s in %s\n", c.String("schema"), what, time.Since(start).Round(time.Millisecond))
	return nil
}

func migrateCmd() *ucli.Command {
	return &ucli.Command{
		Name:  "migrate",
		Usage: "create or migrate --schema to this vinindex's version and exit",
		Action: func(c *ucli.Context) error {
			store, err := indexer.OpenStore(c.Context, c.String("db"), c.String("schema"))
			if err != nil {
				return err
			}
			store.Close()
			fmt.Fprintf(os.Stdout, "schema %s at version %d\n", c.String("schema"), indexer.SchemaVersion)
			return nil
		},
	}
}

// open checks the hub answers, then opens (and migrates) the warehouse:
// nothing is written when the hub cannot be reached.
func open(ctx context.Context, c *ucli.Context, from int64) (*indexer.Indexer, *indexer.Store, *indexer.Metrics, error) {
	src, err := indexer.NewRPCSource(c.String("rpc"))
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := src.Latest(ctx); err != nil {
		return nil, nil, nil, fmt.Errorf("%w (is the hub node running, and is --rpc right?)", err)
	}
	store, err := indexer.OpenStore(ctx, c.String("db"), c.String("schema"))
	if err != nil {
		return nil, nil, nil, err
	}
	m := indexer.NewMetrics()
	ix, err := indexer.New(ctx, src, store, from, m, logger())
	if err != nil {
		store.Close()
		return nil, nil, nil, err
	}
	return ix, store, m, nil
}

func logger() *slog.Logger { return slog.New(slog.NewTextHandler(os.Stderr, nil)) }
