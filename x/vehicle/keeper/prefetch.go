package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// RecordTreeKeys returns the store keys that appending msg's records writes
// at random places of the module's tree: each car's summary and each
// record's place in its car's history. A node loads those places while the
// message waits in its mempool (hub/prefetch), so that the block which
// appends the records finds them in memory. Only a message the block admits
// (admitBatch, as RecordBatch: an active reporter of an active dealer, a
// batch within the limit) has keys: the node reads ahead for records its
// block will append, not for whatever anyone sends.
//
// A record's own key is not among them: ids grow, so each record lands
// beside the one before. The history key carries id 0, as the id is
// assigned only when the record is appended; the record's key is the next
// one after it in the tree.
func (k Keeper) RecordTreeKeys(ctx context.Context, msg *types.MsgRecordEvents) ([][]byte, error) {
	reporter, err := msgServer{k: k}.reporterAddress(msg.Reporter)
	if err != nil {
		return nil, err
	}
	if _, err := k.admitBatch(ctx, msg.DealerId, reporter, len(msg.Records)); err != nil {
		return nil, err
	}
	keys := make([][]byte, 0, 2*len(msg.Records))
	for _, in := range msg.Records {
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
		keys = append(keys, summary, history)
	}
	return keys, nil
}
