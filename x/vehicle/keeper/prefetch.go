package keeper

import (
	"fmt"

	"cosmossdk.io/collections"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// RecordTreeKeys returns the store keys that appending in writes at random
// places of the module's tree: the VIN's summary and the record's place in
// the VIN's history. A node loads those places while the record waits in its
// mempool (hub/chainapp's record prefetcher), so that the block which
// appends it finds them in memory. The record's own key is not among them:
// ids grow, so each record lands beside the one before. The history key
// carries id 0, as the id is assigned only when the record is appended; the
// record's key is the next one after it in the tree.
func (k Keeper) RecordTreeKeys(in types.RecordInput) ([][]byte, error) {
	vin, err := types.ParseVIN(in.Vin)
	if err != nil {
		return nil, err
	}
	summary, err := collections.EncodeKeyWithPrefix(k.Summaries.GetPrefix(), k.Summaries.KeyCodec(), vin.Value)
	if err != nil {
		return nil, fmt.Errorf("summary key of %s: %w", vin.Value, err)
	}
	history, err := collections.EncodeKeyWithPrefix(k.History.GetPrefix(), k.History.KeyCodec(),
		collections.Join(vin.Value, HistoryKey(in.OccurredAt, 0)))
	if err != nil {
		return nil, fmt.Errorf("history key of %s: %w", vin.Value, err)
	}
	return [][]byte{summary, history}, nil
}
