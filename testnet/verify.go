package testnet

import (
	"context"
	"fmt"

	"github.com/vinhub/vinhub/client"

	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// VehicleQuery is a vehicle query client talking to n over its RPC.
func (n *Node) VehicleQuery() (vehicletypes.QueryClient, error) {
	conn, err := client.NewQueryConn(n.RPCURL())
	if err != nil {
		return nil, err
	}
	return vehicletypes.NewQueryClient(conn), nil
}

// CheckDelivered reports nil once the dealer chain's first `records` local
// records are each on the hub exactly once (by origin, and no extra records
// about the load's VINs) and every one is settled on the dealer chain.
func CheckDelivered(ctx context.Context, hub, dealer *Node, load *RecordLoad, records int) error {
	dq, err := dealer.VehicleQuery()
	if err != nil {
		return err
	}
	pc, err := dq.PendingCount(ctx, &vehicletypes.QueryPendingCountRequest{})
	if err != nil {
		return err
	}
	if pc.Pending+pc.InFlight > 0 {
		return fmt.Errorf("%s: %d records pending, %d in flight", dealer.ChainID, pc.Pending, pc.InFlight)
	}
	hq, err := hub.VehicleQuery()
	if err != nil {
		return err
	}
	total := uint64(0)
	for _, vin := range load.VINList() {
		s, err := hq.Summary(ctx, &vehicletypes.QuerySummaryRequest{Vin: vin})
		if err != nil {
			continue // a VIN with no record yet
		}
		total += s.Summary.RecordCount
	}
	if total != uint64(records) {
		return fmt.Errorf("hub holds %d records about %s's VINs, want exactly %d", total, dealer.ChainID, records)
	}
	for id := uint64(1); id <= uint64(records); id++ {
		if _, err := hq.RecordByOrigin(ctx, &vehicletypes.QueryRecordByOriginRequest{ChainId: dealer.ChainID, DealerRecordId: id}); err != nil {
			return fmt.Errorf("hub has no record for %s record %d: %w", dealer.ChainID, id, err)
		}
	}
	return nil
}
