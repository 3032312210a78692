package keeper_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/vinhub/vinhub/x/vehicle/keeper"
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

// seedLiens grants lien 1 on the accord to dealer A and releases it, then
// grants lien 2 on the accord to the hub's asset module and 3 on the golf to dealer B.
func seedLiens(t *testing.T, f fixture) {
	t.Helper()
	_, err := f.k.GrantLien(f.ctx, accord, holderA)
	require.NoError(t, err)
	_, err = f.k.ReleaseLien(f.ctx, 1, holderA, "repaid")
	require.NoError(t, err)
	_, err = f.k.GrantLien(f.ctx, accord, holderH)
	require.NoError(t, err)
	_, err = f.k.GrantLien(f.ctx, golf, holderB)
	require.NoError(t, err)
}

// TestLienGenesisRoundTrip: active and released liens survive export and
// import, the indexes are rebuilt, and ids go on where they stopped.
func TestLienGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	seedLiens(t, f)
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
	seedLiens(t, f)
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

// Hub routes of the two dealer chains in the receive tests.
var (
	routeA = types.NewClientRoute("07-tendermint-3")
	routeB = types.NewChannelRoute("channel-8")
)

// bindDealers binds dealer A over routeA (chain dealer-a) and B over routeB
// (chain dealer-b), as MsgBindDealer would after reading the light clients.
func bindDealers(t *testing.T, f fixture) {
	t.Helper()
	for _, b := range []types.DealerBinding{
		{DealerId: dealerA, Route: routeA, ChainId: "dealer-a", BoundHeight: 1},
		{DealerId: dealerB, Route: routeB, ChainId: "dealer-b", BoundHeight: 1},
	} {
		require.NoError(t, f.k.Bindings.Set(f.ctx, collections.Join(b.Route.Key(), b.DealerId), b))
	}
}

func lienRequestData(t *testing.T, dealer, vin, lender, reference string) []byte {
	t.Helper()
	d := types.NewLienRequestPacketData(types.LienRequestPacket{DealerId: dealer, Vin: vin, Lender: lender, Reference: reference})
	bz, err := d.Marshal()
	require.NoError(t, err)
	return bz
}

func lienReleaseData(t *testing.T, dealer string, lienID uint64) []byte {
	t.Helper()
	d := types.NewLienReleasePacketData(types.LienReleasePacket{DealerId: dealer, LienId: lienID, Reason: "repaid"})
	bz, err := d.Marshal()
	require.NoError(t, err)
	return bz
}

