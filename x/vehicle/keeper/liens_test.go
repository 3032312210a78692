package keeper_test

import (
	"bytes"
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

var (
	lenderA = mustBech32("cosmos", 0x1a)
	lenderB = mustBech32("dealerb", 0x1b) // a dealer chain's own prefix
	lenderH = mustBech32("cosmos", 0x1c)

	holderA = types.LienHolder{ChainId: "dealer-a", DealerId: dealerA, Lender: lenderA, Reference: "12"}
	holderB = types.LienHolder{ChainId: "dealer-b", DealerId: dealerB, Lender: lenderB, Reference: "4"}
	holderH = types.LienHolder{Module: "asset", Lender: lenderH, Reference: "loan/3"}
)

func mustBech32(hrp string, b byte) string {
	s, err := bech32.ConvertAndEncode(hrp, bytes.Repeat([]byte{b}, 20))
	if err != nil {
		panic(err)
	}
	return s
}

// activeLienID returns the VIN's active lien id from the store, 0 if none.
func activeLienID(t *testing.T, f fixture, vin string) uint64 {
	t.Helper()
	l, found, err := f.k.ActiveLien(f.ctx, vin)
	require.NoError(t, err)
	if !found {
		return 0
	}
	return l.Id
}

func TestGrantLien(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(t *testing.T, f fixture)
		vin      string
		holder   types.LienHolder
		wantErr  error
		// wantMsg is part of the error message: refusals must say where the lien is held.
		wantMsg string
		wantID  uint64
	}{
		{name: "dealer lien on a free VIN", vin: accord, holder: holderA, wantID: 1},
		{name: "hub lien on a free VIN, lower case", vin: "1hgcm82633a004352", holder: holderH, wantID: 1},
		{name: "non North-American VIN with a wrong check digit", vin: golf, holder: holderB, wantID: 1},
		{
			name: "held by a dealer on another chain",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
			},
			vin: accord, holder: holderB, wantErr: types.ErrLienHeld,
			wantMsg: `VIN 1HGCM82633A004352 already has active lien 1 held by dealer "alpha-motors" on chain dealer-a (lender ` + lenderA + `, reference 12)`,
		},
		{
			name: "held by a hub module",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderH)
				require.NoError(t, err)
			},
			vin: accord, holder: holderA, wantErr: types.ErrLienHeld,
			wantMsg: `already has active lien 1 held by module asset on the hub (lender ` + lenderH + `, reference loan/3)`,
		},
		{
			name: "the holder itself asks twice",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
			},
			vin: accord, holder: holderA, wantErr: types.ErrLienHeld,
		},
		{
			name: "granted again after release",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
				_, err = f.k.ReleaseLien(f.ctx, 1, holderA, "repaid")
				require.NoError(t, err)
			},
			vin: accord, holder: holderB, wantID: 2,
		},
		{name: "North-American VIN with a wrong check digit", vin: "1HGCM82643A004352", holder: holderA, wantErr: types.ErrInvalidVIN},
		{name: "too short", vin: "1HGCM8263", holder: holderA, wantErr: types.ErrInvalidVIN},
		{name: "letter O", vin: "1HGCM82633O004352", holder: holderA, wantErr: types.ErrInvalidVIN},
		{name: "no lender", vin: accord, holder: types.LienHolder{Module: "asset"}, wantErr: types.ErrInvalidLien, wantMsg: "lender is required"},
		{name: "lender not bech32", vin: accord, holder: types.LienHolder{Module: "asset", Lender: "bank-of-x"}, wantErr: types.ErrInvalidLien},
		{name: "hub holder without module", vin: accord, holder: types.LienHolder{Lender: lenderH}, wantErr: types.ErrInvalidLien, wantMsg: "needs a module name"},
		{name: "hub holder naming a dealer", vin: accord, holder: types.LienHolder{Module: "asset", DealerId: dealerA, Lender: lenderH}, wantErr: types.ErrInvalidLien},
		{name: "dealer holder naming a module", vin: accord, holder: types.LienHolder{ChainId: "dealer-a", DealerId: dealerA, Module: "asset", Lender: lenderA}, wantErr: types.ErrInvalidLien},
		{name: "dealer holder with a bad dealer id", vin: accord, holder: types.LienHolder{ChainId: "dealer-a", DealerId: "Alpha Motors", Lender: lenderA}, wantErr: types.ErrInvalidLien},
		{name: "reference with spaces", vin: accord, holder: types.LienHolder{Module: "asset", Lender: lenderH, Reference: "loan 3"}, wantErr: types.ErrInvalidLien},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			if tc.malleate != nil {
				tc.malleate(t, f)
			}
			heldBefore := activeLienID(t, f, accord)
			nextBefore, err := f.k.NextLienID.Peek(f.ctx)
			require.NoError(t, err)

			lien, err := f.k.GrantLien(f.ctx, tc.vin, tc.holder)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				if tc.wantMsg != "" {
					require.ErrorContains(t, err, tc.wantMsg)
				}
				require.Equal(t, heldBefore, activeLienID(t, f, accord), "a refusal changes no lien")
				nextAfter, err := f.k.NextLienID.Peek(f.ctx)
				require.NoError(t, err)
				require.Equal(t, nextBefore, nextAfter)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.wantID, lien.Id)
			parsed, err := types.ParseVIN(tc.vin)
			require.NoError(t, err)
			require.Equal(t, parsed.Value, lien.Vin)
			require.Equal(t, tc.holder, lien.Holder)
			require.Equal(t, types.LIEN_STATUS_ACTIVE, lien.Status)
			require.Equal(t, int64(100), lien.GrantedHeight)
			require.True(t, blockTime.Equal(lien.GrantedAt))

			stored, err := f.k.Lien(f.ctx, lien.Id)
			require.NoError(t, err)
			require.Equal(t, lien, stored)
			active, found, err := f.k.ActiveLien(f.ctx, tc.vin)
			require.NoError(t, err)
			require.True(t, found)
			require.Equal(t, lien, active)
		})
	}
}

