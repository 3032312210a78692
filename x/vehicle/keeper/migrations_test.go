package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/vinhub/vinhub/x/vehicle/keeper"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// TestMigrate1to2 writes summaries where state version 1 kept them (0x04 ||
// VIN), migrates, and wants the state a version-2 hub writes: every
// summary at the head of its VIN's history, nothing left under 0x04, and
// the next record judged against the moved summary.
func TestMigrate1to2(t *testing.T) {
	f := setup(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 10_000, day(300)), mileage(accord, 20_000, day(200)))
	f.mustSend(t, dealerB, reporterB, mileage(golf, 5_000, day(100)))
	want := all(t, f.ctx, f.k.Vehicles)

	require.Equal(t, 2, f.rewindToVersion1(t))
	_, err := f.queries.Summary(f.ctx, &types.QuerySummaryRequest{Vin: accord})
	require.Error(t, err, "a version-1 state has no summary where version 2 reads it")

	require.NoError(t, keeper.NewMigrator(f.k).Migrate1to2(f.ctx))
	require.Equal(t, want, all(t, f.ctx, f.k.Vehicles))
	f.requireNoLegacySummary(t)
	require.Equal(t, uint64(2), f.summary(t, accord).RecordCount)

	res := f.mustSend(t, dealerA, reporterA, mileage(accord, 15_000, day(50)))
	require.Equal(t, []types.FlagCode{types.FLAG_CODE_ODOMETER_ROLLBACK}, flagCodes(res[0].Flags))
	require.Len(t, f.history(t, accord), 3)

	require.NoError(t, keeper.NewMigrator(f.k).Migrate1to2(f.ctx), "migrating a migrated state changes nothing")
	require.Equal(t, uint64(3), f.summary(t, accord).RecordCount)
}

// TestMigrate1to2AfterEarlyRecords: a node ran this binary on version-1
// state before the upgrade (no plan scheduled) and took a record, which
// started a new summary beside the old one; the migration rebuilds the
// VIN's summary from all its records instead of keeping either.
func TestMigrate1to2AfterEarlyRecords(t *testing.T) {
	records := []types.RecordInput{mileage(accord, 10_000, day(300)), mileage(accord, 20_000, day(200)), mileage(accord, 30_000, day(100))}
	straight := setup(t)
	straight.mustSend(t, dealerA, reporterA, records...)

	f := setup(t)
	f.mustSend(t, dealerA, reporterA, records[:2]...)
	require.Equal(t, 1, f.rewindToVersion1(t))
	f.mustSend(t, dealerA, reporterA, records[2])
	require.Equal(t, uint64(1), f.summary(t, accord).RecordCount, "the early record's summary counts it alone")

	require.NoError(t, keeper.NewMigrator(f.k).Migrate1to2(f.ctx))
	f.requireNoLegacySummary(t)
	require.Equal(t, straight.summary(t, accord), f.summary(t, accord))
	require.Equal(t, all(t, straight.ctx, straight.k.Vehicles), all(t, f.ctx, f.k.Vehicles))
}

// rewindToVersion1 moves every summary to where state version 1 kept it,
// 0x04 || VIN (none left at 0x03 || VIN || 0x00 0x00), and counts them.
func (f fixture) rewindToVersion1(t *testing.T) int {
	t.Helper()
	store := f.ctx.KVStore(f.storeKey)
	moved := 0
	for _, kv := range all(t, f.ctx, f.k.Vehicles) {
		if len(kv.Key.K2()) != 1 {
			continue
		}
		vin := kv.Key.K1()
		store.Set(append(types.LegacySummariesKey.Bytes(), vin...), kv.Value)
		store.Delete(append(append(types.VehiclesKey.Bytes(), vin...), 0x00, 0x00))
		moved++
	}
	return moved
}

func (f fixture) requireNoLegacySummary(t *testing.T) {
	t.Helper()
	iter := storetypes.KVStorePrefixIterator(f.ctx.KVStore(f.storeKey), types.LegacySummariesKey.Bytes())
	defer iter.Close()
	require.False(t, iter.Valid(), "a summary left under the retired prefix")
}