// TestReceiveLienPackets runs the hub's receive path on lien packets: the
// binding decides the holder's chain, a held VIN is an answer naming the
// holder, and refused packets change nothing.
func TestReceiveLienPackets(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(t *testing.T, f fixture)
		route    types.Route
		data     func(t *testing.T) []byte
		// check inspects the acknowledgement of a packet the hub applied.
		check   func(t *testing.T, ack *types.VehicleAcknowledgement)
		wantErr error
		// wantActive is the accord's active lien id afterwards.
		wantActive uint64
	}{
		{
			name: "request granted", route: routeA,
			data: func(t *testing.T) []byte { return lienRequestData(t, dealerA, accord, lenderA, "12") },
			check: func(t *testing.T, ack *types.VehicleAcknowledgement) {
				require.Equal(t, &types.LienRequestAck{Granted: true, LienId: 1, Holder: holderA}, ack.GetLienRequest(),
					"the holder's chain is the binding's, the reference the dealer chain's request id")
			},
			wantActive: 1,
		},
		{
			name: "request refused: held by a dealer of another chain",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
			},
			route: routeB,
			data:  func(t *testing.T) []byte { return lienRequestData(t, dealerB, accord, lenderB, "4") },
			check: func(t *testing.T, ack *types.VehicleAcknowledgement) {
				require.True(t, ack.Success(), "a refusal is an answer, not an error acknowledgement")
				res := ack.GetLienRequest()
				require.False(t, res.Granted)
				require.Equal(t, uint64(1), res.LienId)
				require.Equal(t, holderA, res.Holder)
				require.Contains(t, res.RefusedReason, `held by dealer "alpha-motors" on chain dealer-a`)
			},
			wantActive: 1,
		},
		{
			name: "request refused: held by a hub module",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderH)
				require.NoError(t, err)
			},
			route: routeA,
			data:  func(t *testing.T) []byte { return lienRequestData(t, dealerA, accord, lenderA, "13") },
			check: func(t *testing.T, ack *types.VehicleAcknowledgement) {
				require.Contains(t, ack.GetLienRequest().RefusedReason, "held by module asset on the hub")
			},
			wantActive: 1,
		},
		{
			name: "request from a dealer not bound to the route", route: routeA,
			data:    func(t *testing.T) []byte { return lienRequestData(t, dealerB, accord, lenderB, "4") },
			wantErr: types.ErrDealerNotBound,
		},
		{
			name: "request over a route nobody is bound to", route: types.NewChannelRoute("channel-99"),
			data:    func(t *testing.T) []byte { return lienRequestData(t, dealerA, accord, lenderA, "4") },
			wantErr: types.ErrUnboundRoute,
		},
		{
			name:     "request from a revoked dealer",
			malleate: func(t *testing.T, f fixture) { require.NoError(t, f.k.RevokeDealer(f.ctx, dealerA)) },
			route:    routeA,
			data:     func(t *testing.T) []byte { return lienRequestData(t, dealerA, accord, lenderA, "4") },
			wantErr:  types.ErrDealerRevoked,
		},
		{
			name: "request with a bad VIN", route: routeA,
			data:    func(t *testing.T) []byte { return lienRequestData(t, dealerA, "1HGCM82643A004352", lenderA, "4") },
			wantErr: types.ErrInvalidPacketData,
		},
		{
			name: "release by its holder",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
			},
			route: routeA,
			data:  func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 1) },
			check: func(t *testing.T, ack *types.VehicleAcknowledgement) {
				require.Equal(t, &types.LienReleaseAck{LienId: 1, Released: true}, ack.GetLienRelease())
			},
		},
		{
			name: "release again: idempotent",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
				_, err = f.k.ReleaseLien(f.ctx, 1, holderA, "sold")
				require.NoError(t, err)
			},
			route: routeA,
			data:  func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 1) },
			check: func(t *testing.T, ack *types.VehicleAcknowledgement) {
				require.Equal(t, &types.LienReleaseAck{LienId: 1, Released: true, AlreadyReleased: true}, ack.GetLienRelease())
			},
		},
		{
			name: "release by a revoked dealer is still allowed",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
				require.NoError(t, f.k.RevokeDealer(f.ctx, dealerA))
			},
			route: routeA,
			data:  func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 1) },
			check: func(t *testing.T, ack *types.VehicleAcknowledgement) { require.True(t, ack.GetLienRelease().Released) },
		},
		{
			name: "release of another dealer's lien",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
			},
			route: routeB, data: func(t *testing.T) []byte { return lienReleaseData(t, dealerB, 1) },
			wantErr: types.ErrNotLienHolder, wantActive: 1,
		},
		{
			name: "release of the same dealer id's lien over another chain",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
				b := types.DealerBinding{DealerId: dealerA, Route: routeB, ChainId: "dealer-b", BoundHeight: 1}
				require.NoError(t, f.k.Bindings.Set(f.ctx, collections.Join(routeB.Key(), dealerA), b))
			},
			route: routeB, data: func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 1) },
			wantErr: types.ErrNotLienHolder, wantActive: 1,
		},
		{
			name: "release of an unknown lien", route: routeA,
			data:    func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 9) },
			wantErr: types.ErrLienNotFound,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			bindDealers(t, f)
			if tc.malleate != nil {
				tc.malleate(t, f)
			}
			before := all(t, f.ctx, f.k.Liens)
			ack := f.k.OnRecvPacket(f.ctx, tc.route, 5, tc.data(t))
			require.Equal(t, tc.wantActive, activeLienID(t, f, accord))
			if tc.wantErr != nil {
				require.NotNil(t, ack.GetError(), "want a refusal")
				require.Equal(t, tc.wantErr.(interface{ ABCICode() uint32 }).ABCICode(), ack.GetError().Code, ack.GetError().Message)
				require.Equal(t, before, all(t, f.ctx, f.k.Liens), "a refused packet changes no lien")
				return
			}
			require.Nil(t, ack.GetError())
			tc.check(t, ack)
		})
	}
}

