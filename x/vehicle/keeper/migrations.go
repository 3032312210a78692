package keeper

import (
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// Migrator moves the module's state from one consensus version to the next.
type Migrator struct{ k Keeper }

// NewMigrator returns the migrator of k's state.
func NewMigrator(k Keeper) Migrator { return Migrator{k: k} }

// Migrate1to2 moves every VIN's summary from 0x04 || VIN, where state
// version 1 kept it, to (VIN, 0x00) under 0x03, at the head of the VIN's
// history (vehicles.go), its bytes unchanged. A VIN that already has a
// summary there got records from this binary before the upgrade ran (a node
// started on it without the upgrade plan): neither summary counts every
// record, so the VIN's summary is rebuilt from its records, as genesis
// import would.
func (m Migrator) Migrate1to2(ctx sdk.Context) error {
	// A map over the retired prefix, built outside the keeper's schema: the
	// keeper no longer declares it.
	legacy := collections.NewMap(collections.NewSchemaBuilder(m.k.storeService), types.LegacySummariesKey,
		"legacy_summaries", collections.StringKey, collections.BytesValue)
	iter, err := legacy.Iterate(ctx, nil)
	if err != nil {
		return fmt.Errorf("summaries of state version 1: %w", err)
	}
	kvs, err := iter.KeyValues()
	if err != nil {
		return fmt.Errorf("summaries of state version 1: %w", err)
	}
	for _, kv := range kvs {
		if err := m.moveSummary(ctx, kv.Key, kv.Value); err != nil {
			return err
		}
		if err := legacy.Remove(ctx, kv.Key); err != nil {
			return fmt.Errorf("remove old summary of %s: %w", kv.Key, err)
		}
	}
	return nil
}

// moveSummary writes a version-1 summary of vin at its version-2 key, or
// rebuilds vin's summary when one is there already.
func (m Migrator) moveSummary(ctx sdk.Context, vin string, summary []byte) error {
	written, err := m.k.hasSummary(ctx, vin)
	if err != nil {
		return fmt.Errorf("summary of %s: %w", vin, err)
	}
	if written {
		return m.k.recomputeSummary(ctx, vin)
	}
	if err := m.k.Vehicles.Set(ctx, summaryKey(vin), summary); err != nil {
		return fmt.Errorf("move summary of %s: %w", vin, err)
	}
	return nil
}
