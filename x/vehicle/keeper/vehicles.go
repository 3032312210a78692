package keeper

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// A VIN's entries in Vehicles (docs/spec/vehicle-state.md, prefix 0x03):
//
//   - (VIN, 0x00): its VehicleSummary. One byte sorts before every 16-byte
//     history key, so the summary is the first entry of the VIN's range; it
//     is not the range's prefix itself (VIN, empty), which an auditor's walk
//     of the range proves absent (audit.Range).
//   - (VIN, HistoryKey(occurred_at, id)): one record's odometer reading,
//     uint64 big-endian (collections.Uint64Value), in time order.
//
// Summaries and history lived under two prefixes in state version 1: on a
// hub with many cars, a record then read and rewrote one cold path of the
// tree for its summary and another for its history entry. Here the record's
// new history entry sits a few leaves from its summary.

// summarySuffix is the second half of a summary's key.
var summarySuffix = []byte{0x00}

// summaryKey is where a VIN's summary is kept.
func summaryKey(vin string) collections.Pair[string, []byte] {
	return collections.Join(vin, summarySuffix)
}

// isSummaryKey tells a VIN's summary entry from its history entries.
func isSummaryKey(key collections.Pair[string, []byte]) bool {
	return bytes.Equal(key.K2(), summarySuffix)
}

// GetSummary returns a VIN's summary; collections.ErrNotFound when the VIN
// has no records.
func (k Keeper) GetSummary(ctx context.Context, vin string) (types.VehicleSummary, error) {
	bz, err := k.Vehicles.Get(ctx, summaryKey(vin))
	if err != nil {
		return types.VehicleSummary{}, err
	}
	var s types.VehicleSummary
	if err := k.cdc.Unmarshal(bz, &s); err != nil {
		return types.VehicleSummary{}, fmt.Errorf("decode summary of %s: %w", vin, err)
	}
	return s, nil
}

// summary returns a VIN's summary, or an empty one if the VIN has no records yet.
func (k Keeper) summary(ctx context.Context, vin string) (types.VehicleSummary, error) {
	summary, err := k.GetSummary(ctx, vin)
	if errors.Is(err, collections.ErrNotFound) {
		return types.VehicleSummary{Vin: vin}, nil
	}
	if err != nil {
		return types.VehicleSummary{}, fmt.Errorf("summary of %s: %w", vin, err)
	}
	return summary, nil
}

// hasSummary reports whether a VIN has records.
func (k Keeper) hasSummary(ctx context.Context, vin string) (bool, error) {
	return k.Vehicles.Has(ctx, summaryKey(vin))
}

// setSummary stores vin's summary.
func (k Keeper) setSummary(ctx context.Context, vin string, s types.VehicleSummary) error {
	bz, err := k.cdc.Marshal(&s)
	if err != nil {
		return fmt.Errorf("encode summary of %s: %w", vin, err)
	}
	return k.Vehicles.Set(ctx, summaryKey(vin), bz)
}

// setReading indexes one record in its VIN's history.
func (k Keeper) setReading(ctx context.Context, rec types.Record) error {
	km, err := collections.Uint64Value.Encode(rec.Input.OdometerKm)
	if err != nil {
		return fmt.Errorf("encode reading of record %d: %w", rec.Id, err)
	}
	return k.Vehicles.Set(ctx, collections.Join(rec.Input.Vin, HistoryKey(rec.Input.OccurredAt, rec.Id)), km)
}

// walkHistory calls fn with each history entry of a VIN, in time order,
// until fn stops it: the entry's HistoryKey and odometer reading.
func (k Keeper) walkHistory(ctx context.Context, vin string, fn func(key []byte, km uint64) (stop bool, err error)) error {
	rng := collections.NewPrefixedPairRange[string, []byte](vin).StartExclusive(summarySuffix)
	return k.Vehicles.Walk(ctx, rng, func(key collections.Pair[string, []byte], value []byte) (bool, error) {
		km, err := decodeReading(value)
		if err != nil {
			return true, fmt.Errorf("history entry %x of %s: %w", key.K2(), vin, err)
		}
		return fn(key.K2(), km)
	})
}

// decodeReading decodes a history entry's odometer reading.
func decodeReading(value []byte) (uint64, error) {
	return collections.Uint64Value.Decode(value)
}

// endAtSummary ends a page of a VIN's history whose next key is the VIN's
// summary (relative to the VIN's prefix, as the SDK's pagination gives it):
// a newest-first page that reached the oldest record would otherwise send
// the client for one more, empty page.
func endAtSummary(page *query.PageResponse) {
	if page != nil && bytes.Equal(page.NextKey, summarySuffix) {
		page.NextKey = nil
	}
}