func TestLienQueries(t *testing.T) {
	f := setup(t)
	grant := func(vin string, h types.LienHolder) types.Lien {
		l, err := f.k.GrantLien(f.ctx, vin, h)
		require.NoError(t, err)
		return l
	}
	first := grant(accord, holderA)
	released, err := f.k.ReleaseLien(f.ctx, first.Id, holderA, "repaid")
	require.NoError(t, err)
	second := grant(accord, holderH)
	third := grant(golf, holderA)
	otherChain := holderA
	otherChain.ChainId, otherChain.Lender = "dealer-x", lenderH
	fourth := grant("1M8GDM9AXKP042788", otherChain)

	ids := func(liens []types.Lien) []uint64 {
		out := []uint64{}
		for _, l := range liens {
			out = append(out, l.Id)
		}
		return out
	}
	tests := []struct {
		name    string
		req     *types.QueryLiensRequest
		want    []uint64
		wantErr codes.Code
	}{
		{name: "all", req: &types.QueryLiensRequest{}, want: []uint64{1, 2, 3, 4}},
		{name: "active only", req: &types.QueryLiensRequest{ActiveOnly: true}, want: []uint64{2, 3, 4}},
		{name: "by dealer over any chain", req: &types.QueryLiensRequest{DealerId: dealerA}, want: []uint64{1, 3, 4}},
		{name: "by dealer and chain", req: &types.QueryLiensRequest{DealerId: dealerA, ChainId: "dealer-a"}, want: []uint64{1, 3}},
		{name: "by dealer, active only", req: &types.QueryLiensRequest{DealerId: dealerA, ChainId: "dealer-a", ActiveOnly: true}, want: []uint64{3}},
		{name: "by chain alone", req: &types.QueryLiensRequest{ChainId: "dealer-x"}, want: []uint64{4}},
		{name: "by hub module", req: &types.QueryLiensRequest{Module: "asset"}, want: []uint64{2}},
		{name: "by lender", req: &types.QueryLiensRequest{Lender: lenderH}, want: []uint64{2, 4}},
		{name: "by lender and dealer", req: &types.QueryLiensRequest{Lender: lenderH, DealerId: dealerA}, want: []uint64{4}},
		{name: "a dealer with none", req: &types.QueryLiensRequest{DealerId: dealerB}, want: []uint64{}},
		{name: "dealer and module", req: &types.QueryLiensRequest{DealerId: dealerA, Module: "asset"}, wantErr: codes.InvalidArgument},
		{name: "module and chain", req: &types.QueryLiensRequest{Module: "asset", ChainId: "dealer-a"}, wantErr: codes.InvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := f.queries.Liens(f.ctx, tc.req)
			if tc.wantErr != codes.OK {
				require.Equal(t, tc.wantErr, status.Code(err))
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, ids(res.Liens))
		})
	}

	t.Run("paged by holder", func(t *testing.T) {
		page1, err := f.queries.Liens(f.ctx, &types.QueryLiensRequest{DealerId: dealerA, Pagination: &query.PageRequest{Limit: 2}})
		require.NoError(t, err)
		require.Len(t, page1.Liens, 2)
		page2, err := f.queries.Liens(f.ctx, &types.QueryLiensRequest{DealerId: dealerA, Pagination: &query.PageRequest{Key: page1.Pagination.NextKey, Limit: 2}})
		require.NoError(t, err)
		require.Len(t, page2.Liens, 1)
		require.ElementsMatch(t, []uint64{1, 3, 4}, append(ids(page1.Liens), ids(page2.Liens)...))
	})

	t.Run("lien by id", func(t *testing.T) {
		res, err := f.queries.Lien(f.ctx, &types.QueryLienRequest{Id: 1})
		require.NoError(t, err)
		require.Equal(t, released, res.Lien)
		_, err = f.queries.Lien(f.ctx, &types.QueryLienRequest{Id: 99})
		require.Equal(t, codes.NotFound, status.Code(err))
	})

	t.Run("lien by VIN: active and history", func(t *testing.T) {
		res, err := f.queries.LienByVIN(f.ctx, &types.QueryLienByVINRequest{Vin: "1hgcm82633a004352"})
		require.NoError(t, err)
		require.Equal(t, &second, res.Active)
		require.Equal(t, []types.Lien{released, second}, res.Liens)

		res, err = f.queries.LienByVIN(f.ctx, &types.QueryLienByVINRequest{Vin: golf})
		require.NoError(t, err)
		require.Equal(t, &third, res.Active)

		res, err = f.queries.LienByVIN(f.ctx, &types.QueryLienByVINRequest{Vin: "11111111111111111"})
		require.NoError(t, err)
		require.Nil(t, res.Active)
		require.Empty(t, res.Liens)

		res, err = f.queries.LienByVIN(f.ctx, &types.QueryLienByVINRequest{Vin: "1M8GDM9AXKP042788"})
		require.NoError(t, err)
		require.Equal(t, []types.Lien{fourth}, res.Liens)
	})
}

// recordingHooks records what the credit hooks are told; fail makes them fail after writing.
type recordingHooks struct {
	calls []string
	fail  bool
	k     keeper.Keeper
}

