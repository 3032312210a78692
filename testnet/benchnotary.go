package testnet

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/vinhub/vinhub/client"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
)

// AttestationLatency follows one ledger row from its commit in the
// dealer's database to its attestation's finality on the hub.
type AttestationLatency struct {
	Ref string
	// CommitHeight is the hub's height just after the row committed: the
	// first block a notary could have seen it in.
	CommitHeight, FirstSignatureHeight, FinalHeight int64
	CommitTime, FinalTime                           time.Time
}

// Blocks is how many hub blocks after the commit the attestation was final.
func (a AttestationLatency) Blocks() int64 { return a.FinalHeight - a.CommitHeight }

// MeasureAttestations commits k ledger rows, one every interval, each
// about its own car, then waits until every row's attestation is final
// and reports each row's latency.
func (d *NotaryDemo) MeasureAttestations(ctx context.Context, hub *Node, k int, interval time.Duration, progress io.Writer) ([]AttestationLatency, error) {
	out := make([]AttestationLatency, k)
	for i := range out {
		ref := fmt.Sprintf("bench-%d", i)
		if _, err := d.ledger.Exec(ctx, `INSERT INTO vinhub_ledger (record_ref, vin, kind, odometer_km, occurred_at, location, description)
			VALUES ($1, $2, 'mileage', 10000, $3, 'Bench Garage', 'benchmark reading')`,
			ref, vehicletestutil.VIN(500_000+i), time.Now().Add(-time.Hour)); err != nil {
			return nil, fmt.Errorf("commit row %s: %w", ref, err)
		}
		h, err := hub.Height(ctx)
		if err != nil {
			return nil, err
		}
		out[i] = AttestationLatency{Ref: ref, CommitHeight: h, CommitTime: time.Now()}
		if err := sleep(ctx, interval); err != nil {
			return nil, err
		}
	}
	conn, err := client.NewQueryConn(hub.RPCURL())
	if err != nil {
		return nil, err
	}
	nq := notarytypes.NewQueryClient(conn)
	for i := range out {
		if err := waitFinal(ctx, nq, &out[i]); err != nil {
			return nil, err
		}
		fmt.Fprintf(progress, "    %s: final at hub height %d (committed at %d)\n", out[i].Ref, out[i].FinalHeight, out[i].CommitHeight)
	}
	return out, nil
}

// waitFinal polls the hub until the row's attestation is final.
func waitFinal(ctx context.Context, nq notarytypes.QueryClient, a *AttestationLatency) error {
	for {
		res, err := nq.AttestationsBySource(ctx, &notarytypes.QueryAttestationsBySourceRequest{Platform: notarytypes.PLATFORM_LEDGER,
			NetworkId: DemoLedgerID, TxRef: a.Ref})
		if err == nil && len(res.Attestations) > 0 && res.Attestations[0].FinalHeight > 0 {
			att := res.Attestations[0]
			a.FinalHeight = att.FinalHeight
			if att.FinalTime != nil {
				a.FinalTime = *att.FinalTime
			}
			a.FirstSignatureHeight = att.FinalHeight
			for _, s := range att.Signatures {
				a.FirstSignatureHeight = min(a.FirstSignatureHeight, s.Height)
			}
			return nil
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return fmt.Errorf("attestation of ledger row %s: %w", a.Ref, err)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// LatencyReport writes the p50/p99/max of the latencies as a Markdown table.
func LatencyReport(w io.Writer, lat []AttestationLatency) {
	blocks := make([]float64, len(lat))
	signToFinal := make([]float64, len(lat))
	wall := make([]float64, len(lat))
	for i, a := range lat {
		blocks[i] = float64(a.Blocks())
		signToFinal[i] = float64(a.FinalHeight - a.FirstSignatureHeight)
		wall[i] = a.FinalTime.Sub(a.CommitTime).Seconds()
	}
	fmt.Fprintf(w, "| %d ledger rows | p50 | p99 | max |\n|---|---|---|---|\n", len(lat))
	row := func(name, unit string, v []float64) {
		slices.Sort(v)
		fmt.Fprintf(w, "| %s | %.1f%s | %.1f%s | %.1f%s |\n", name, Percentile(v, 50), unit, Percentile(v, 99), unit, v[len(v)-1], unit)
	}
	row("hub blocks, row committed → attestation final", "", blocks)
	row("hub blocks, first signature → final", "", signToFinal)
	row("wall time, row committed → final block's time", " s", wall)
}