func TestReleaseLien(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(t *testing.T, f fixture)
		id       uint64
		by       types.LienHolder
		wantErr  error
		wantMsg  string
		// wantActive is the VIN's active lien id afterwards (0: none).
		wantActive uint64
		// wantReason is the release reason stored (the first release's on a retry).
		wantReason string
	}{
		{name: "by its holder", id: 1, by: holderA, wantReason: "repaid"},
		{
			name: "by its holder, lender and reference not compared",
			id:   1, by: types.LienHolder{ChainId: holderA.ChainId, DealerId: holderA.DealerId}, wantReason: "repaid",
		},
		{
			name: "by a dealer on another chain", id: 1, by: holderB, wantErr: types.ErrNotLienHolder, wantActive: 1,
			wantMsg: `lien 1 on VIN 1HGCM82633A004352 is held by dealer "alpha-motors" on chain dealer-a`,
		},
		{
			name: "by the same dealer id over another chain", id: 1,
			by:      types.LienHolder{ChainId: "dealer-x", DealerId: dealerA},
			wantErr: types.ErrNotLienHolder, wantActive: 1,
		},
		{name: "by a hub module", id: 1, by: holderH, wantErr: types.ErrNotLienHolder, wantActive: 1},
		{
			name: "already released: idempotent, first reason kept",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.ReleaseLien(f.ctx, 1, holderA, "sold")
				require.NoError(t, err)
			},
			id: 1, by: holderA, wantReason: "sold",
		},
		{
			name: "already released, by a stranger",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.ReleaseLien(f.ctx, 1, holderA, "sold")
				require.NoError(t, err)
			},
			id: 1, by: holderB, wantErr: types.ErrNotLienHolder,
		},
		{name: "unknown id", id: 99, by: holderA, wantErr: types.ErrLienNotFound, wantMsg: "no lien with id 99", wantActive: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			_, err := f.k.GrantLien(f.ctx, accord, holderA)
			require.NoError(t, err)
			if tc.malleate != nil {
				tc.malleate(t, f)
			}
			before, err := f.k.Lien(f.ctx, 1)
			require.NoError(t, err)

			lien, err := f.k.ReleaseLien(f.ctx, tc.id, tc.by, "repaid")
			require.Equal(t, tc.wantActive, activeLienID(t, f, accord))
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.ErrorContains(t, err, tc.wantMsg)
				after, err := f.k.Lien(f.ctx, 1)
				require.NoError(t, err)
				require.Equal(t, before, after, "a refused release changes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, types.LIEN_STATUS_RELEASED, lien.Status)
			require.Equal(t, tc.wantReason, lien.ReleaseReason)
			require.Equal(t, int64(100), lien.ReleasedHeight)
			require.NotNil(t, lien.ReleasedAt)
			require.Equal(t, holderA, lien.Holder)
			stored, err := f.k.Lien(f.ctx, 1)
			require.NoError(t, err)
			require.Equal(t, lien, stored, "released liens are kept")
		})
	}
}

func TestLienEvents(t *testing.T) {
	f := setup(t)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	_, err := f.k.GrantLien(f.ctx, accord, holderA)
	require.NoError(t, err)
	_, err = f.k.GrantLien(f.ctx, accord, holderB)
	require.ErrorIs(t, err, types.ErrLienHeld)
	_, err = f.k.ReleaseLien(f.ctx, 1, holderA, "repaid")
	require.NoError(t, err)
	var got []string
	for _, ev := range f.ctx.EventManager().Events() {
		got = append(got, ev.Type)
	}
	require.Equal(t, []string{
		"vinhub.vehicle.v1.EventLienGranted",
		"vinhub.vehicle.v1.EventLienRefused",
		"vinhub.vehicle.v1.EventLienReleased",
	}, got)
}

