package testnet

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vinhub/vinhub/monitor"
	"github.com/vinhub/vinhub/testnet/loopback"
	"github.com/vinhub/vinhub/testnet/pgnode"
)

// warehouseDB is the database localnet's warehouse lives in.
const warehouseDB = "warehouse"

// StartWarehouse creates the warehouse database on pg, starts vinindex
// following hub into schema "vinindex" (log under dir) and returns once it
// has caught up with the hub's height at start.
func StartWarehouse(ctx context.Context, pg *pgnode.Node, binary, dir string, hub *Node) (*Vinindex, error) {
	if err := pg.CreateDatabase(ctx, warehouseDB); err != nil {
		return nil, err
	}
	v, err := NewVinindex(binary, dir, hub, pg.DSN(warehouseDB), "vinindex")
	if err != nil {
		return nil, err
	}
	if err := v.Start(); err != nil {
		return nil, err
	}
	if err := v.WaitReady(ctx); err != nil {
		return v, err
	}
	h, err := hub.Height(ctx)
	if err != nil {
		return v, err
	}
	return v, v.WaitHeight(ctx, h)
}

// PSQL is a command line that asks the warehouse who holds which car and
// who tried to pledge one twice.
func (v *Vinindex) PSQL() string {
	return fmt.Sprintf("psql %q -c 'SET search_path TO %s' -c 'SELECT * FROM active_liens_by_holder' -c 'SELECT * FROM refused_double_pledges' -c 'SELECT * FROM vehicle_timeline ORDER BY vin, height'",
		v.DB, v.Schema)
}

// WaitReady waits until the running vinindex answers /healthz with 200:
// it has connected to the hub and the database and made its first step.
func (v *Vinindex) WaitReady(ctx context.Context) error {
	for {
		if code, _, err := monitor.Get(v.MetricsAddr, "/healthz"); err == nil && code == http.StatusOK {
			return nil
		}
		if v.exited() {
			return fmt.Errorf("vinindex %s exited (log %s)", v.Schema, v.Log())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("vinindex %s not ready (log %s): %w", v.Schema, v.Log(), ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// WaitHeight waits until the warehouse's last applied height reaches h.
func (v *Vinindex) WaitHeight(ctx context.Context, h int64) error {
	conn, err := pgx.Connect(ctx, v.DB)
	if err != nil {
		return fmt.Errorf("warehouse: %w", err)
	}
	defer conn.Close(context.Background())
	var got int64
	for {
		err := conn.QueryRow(ctx, `SELECT height FROM `+v.Schema+`.index_state`).Scan(&got)
		if err == nil && got >= h {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("vinindex %s indexed up to %d, not %d (log %s): %w", v.Schema, got, h, v.Log(), ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Vinindex is one vinindex following a hub node into a warehouse schema;
// once started, its process (Stop, Kill, PID).
type Vinindex struct {
	Binary string
	// Dir holds its log.
	Dir string
	// RPC is the hub node's RPC; DB the PostgreSQL URL; Schema the warehouse's schema.
	RPC, DB, Schema string
	// MetricsAddr serves /metrics and /healthz while it runs.
	MetricsAddr string

	daemon
}

// NewVinindex prepares a vinindex of hub into schema of the database at dsn.
func NewVinindex(binary, dir string, hub *Node, dsn, schema string) (*Vinindex, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Vinindex{Binary: binary, Dir: dir, RPC: hub.RPCURL(), DB: dsn, Schema: schema}, nil
}

func (v *Vinindex) globalArgs() []string {
	return []string{"--rpc", v.RPC, "--db", v.DB, "--schema", v.Schema}
}

// Exec runs a one-shot vinindex command (rebuild, migrate) and returns its
// stdout; a failure carries its stderr.
func (v *Vinindex) Exec(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, v.Binary, append(v.globalArgs(), args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("vinindex %v: %w: %s", args, err, stderr.Bytes())
	}
	return stdout.Bytes(), nil
}

// Start runs `vinindex run` in the background, appending to Log().
func (v *Vinindex) Start() error {
	name := "vinindex " + v.Schema
	if err := v.idle(name); err != nil {
		return err
	}
	ports, err := loopback.Ports(1)
	if err != nil {
		return err
	}
	v.MetricsAddr = fmt.Sprintf("127.0.0.1:%d", ports[0])
	return v.start(name, v.Log(), v.Binary, append(v.globalArgs(), "run", "--poll", "200ms", "--metrics", v.MetricsAddr)...)
}

// Log is the path of its log file.
func (v *Vinindex) Log() string { return filepath.Join(v.Dir, "vinindex-"+v.Schema+".log") }

// IndexSample is one scrape of a running vinindex's /metrics.
type IndexSample struct {
	At time.Time
	// Indexed is vinindex_indexed_height, Chain vinindex_chain_height,
	// Lag vinindex_lag_blocks.
	Indexed, Chain, Lag int64
	// Rows is vinindex_rows_written_total summed over every table.
	Rows int64
}

// Sample scrapes the running vinindex's /metrics.
func (v *Vinindex) Sample() (IndexSample, error) {
	s := IndexSample{At: time.Now()}
	_, body, err := monitor.Get(v.MetricsAddr, "/metrics")
	if err != nil {
		return s, fmt.Errorf("vinindex %s metrics: %w", v.Schema, err)
	}
	for name, dst := range map[string]*int64{"vinindex_indexed_height": &s.Indexed, "vinindex_chain_height": &s.Chain,
		"vinindex_lag_blocks": &s.Lag, "vinindex_rows_written_total": &s.Rows} {
		sum, found, err := seriesSum(body, name)
		if err != nil {
			return s, err
		}
		if !found && name != "vinindex_rows_written_total" { // no row written yet: no series
			return s, fmt.Errorf("vinindex %s metrics: no %s", v.Schema, name)
		}
		*dst = int64(sum)
	}
	return s, nil
}

// seriesSum adds up the values of every series of metric name (any
// labels) in a Prometheus text exposition.
func seriesSum(body, name string) (sum float64, found bool, err error) {
	for _, line := range strings.Split(body, "\n") {
		rest, ok := strings.CutPrefix(line, name)
		if !ok || (!strings.HasPrefix(rest, " ") && !strings.HasPrefix(rest, "{")) {
			continue
		}
		fields := strings.Fields(rest)
		x, err := strconv.ParseFloat(fields[len(fields)-1], 64)
		if err != nil {
			return 0, false, fmt.Errorf("metric line %q: %w", line, err)
		}
		sum, found = sum+x, true
	}
	return sum, found, nil
}
