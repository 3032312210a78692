package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// TestRecordTreeKeys: the keys are where appending the record writes. The
// summary key holds the VIN's summary afterwards, and the first key at or
// after the history key is the record's history entry: for a VIN given in
// lower case, and for a car's later and back-dated records. A VIN that is
// not one has no keys.
func TestRecordTreeKeys(t *testing.T) {
	f := setup(t)
	store := f.ctx.KVStore(f.storeKey)
	for _, tc := range []struct {
		in     types.RecordInput
		newCar bool
	}{
		{mileage(strings.ToLower(accord), 10_000, day(30)), true},
		{mileage(accord, 20_000, day(20)), false},
		{mileage(accord, 5_000, day(40)), false},
		{mileage(golf, 1_000, day(20)), true},
	} {
		in := tc.in
		keys, err := f.k.RecordTreeKeys(in)
		require.NoError(t, err)
		require.Len(t, keys, 2)
		require.Equal(t, tc.newCar, !store.Has(keys[0]), "a summary only for a car seen before")
		id := f.mustSend(t, dealerA, reporterA, in)[0].Id

		vin := strings.ToUpper(in.Vin)
		summary, err := f.k.Summaries.Get(f.ctx, vin)
		require.NoError(t, err)
		stored, err := f.k.Summaries.ValueCodec().Encode(summary)
		require.NoError(t, err)
		require.Equal(t, stored, store.Get(keys[0]), "the summary key")

		it := store.Iterator(keys[1], nil)
		require.True(t, it.Valid())
		_, entry, err := f.k.History.KeyCodec().Decode(it.Key()[len(f.k.History.GetPrefix()):])
		require.NoError(t, it.Close())
		require.NoError(t, err)
		require.Equal(t, collections.Join(vin, keeper.HistoryKey(in.OccurredAt, id)), entry, "the record's history entry follows the history key")
	}

	_, err := f.k.RecordTreeKeys(mileage("NOT-A-VIN", 1, day(1)))
	require.ErrorIs(t, err, types.ErrInvalidVIN)
}
