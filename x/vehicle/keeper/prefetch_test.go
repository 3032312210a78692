package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// TestRecordTreeKeys: the keys are where appending the records writes. Each
// summary key holds its car's summary afterwards, and the first key at or
// after each history key is the record's history entry: for a VIN given in
// lower case, and for a car's later and back-dated records.
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
		keys, err := f.k.RecordTreeKeys(f.ctx, &types.MsgRecordEvents{Reporter: reporterA.String(), DealerId: dealerA, Records: []types.RecordInput{in}})
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
}

// TestRecordTreeKeysRefused: no keys for a message its block would refuse
// before appending anything (a stranger, a reporter of another dealer, an
// unknown dealer, an address that is not one, a VIN that is not one, more
// records than a batch may hold), so
// that nobody can make a node read for free; two keys a record otherwise.
func TestRecordTreeKeysRefused(t *testing.T) {
	f := setup(t)
	records := []types.RecordInput{mileage(accord, 10, day(3)), mileage(golf, 10, day(3))}
	msg := func(reporter, dealer string, recs ...types.RecordInput) *types.MsgRecordEvents {
		return &types.MsgRecordEvents{Reporter: reporter, DealerId: dealer, Records: recs}
	}
	keys, err := f.k.RecordTreeKeys(f.ctx, msg(reporterA.String(), dealerA, records...))
	require.NoError(t, err)
	require.Len(t, keys, 4)
	shouting, err := f.k.RecordTreeKeys(f.ctx, msg(strings.ToUpper(reporterA.String()), dealerA, records...))
	require.NoError(t, err)
	require.Equal(t, keys, shouting, "upper-case bech32 names the same reporter, as the block reads it")

	params, err := f.k.Params.Get(f.ctx)
	require.NoError(t, err)
	tooMany := make([]types.RecordInput, params.MaxRecordsPerBatch+1)
	for i := range tooMany {
		tooMany[i] = mileage(accord, uint64(i), day(3))
	}

	tests := []struct {
		name string
		msg  *types.MsgRecordEvents
		want error
	}{
		{"stranger", msg(stranger.String(), dealerA, records...), types.ErrUnauthorizedReporter},
		{"reporter of another dealer", msg(reporterB.String(), dealerA, records...), types.ErrUnauthorizedReporter},
		{"unknown dealer", msg(reporterA.String(), "no-such-dealer", records...), types.ErrUnknownDealer},
		{"not an address", msg("cosmos1nope", dealerA, records...), types.ErrInvalidAddress},
		{"not a VIN", msg(reporterA.String(), dealerA, mileage("NOT-A-VIN", 1, day(1))), types.ErrInvalidVIN},
		{"over the batch limit", msg(reporterA.String(), dealerA, tooMany...), types.ErrBatchTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys, err := f.k.RecordTreeKeys(f.ctx, tc.msg)
			require.ErrorIs(t, err, tc.want)
			require.Empty(t, keys)
		})
	}
}
