package testnet

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// RunNetworkDemo shows one car's history crossing chains: dealer chain 0
// records a service and an inspection, dealer chain 1 a trade-in appraisal
// with a lower odometer. vinrelay (already running) carries both to the hub,
// which keeps every record with its origin and flags the rollback that
// neither dealer chain could see alone; the dealer chains show their
// records settled. It needs at least two dealer chains.
func RunNetworkDemo(ctx context.Context, nw *Network, out io.Writer) error {
	say := func(format string, args ...any) { fmt.Fprintf(out, "==> "+format+"\n", args...) }
	if len(nw.Dealers) < 2 {
		return fmt.Errorf("network demo needs two dealer chains, have %d", len(nw.Dealers))
	}
	a, b := nw.Dealers[0], nw.Dealers[1]
	say("%s (%s) records a service and a pre-sale inspection of %s", a.DealerID, a.ID(), DemoVIN)
	batch := []map[string]string{
		{"vin": DemoVIN, "kind": "RECORD_KIND_SERVICE", "odometer_km": "42000", "occurred_at": "2025-01-10T09:00:00Z",
			"location": "Springfield", "description": "oil and filter change, brake pads replaced"},
		{"vin": DemoVIN, "kind": "RECORD_KIND_INSPECTION", "odometer_km": fmt.Sprint(demoHighestReading), "occurred_at": "2025-09-01T14:30:00Z",
			"location": "Springfield", "description": "pre-sale inspection passed"},
	}
	file := filepath.Join(a.Node(0).Home, "demo-batch.json")
	bz, _ := json.Marshal(batch)
	if err := os.WriteFile(file, bz, 0o600); err != nil {
		return err
	}
	if err := a.Node(0).mustTx(ctx, a.ReporterKey, "vehicle", "record-events", a.DealerID, file); err != nil {
		return err
	}
	say("%s (%s) appraises the same car at %s km: on its own chain this is the car's first record", b.DealerID, b.ID(), demoRollbackReading)
	if err := b.Node(0).mustTx(ctx, b.ReporterKey, "vehicle", "record", b.DealerID, DemoVIN, "mileage", demoRollbackReading,
		"--at", "2026-02-01T10:00:00Z", "--location", "Shelbyville", "--description", "trade-in appraisal"); err != nil {
		return err
	}
	say("vinrelay carries the records to the hub and the acknowledgements back")
	for _, d := range []*Chain{a, b} {
		if err := waitSettled(ctx, d.Node(0)); err != nil {
			return err
		}
	}
	if err := printHubHistory(ctx, nw.Hub.Node(0), out); err != nil {
		return err
	}
	for _, d := range []*Chain{a, b} {
		if err := printSyncStatus(ctx, d.Node(0), out); err != nil {
			return err
		}
	}
	_, err := RunFinanceDemo(ctx, nw.Hub.Node(0), out)
	return err
}

// waitSettled waits until a dealer chain has nothing pending or in flight.
func waitSettled(ctx context.Context, n *Node) error {
	q, err := n.VehicleQuery()
	if err != nil {
		return err
	}
	for {
		pc, err := q.PendingCount(ctx, &vehicletypes.QueryPendingCountRequest{})
		if err == nil && pc.Pending+pc.InFlight == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: records not settled with the hub (%v): %w", n.ChainID, pc, ctx.Err())
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func printHubHistory(ctx context.Context, hub *Node, out io.Writer) error {
	q, err := hub.VehicleQuery()
	if err != nil {
		return err
	}
	h, err := q.History(ctx, &vehicletypes.QueryHistoryRequest{Vin: DemoVIN})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "==> the hub's history of %s:\n", DemoVIN)
	rollback := false
	for _, r := range h.Records {
		origin := "recorded on the hub"
		if r.Origin != nil {
			origin = fmt.Sprintf("from %s record %d (packet %d)", r.Origin.ChainId, r.Origin.DealerRecordId, r.Origin.Sequence)
		}
		var flags []string
		for _, f := range r.Flags {
			flags = append(flags, f.Code.String())
			rollback = rollback || f.Code == vehicletypes.FLAG_CODE_ODOMETER_ROLLBACK
		}
		fmt.Fprintf(out, "    #%d %s %s %d km by %s, %s %s\n", r.Id, r.Input.OccurredAt.Format("2006-01-02"), r.Input.Kind,
			r.Input.OdometerKm, r.DealerId, origin, strings.Join(flags, ","))
	}
	if !rollback {
		return fmt.Errorf("demo: the hub did not flag the odometer rollback")
	}
	return nil
}

func printSyncStatus(ctx context.Context, n *Node, out io.Writer) error {
	q, err := n.VehicleQuery()
	if err != nil {
		return err
	}
	res, err := q.VehicleSyncStatus(ctx, &vehicletypes.QueryVehicleSyncStatusRequest{Vin: DemoVIN})
	if err != nil {
		return err
	}
	for _, s := range res.States {
		fmt.Fprintf(out, "==> %s record %d: %s (hub record %d)\n", n.ChainID, s.RecordId, s.Status, s.HubRecordId)
	}
	return nil
}