func (h *recordingHooks) AfterDealerRecordFlagged(ctx context.Context, account sdk.AccAddress, dealerID string, recordID uint64) error {
	h.calls = append(h.calls, fmt.Sprintf("%s %s %d", account, dealerID, recordID))
	if h.fail {
		// A write the failure must not keep.
		if err := h.k.Params.Set(ctx, types.Params{}); err != nil {
			return err
		}
		return errors.New("credit store unavailable")
	}
	return nil
}

func TestFlaggedRecordsAndCreditHooks(t *testing.T) {
	dealerAccount := sdk.AccAddress(bytes.Repeat([]byte{0xd1}, 20))
	tests := []struct {
		name      string
		account   sdk.AccAddress
		fail      bool
		wantCalls []string
	}{
		{name: "dealer with an account", account: dealerAccount, wantCalls: []string{dealerAccount.String() + " " + dealerB + " 2"}},
		{name: "dealer without an account: hooks not called", wantCalls: nil},
		{name: "failing hook: record kept, hook writes dropped", account: dealerAccount, fail: true, wantCalls: []string{dealerAccount.String() + " " + dealerB + " 2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			// The msg server holds a copy of the keeper made before the hooks are
			// set, as the IBC modules do on the hub: it must see them anyway.
			hooks := &recordingHooks{fail: tc.fail, k: f.k}
			if tc.account != nil {
				_, err := f.msgs.RegisterDealer(f.ctx, &types.MsgRegisterDealer{Authority: f.authority, DealerId: dealerB, Name: "Beta", Account: tc.account.String()})
				require.NoError(t, err)
			}
			f.k.SetCreditHooks(hooks)
			require.Panics(t, func() { f.k.SetCreditHooks(hooks) }, "hooks are set once")
			params, err := f.k.Params.Get(f.ctx)
			require.NoError(t, err)

			// A rollback against the dealer's own reading counts against it at
			// once; one against another dealer's is a dispute (disputes_test.go).
			f.mustSend(t, dealerB, reporterB, mileage(accord, 120_000, day(30)))
			res := f.mustSend(t, dealerB, reporterB, mileage(accord, 45_000, day(10))) // rollback: flagged
			require.NotEmpty(t, res[0].Flags)
			require.Equal(t, tc.wantCalls, hooks.calls)

			after, err := f.k.Params.Get(f.ctx)
			require.NoError(t, err)
			require.Equal(t, params, after, "a failing hook's writes are dropped")
			var failed int
			for _, ev := range f.ctx.EventManager().Events() {
				if ev.Type == "vinhub.vehicle.v1.EventCreditHookFailed" {
					failed++
				}
			}
			require.Equal(t, map[bool]int{true: 1, false: 0}[tc.fail], failed)

			flagged, err := f.queries.FlaggedRecords(f.ctx, &types.QueryFlaggedRecordsRequest{DealerId: dealerB})
			require.NoError(t, err)
			require.Len(t, flagged.Records, 1)
			require.Equal(t, uint64(2), flagged.Records[0].Id)
			none, err := f.queries.FlaggedRecords(f.ctx, &types.QueryFlaggedRecordsRequest{DealerId: dealerA})
			require.NoError(t, err)
			require.Empty(t, none.Records)

			// The index is rebuilt from the records on import.
			gs, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			fresh := newFixture(t)
			require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *gs))
			require.Equal(t, keys(t, f, f.k.FlaggedRecords), keys(t, fresh, fresh.k.FlaggedRecords))
		})
	}
}

func TestRegisterDealerAccount(t *testing.T) {
	f := setup(t)
	account := sdk.AccAddress(bytes.Repeat([]byte{0xd1}, 20)).String()
	_, err := f.msgs.RegisterDealer(f.ctx, &types.MsgRegisterDealer{Authority: f.authority, DealerId: dealerA, Name: "Alpha", Account: account})
	require.NoError(t, err)
	_, err = f.msgs.RegisterDealer(f.ctx, &types.MsgRegisterDealer{Authority: f.authority, DealerId: dealerA, Name: "Alpha Motors"})
	require.NoError(t, err)
	d, err := f.k.Dealers.Get(f.ctx, dealerA)
	require.NoError(t, err)
	require.Equal(t, "Alpha Motors", d.Name)
	require.Equal(t, account, d.Account, "a rename keeps the account")

	require.ErrorIs(t, f.k.RegisterDealerWithAccount(f.ctx, dealerA, "Alpha", "dealer1notanaddress"), types.ErrInvalidAddress)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	gs.Dealers[0].Account = "cosmos1bad"
	require.ErrorIs(t, gs.Validate(), types.ErrInvalidAddress)
}
