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
// history (vehicles.go). The summaries' bytes are unchanged.
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
		if err := m.k.Vehicles.Set(ctx, summaryKey(kv.Key), kv.Value); err != nil {
			return fmt.Errorf("move summary of %s: %w", kv.Key, err)
		}
		if err := legacy.Remove(ctx, kv.Key); err != nil {
			return fmt.Errorf("remove old summary of %s: %w", kv.Key, err)
		}
	}
	return nil
}
