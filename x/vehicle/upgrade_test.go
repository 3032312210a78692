package vehicle_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/vinhub/vinhub/hub/chainapp"
	"github.com/vinhub/vinhub/x/vehicle"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// TestVehicleStateV2Upgrade: a hub whose x/vehicle state is version 1
// (summaries under 0x04) applies the vehicle-state-v2 upgrade as the
// upgrade module does at a plan's height: the summary moves beside its
// history, the module's stored version becomes 2, and the next record is
// judged against the moved summary.
func TestVehicleStateV2Upgrade(t *testing.T) {
	l := newLink(t, false)
	l.bind()
	l.relay(l.record(mileage(vinA, 41_000, 30), mileage(vinA, 42_500, 10)))

	ctx := l.hub.GetContext()
	store := ctx.KVStore(l.hubApp.GetKey(types.StoreKey))
	summary := append(append(types.VehiclesKey.Bytes(), vinA...), 0x00, 0x00)
	value := store.Get(summary)
	require.NotNil(t, value, "the summary at its version-2 key")
	store.Set(append(types.LegacySummariesKey.Bytes(), vinA...), value)
	store.Delete(summary)
	upgrades := l.hubApp.UpgradeKeeper
	versions, err := upgrades.GetModuleVersionMap(ctx)
	require.NoError(t, err)
	require.EqualValues(t, vehicle.ConsensusVersion, versions[types.ModuleName])
	versions[types.ModuleName] = 1
	require.NoError(t, upgrades.SetModuleVersionMap(ctx, versions))

	require.NoError(t, upgrades.ApplyUpgrade(ctx, upgradetypes.Plan{Name: chainapp.VehicleStateV2Upgrade, Height: ctx.BlockHeight()}))
	require.Equal(t, value, store.Get(summary), "the summary's bytes, moved unchanged")
	iter := storetypes.KVStorePrefixIterator(store, types.LegacySummariesKey.Bytes())
	require.False(t, iter.Valid(), "a summary left under the retired prefix")
	require.NoError(t, iter.Close())
	versions, err = upgrades.GetModuleVersionMap(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 2, versions[types.ModuleName])

	res := l.relay(l.record(mileage(vinA, 40_000, 5))).GetRecordBatch().GetResults()
	require.Len(t, res, 1)
	require.Equal(t, types.RECORD_OUTCOME_FLAGGED, res[0].Outcome, "a rollback against the moved summary")
	require.Len(t, l.hubHistory(vinA), 3)
}