func TestHasVehicle(t *testing.T) {
	f := setup(t)
	f.mustSend(t, dealerA, reporterA, mileage(accord, 1_000, day(1)))
	has, err := f.k.HasVehicle(f.ctx, "1hgcm82633a004352")
	require.NoError(t, err)
	require.True(t, has)
	has, err = f.k.HasVehicle(f.ctx, golf)
	require.NoError(t, err)
	require.False(t, has)
	_, err = f.k.HasVehicle(f.ctx, "short")
	require.ErrorIs(t, err, types.ErrInvalidVIN)
}

// TestLienGenesisRoundTrip: active and released liens survive export and
// import, the indexes are rebuilt, and ids go on where they stopped.
func TestLienGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	_, err := f.k.GrantLien(f.ctx, accord, holderA)
	require.NoError(t, err)
	_, err = f.k.ReleaseLien(f.ctx, 1, holderA, "repaid")
	require.NoError(t, err)
	_, err = f.k.GrantLien(f.ctx, accord, holderH)
	require.NoError(t, err)
	_, err = f.k.GrantLien(f.ctx, golf, holderB)
	require.NoError(t, err)

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Liens, 3)
	require.Equal(t, uint64(4), gs.NextLienId)

	fresh := newFixture(t)
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *gs))
	reexported, err := fresh.k.ExportGenesis(fresh.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, reexported)
	require.Equal(t, all(t, f.ctx, f.k.ActiveLiens), all(t, fresh.ctx, fresh.k.ActiveLiens))
	require.Equal(t, keys(t, f, f.k.LiensByVIN), keys(t, fresh, fresh.k.LiensByVIN))
	require.Equal(t, keys(t, f, f.k.LiensByHolder), keys(t, fresh, fresh.k.LiensByHolder))
	require.Equal(t, keys(t, f, f.k.LiensByLender), keys(t, fresh, fresh.k.LiensByLender))
	require.Equal(t, uint64(2), activeLienID(t, fresh, accord))

	_, err = fresh.k.GrantLien(fresh.ctx, accord, holderB)
	require.ErrorIs(t, err, types.ErrLienHeld, "the imported active lien still holds")
	_, err = fresh.k.ReleaseLien(fresh.ctx, 2, holderH, "repaid")
	require.NoError(t, err)
	lien, err := fresh.k.GrantLien(fresh.ctx, accord, holderB)
	require.NoError(t, err)
	require.Equal(t, uint64(4), lien.Id)
}

func TestLienGenesisValidate(t *testing.T) {
	f := setup(t)
	_, err := f.k.GrantLien(f.ctx, accord, holderA)
	require.NoError(t, err)
	_, err = f.k.ReleaseLien(f.ctx, 1, holderA, "repaid")
	require.NoError(t, err)
	_, err = f.k.GrantLien(f.ctx, accord, holderH)
	require.NoError(t, err)
	good, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, good.Validate())

	tests := []struct {
		name     string
		malleate func(gs *types.GenesisState)
	}{
		{"two active liens on one VIN", func(gs *types.GenesisState) {
			gs.Liens[0].Status, gs.Liens[0].ReleasedAt, gs.Liens[0].ReleasedHeight, gs.Liens[0].ReleaseReason = types.LIEN_STATUS_ACTIVE, nil, 0, ""
		}},
		{"duplicate id", func(gs *types.GenesisState) { gs.Liens[1].Id = 1 }},
		{"id not below next_lien_id", func(gs *types.GenesisState) { gs.NextLienId = 2 }},
		{"zero id", func(gs *types.GenesisState) { gs.Liens[0].Id = 0 }},
		{"bad VIN", func(gs *types.GenesisState) { gs.Liens[1].Vin = "1HGCM82643A004352" }},
		{"VIN not canonical", func(gs *types.GenesisState) { gs.Liens[1].Vin = "1hgcm82633a004352" }},
		{"unknown status", func(gs *types.GenesisState) { gs.Liens[1].Status = 7 }},
		{"released without a time", func(gs *types.GenesisState) { gs.Liens[0].ReleasedAt = nil }},
		{"unknown dealer", func(gs *types.GenesisState) { gs.Liens[0].Holder.DealerId = "ghost" }},
		{"invalid holder", func(gs *types.GenesisState) { gs.Liens[1].Holder.Lender = "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			tc.malleate(gs)
			require.ErrorIs(t, gs.Validate(), types.ErrInvalidGenesis)
			require.ErrorIs(t, newFixture(t).k.InitGenesis(f.ctx, *gs), types.ErrInvalidGenesis)
		})
	}
}

func keys[K any](t *testing.T, f fixture, set collections.KeySet[K]) []K {
	t.Helper()
	iter, err := set.Iterate(f.ctx, nil)
	require.NoError(t, err)
	ks, err := iter.Keys()
	require.NoError(t, err)
	return ks
}
