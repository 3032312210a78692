package keeper_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// These tests cover the remedies against lien squatting: a dealer lien on a
// car registered on the hub needs its owner's consent; governance can release
// a dealer's lien without its holder; and they never leave the registry
// unsound (requireRegistrySound after every step).

var (
	carOwner = sdk.AccAddress(bytes.Repeat([]byte{0x0a}, 20)).String()
	newOwner = sdk.AccAddress(bytes.Repeat([]byte{0x0b}, 20)).String()
)

// hubAsset is one live vehicle asset of the book.
type hubAsset struct {
	id    uint64
	owner string
	// moved is the height its title last changed hands (0: never).
	moved int64
}

// assetBook stands in for x/asset: the live hub asset, if any, of each VIN.
type assetBook map[string]hubAsset

func (b assetBook) LiveVehicleAsset(_ context.Context, vin string) (types.LiveAsset, bool, error) {
	a, ok := b[vin]
	return types.LiveAsset{ID: a.id, Owner: a.owner, TitleMovedHeight: a.moved}, ok, nil
}

// setupWithAssets is setup on the hub: the accord is asset 7, owned by carOwner.
func setupWithAssets(t *testing.T) (fixture, assetBook) {
	t.Helper()
	f := setup(t)
	book := assetBook{accord: {id: 7, owner: carOwner}}
	f.k.SetVehicleAssets(book)
	require.Panics(t, func() { f.k.SetVehicleAssets(book) }, "the registry is set once")
	return f, book
}

// consent has owner consent to holder's lien on vin, through the Msg service.
func consent(t *testing.T, f fixture, owner, vin string, holder types.LienHolder, expiresAt *time.Time) {
	t.Helper()
	_, err := f.msgs.AuthorizeLien(f.ctx, &types.MsgAuthorizeLien{Owner: owner, Vin: vin, ChainId: holder.ChainId, DealerId: holder.DealerId, ExpiresAt: expiresAt})
	require.NoError(t, err)
}

// consentAt is consent given at an earlier block height.
func consentAt(t *testing.T, f fixture, height int64, owner, vin string, holder types.LienHolder) {
	t.Helper()
	f.ctx = f.ctx.WithBlockHeight(height)
	consent(t, f, owner, vin, holder, nil)
}

// requireRegistrySound checks the registry's invariant (I4): ActiveLiens
// points at exactly the active liens, one per VIN.
func requireRegistrySound(t *testing.T, f fixture) {
	t.Helper()
	active := map[string]uint64{}
	for _, kv := range all(t, f.ctx, f.k.Liens) {
		if !kv.Value.IsActive() {
			continue
		}
		require.NotContains(t, active, kv.Value.Vin, "VIN %s has two active liens", kv.Value.Vin)
		active[kv.Value.Vin] = kv.Key
	}
	indexed := map[string]uint64{}
	for _, kv := range all(t, f.ctx, f.k.ActiveLiens) {
		indexed[kv.Key] = kv.Value
	}
	require.Equal(t, active, indexed, "ActiveLiens names exactly the active liens")
}

// lienState is what a refused grant must leave untouched.
type lienState struct {
	liens    any
	consents any
	next     uint64
}

func takeLienState(t *testing.T, f fixture) lienState {
	t.Helper()
	next, err := f.k.NextLienID.Peek(f.ctx)
	require.NoError(t, err)
	return lienState{liens: all(t, f.ctx, f.k.Liens), consents: all(t, f.ctx, f.k.LienAuthorizations), next: next}
}

// TestDealerLienOnHubAssetNeedsConsent: the squatting attack. A dealer asks
// for a lien on a car registered and owned on the hub; only the owner's
// consent, unused, current and not expired, lets it in, and the lien uses it up.
func TestDealerLienOnHubAssetNeedsConsent(t *testing.T) {
	later := blockTime.Add(time.Hour)
	tests := []struct {
		name string
		// noAssets leaves the asset registry unwired, as on a dealer chain.
		noAssets bool
		malleate func(t *testing.T, f fixture, book assetBook)
		// grantAt is the block time of the grant (the fixture's when zero).
		grantAt time.Time
		holder  types.LienHolder
		wantErr error
		wantMsg string
		// wantAuthorizedBy is the consenting owner the granted lien names.
		wantAuthorizedBy string
	}{
		{name: "no consent: refused", holder: holderA, wantErr: types.ErrLienNotAuthorized,
			wantMsg: `VIN 1HGCM82633A004352 backs hub asset 7, owned by ` + carOwner + `, who has not authorized a lien by dealer "alpha-motors" on chain dealer-a`},
		{
			name:     "consent to another dealer: refused",
			malleate: func(t *testing.T, f fixture, _ assetBook) { consent(t, f, carOwner, accord, holderB, nil) },
			holder:   holderA, wantErr: types.ErrLienNotAuthorized,
		},
		{
			name: "consent to the same dealer id on another chain: refused",
			malleate: func(t *testing.T, f fixture, _ assetBook) {
				consent(t, f, carOwner, accord, types.LienHolder{ChainId: "dealer-x", DealerId: dealerA}, nil)
			},
			holder: holderA, wantErr: types.ErrLienNotAuthorized,
		},
		{
			name: "consent by a former owner: refused",
			malleate: func(t *testing.T, f fixture, book assetBook) {
				consent(t, f, carOwner, accord, holderA, nil)
				book[accord] = hubAsset{id: 7, owner: newOwner} // sold on the hub
			},
			holder: holderA, wantErr: types.ErrLienNotAuthorized, wantMsg: "a former owner",
		},
		{
			name: "owner sold and bought back: refused",
			malleate: func(t *testing.T, f fixture, book assetBook) {
				consentAt(t, f, 90, carOwner, accord, holderA)
				book[accord] = hubAsset{id: 7, owner: carOwner, moved: 95} // sold at 92, bought back at 95
			},
			holder: holderA, wantErr: types.ErrLienNotAuthorized, wantMsg: "changed hands at height 95",
		},
		{
			name: "redeemed and re-registered: refused",
			malleate: func(t *testing.T, f fixture, book assetBook) {
				consent(t, f, carOwner, accord, holderA, nil)
				book[accord] = hubAsset{id: 8, owner: carOwner} // asset 7 redeemed, the car applied for again
			},
			holder: holderA, wantErr: types.ErrLienNotAuthorized, wantMsg: "was given for hub asset 7",
		},
		{
			name:     "expired consent: refused",
			malleate: func(t *testing.T, f fixture, _ assetBook) { consent(t, f, carOwner, accord, holderA, &later) },
			grantAt:  later, holder: holderA, wantErr: types.ErrLienNotAuthorized, wantMsg: "expired at 2024-06-01T13:00:00Z",
		},
		{
			name: "consent used up by an earlier lien: refused",
			malleate: func(t *testing.T, f fixture, _ assetBook) {
				consent(t, f, carOwner, accord, holderA, nil)
				_, err := f.k.GrantLien(f.ctx, accord, holderA)
				require.NoError(t, err)
				_, err = f.k.ReleaseLien(f.ctx, 1, holderA, "repaid")
				require.NoError(t, err)
			},
			holder: holderA, wantErr: types.ErrLienNotAuthorized,
		},
		{
			name: "held VIN: the held refusal comes first and keeps the consent",
			malleate: func(t *testing.T, f fixture, _ assetBook) {
				_, err := f.k.GrantLien(f.ctx, accord, holderH)
				require.NoError(t, err)
				consent(t, f, carOwner, accord, holderA, nil)
			},
			holder: holderA, wantErr: types.ErrLienHeld,
		},
		{
			name:     "consent: granted",
			malleate: func(t *testing.T, f fixture, _ assetBook) { consent(t, f, carOwner, accord, holderA, &later) },
			holder:   holderA, wantAuthorizedBy: carOwner,
		},
		{
			name: "consent given again by the new owner: granted",
			malleate: func(t *testing.T, f fixture, book assetBook) {
				consent(t, f, carOwner, accord, holderA, nil)
				book[accord] = hubAsset{id: 7, owner: newOwner}
				consent(t, f, newOwner, accord, holderA, nil)
			},
			holder: holderA, wantAuthorizedBy: newOwner,
		},
		{
			name: "consent given again after buying back: granted",
			malleate: func(t *testing.T, f fixture, book assetBook) {
				consentAt(t, f, 90, carOwner, accord, holderA)
				book[accord] = hubAsset{id: 7, owner: carOwner, moved: 95}
				consent(t, f, carOwner, accord, holderA, nil)
			},
			holder: holderA, wantAuthorizedBy: carOwner,
		},
		{
			name: "consent given in the block the title moved: granted",
			malleate: func(t *testing.T, f fixture, book assetBook) {
				book[accord] = hubAsset{id: 7, owner: carOwner, moved: f.ctx.BlockHeight()}
				consent(t, f, carOwner, accord, holderA, nil)
			},
			holder: holderA, wantAuthorizedBy: carOwner,
		},
		{name: "a hub module's lien needs no consent", holder: holderH},
		{
			name:     "a VIN that backs no hub asset needs no consent",
			malleate: func(_ *testing.T, _ fixture, book assetBook) { delete(book, accord) },
			holder:   holderA,
		},
		{name: "no asset registry (dealer chain): no consent", noAssets: true, holder: holderA},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, book := setup(t), assetBook{accord: {id: 7, owner: carOwner}}
			if !tc.noAssets {
				f.k.SetVehicleAssets(book)
			}
			if tc.malleate != nil {
				tc.malleate(t, f, book)
			}
			requireRegistrySound(t, f)
			before := takeLienState(t, f)
			f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
			if !tc.grantAt.IsZero() {
				f.ctx = f.ctx.WithBlockTime(tc.grantAt)
			}

			lien, err := f.k.GrantLien(f.ctx, accord, tc.holder)
			requireRegistrySound(t, f)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.ErrorContains(t, err, tc.wantMsg)
				require.Equal(t, before, takeLienState(t, f), "a refusal changes nothing, the consent included")
				refused := f.ctx.EventManager().Events()
				require.Len(t, refused, 1)
				require.Equal(t, "vinhub.vehicle.v1.EventLienRefused", refused[0].Type)
				return
			}
			require.NoError(t, err)
			require.True(t, lien.IsActive())
			require.Equal(t, tc.wantAuthorizedBy, lien.AuthorizedBy)
			_, err = f.k.LienAuthorizations.Get(f.ctx, collections.Join3(accord, tc.holder.ChainId, tc.holder.DealerId))
			require.Error(t, err, "a consent is used up by the lien it lets in")
		})
	}
}

// TestLienRefusedEventNamesTheCode: the refusal event says which refusal it
// was and which asset's owner did not consent.
func TestLienRefusedEventNamesTheCode(t *testing.T) {
	f, _ := setupWithAssets(t)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	_, err := f.k.GrantLien(f.ctx, accord, holderA)
	require.ErrorIs(t, err, types.ErrLienNotAuthorized)
	ev := lastTypedEvent[*types.EventLienRefused](t, f)
	require.Equal(t, &types.EventLienRefused{Vin: accord, RequestedBy: holderA, Code: types.ErrLienNotAuthorized.ABCICode(), AssetId: 7}, ev)

	_, err = f.k.GrantLien(f.ctx, golf, holderB)
	require.NoError(t, err)
	_, err = f.k.GrantLien(f.ctx, golf, holderA)
	require.ErrorIs(t, err, types.ErrLienHeld)
	ev = lastTypedEvent[*types.EventLienRefused](t, f)
	require.Equal(t, types.ErrLienHeld.ABCICode(), ev.Code)
	require.Equal(t, uint64(1), ev.HeldLienId)
}

// TestAuthorizeLien: only the owner of the VIN's live hub asset consents, to
// a registered dealer, with an expiry ahead if any; a refusal writes nothing.
func TestAuthorizeLien(t *testing.T) {
	past, ahead := blockTime.Add(-time.Second), blockTime.Add(24*time.Hour)
	tests := []struct {
		name     string
		noAssets bool
		msg      types.MsgAuthorizeLien
		wantErr  error
	}{
		{name: "owner, no expiry", msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: accord, ChainId: "dealer-a", DealerId: dealerA}},
		{name: "owner, lower-case VIN, expiry ahead", msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: "1hgcm82633a004352", ChainId: "dealer-a", DealerId: dealerA, ExpiresAt: &ahead}},
		{name: "not the owner", msg: types.MsgAuthorizeLien{Owner: newOwner, Vin: accord, ChainId: "dealer-a", DealerId: dealerA}, wantErr: types.ErrNotVehicleOwner},
		{name: "VIN backs no hub asset", msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: golf, ChainId: "dealer-a", DealerId: dealerA}, wantErr: types.ErrNotVehicleOwner},
		{name: "chain without assets", noAssets: true, msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: accord, ChainId: "dealer-a", DealerId: dealerA}, wantErr: types.ErrNotVehicleOwner},
		{name: "unknown dealer", msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: accord, ChainId: "dealer-a", DealerId: "ghost"}, wantErr: types.ErrUnknownDealer},
		{name: "expiry passed", msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: accord, ChainId: "dealer-a", DealerId: dealerA, ExpiresAt: &past}, wantErr: types.ErrInvalidLien},
		{name: "expiry now", msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: accord, ChainId: "dealer-a", DealerId: dealerA, ExpiresAt: &blockTime}, wantErr: types.ErrInvalidLien},
		{name: "no chain id", msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: accord, DealerId: dealerA}, wantErr: types.ErrInvalidLien},
		{name: "bad dealer id", msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: accord, ChainId: "dealer-a", DealerId: "Alpha Motors"}, wantErr: types.ErrInvalidDealerID},
		{name: "bad VIN", msg: types.MsgAuthorizeLien{Owner: carOwner, Vin: "1HGCM82643A004352", ChainId: "dealer-a", DealerId: dealerA}, wantErr: types.ErrInvalidVIN},
		{name: "bad owner", msg: types.MsgAuthorizeLien{Owner: "cosmos1bad", Vin: accord, ChainId: "dealer-a", DealerId: dealerA}, wantErr: types.ErrInvalidAddress},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			if !tc.noAssets {
				f.k.SetVehicleAssets(assetBook{accord: {id: 7, owner: carOwner}})
			}
			before := takeLienState(t, f)
			res, err := f.msgs.AuthorizeLien(f.ctx, &tc.msg)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Equal(t, before, takeLienState(t, f), "a refusal writes nothing")
				return
			}
			require.NoError(t, err)
			require.Equal(t, uint64(7), res.AssetId)
			q, err := f.queries.LienAuthorizations(f.ctx, &types.QueryLienAuthorizationsRequest{Vin: tc.msg.Vin})
			require.NoError(t, err)
			require.Equal(t, []types.LienAuthorization{{
				Vin: accord, ChainId: "dealer-a", DealerId: dealerA, Owner: carOwner, AssetId: 7,
				ExpiresAt: tc.msg.ExpiresAt, AuthorizedHeight: 100,
			}}, q.Authorizations)
			ev := lastTypedEvent[*types.EventLienAuthorized](t, f)
			require.Equal(t, carOwner, ev.Owner)
			require.Equal(t, uint64(7), ev.AssetId)
		})
	}
}

// TestRevokeLienAuthorization: the owner who consented, or the asset's
// current owner, withdraws an unused consent; nobody else can.
func TestRevokeLienAuthorization(t *testing.T) {
	revoke := func(f fixture, signer string) error {
		_, err := f.msgs.RevokeLienAuthorization(f.ctx, &types.MsgRevokeLienAuthorization{Owner: signer, Vin: accord, ChainId: holderA.ChainId, DealerId: dealerA})
		return err
	}
	tests := []struct {
		name     string
		malleate func(t *testing.T, f fixture, book assetBook)
		signer   string
		wantErr  error
	}{
		{name: "by the owner who gave it", signer: carOwner},
		{
			name:     "by the new owner, of a former owner's consent",
			malleate: func(_ *testing.T, _ fixture, book assetBook) { book[accord] = hubAsset{id: 7, owner: newOwner} },
			signer:   newOwner,
		},
		{name: "by a stranger", signer: newOwner, wantErr: types.ErrNotVehicleOwner},
		{
			name: "none to revoke",
			malleate: func(t *testing.T, f fixture, _ assetBook) {
				require.NoError(t, revoke(f, carOwner))
			},
			signer: carOwner, wantErr: types.ErrLienAuthorizationNotFound,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, book := setup(t), assetBook{accord: {id: 7, owner: carOwner}}
			f.k.SetVehicleAssets(book)
			consent(t, f, carOwner, accord, holderA, nil)
			if tc.malleate != nil {
				tc.malleate(t, f, book)
			}
			before := takeLienState(t, f)
			err := revoke(f, tc.signer)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Equal(t, before, takeLienState(t, f))
				return
			}
			require.NoError(t, err)
			require.Empty(t, all(t, f.ctx, f.k.LienAuthorizations))
			require.Equal(t, tc.signer, lastTypedEvent[*types.EventLienAuthorizationRevoked](t, f).RevokedBy)
			_, err = f.k.GrantLien(f.ctx, accord, holderA)
			require.ErrorIs(t, err, types.ErrLienNotAuthorized, "a withdrawn consent lets nothing in")
		})
	}
}

// TestForceReleaseLien: governance releases a dealer's lien without its
// holder, with a reason that stays on the lien; it does not touch the liens
// of hub modules (loans, escrows), and a refusal changes nothing.
func TestForceReleaseLien(t *testing.T) {
	tests := []struct {
		name      string
		malleate  func(t *testing.T, f fixture)
		authority func(f fixture) string
		id        uint64
		reason    string
		wantErr   error
	}{
		{name: "a dealer's lien", id: 1, reason: "dealer chain halted; lender confirmed repayment"},
		{name: "not governance", authority: func(fixture) string { return stranger.String() }, id: 1, reason: "x", wantErr: types.ErrInvalidAuthority},
		{name: "no reason", id: 1, reason: "", wantErr: types.ErrInvalidLien},
		{name: "blank reason", id: 1, reason: "   ", wantErr: types.ErrInvalidLien},
		{name: "unknown lien", id: 9, reason: "x", wantErr: types.ErrLienNotFound},
		{
			name: "a lien already released",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.ReleaseLien(f.ctx, 1, holderA, "repaid")
				require.NoError(t, err)
			},
			id: 1, reason: "x", wantErr: types.ErrLienNotActive,
		},
		{
			name: "a hub module's lien (a loan)",
			malleate: func(t *testing.T, f fixture) {
				_, err := f.k.GrantLien(f.ctx, golf, holderH)
				require.NoError(t, err)
			},
			id: 2, reason: "x", wantErr: types.ErrLienHeldByModule,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			_, err := f.k.GrantLien(f.ctx, accord, holderA)
			require.NoError(t, err)
			if tc.malleate != nil {
				tc.malleate(t, f)
			}
			authority := f.authority
			if tc.authority != nil {
				authority = tc.authority(f)
			}
			before := takeLienState(t, f)
			_, err = f.msgs.ForceReleaseLien(f.ctx, &types.MsgForceReleaseLien{Authority: authority, LienId: tc.id, Reason: tc.reason})
			requireRegistrySound(t, f)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Equal(t, before, takeLienState(t, f), "a refusal changes nothing")
				return
			}
			require.NoError(t, err)
			lien, err := f.k.Lien(f.ctx, tc.id)
			require.NoError(t, err)
			require.Equal(t, types.LIEN_STATUS_RELEASED, lien.Status)
			require.Equal(t, tc.reason, lien.ReleaseReason)
			require.Equal(t, f.authority, lien.ReleasedBy, "the history says governance released it")
			require.Equal(t, int64(100), lien.ReleasedHeight)
			require.Equal(t, &types.EventLienForceReleased{LienId: 1, Vin: accord, Holder: holderA, Reason: tc.reason, Authority: f.authority},
				lastTypedEvent[*types.EventLienForceReleased](t, f))
			require.Zero(t, activeLienID(t, f, accord))

			// The holder's own release, when it comes, is answered as before: released already.
			again, err := f.k.ReleaseLien(f.ctx, 1, holderA, "repaid")
			require.NoError(t, err)
			require.Equal(t, tc.reason, again.ReleaseReason, "the first reason is kept")
			// And the VIN is free for the next lender.
			_, err = f.k.GrantLien(f.ctx, accord, holderB)
			require.NoError(t, err)
			requireRegistrySound(t, f)
		})
	}
}

// TestLienRequestPacketOnHubAsset: over IBC the refusal for want of consent
// is an answer with its code (the dealer chain records it), not an error
// acknowledgement; with the consent the lien is granted, keeps the route it
// came over and the consenting owner, and uses the consent up.
func TestLienRequestPacketOnHubAsset(t *testing.T) {
	f, _ := setupWithAssets(t)
	bindDealers(t, f)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())

	ack := f.k.OnRecvPacket(f.ctx, routeA, 5, lienRequestData(t, dealerA, accord, lenderA, "12"))
	require.True(t, ack.Success(), "a refusal is an answer, not an error acknowledgement")
	res := ack.GetLienRequest()
	require.False(t, res.Granted)
	require.Equal(t, types.ErrLienNotAuthorized.ABCICode(), res.Code, "matched by code, not text")
	require.Zero(t, res.LienId)
	require.Contains(t, res.RefusedReason, "MsgAuthorizeLien")
	require.Empty(t, all(t, f.ctx, f.k.Liens))
	require.Equal(t, types.ErrLienNotAuthorized.ABCICode(), lastTypedEvent[*types.EventLienRefused](t, f).Code, "the refusal is on record")

	consent(t, f, carOwner, accord, holderA, nil)
	ack = f.k.OnRecvPacket(f.ctx, routeA, 6, lienRequestData(t, dealerA, accord, lenderA, "13"))
	require.True(t, ack.GetLienRequest().Granted)
	require.Zero(t, ack.GetLienRequest().Code)
	lien, err := f.k.Lien(f.ctx, ack.GetLienRequest().LienId)
	require.NoError(t, err)
	require.Equal(t, carOwner, lien.AuthorizedBy)
	require.Equal(t, &routeA, lien.GrantedRoute)
	require.Empty(t, all(t, f.ctx, f.k.LienAuthorizations), "the consent is used up")
	require.Equal(t, carOwner, lastTypedEvent[*types.EventLienGranted](t, f).AuthorizedBy)
	requireRegistrySound(t, f)
}

// TestLienReleaseAfterUnbinding: governance unbinding (or revoking) a dealer
// must not lock its liens in. Over the route a lien was granted through, its
// holder releases it with or without a binding; over any other route, and for
// anyone else, the old rules hold.
func TestLienReleaseAfterUnbinding(t *testing.T) {
	unbindA := func(t *testing.T, f fixture) { require.NoError(t, f.k.UnbindDealer(f.ctx, dealerA, routeA)) }
	tests := []struct {
		name     string
		malleate func(t *testing.T, f fixture)
		route    types.Route
		data     func(t *testing.T) []byte
		wantErr  error
	}{
		{name: "bound holder over the grant route", route: routeA, data: func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 1) }},
		{name: "unbound holder over the grant route", malleate: unbindA, route: routeA, data: func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 1) }},
		{
			name: "unbound and revoked holder over the grant route",
			malleate: func(t *testing.T, f fixture) {
				unbindA(t, f)
				require.NoError(t, f.k.RevokeDealer(f.ctx, dealerA))
			},
			route: routeA, data: func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 1) },
		},
		{
			name: "unbound holder asks for a new lien: refused", malleate: unbindA, route: routeA,
			data:    func(t *testing.T) []byte { return lienRequestData(t, dealerA, golf, lenderA, "14") },
			wantErr: types.ErrUnboundRoute,
		},
		{
			name: "another dealer bound to the grant route",
			malleate: func(t *testing.T, f fixture) {
				b := types.DealerBinding{DealerId: dealerB, Route: routeA, ChainId: "dealer-a", BoundHeight: 1}
				require.NoError(t, f.k.Bindings.Set(f.ctx, collections.Join(routeA.Key(), dealerB), b))
			},
			route: routeA, data: func(t *testing.T) []byte { return lienReleaseData(t, dealerB, 1) },
			wantErr: types.ErrNotLienHolder,
		},
		{
			name: "unbound holder over another route", malleate: unbindA, route: routeB,
			data:    func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 1) },
			wantErr: types.ErrDealerNotBound,
		},
		{
			name: "unbound holder of a lien granted before grant routes were kept",
			malleate: func(t *testing.T, f fixture) {
				lien, err := f.k.Lien(f.ctx, 1)
				require.NoError(t, err)
				lien.GrantedRoute = nil
				require.NoError(t, f.k.Liens.Set(f.ctx, 1, lien))
				unbindA(t, f)
			},
			route: routeA, data: func(t *testing.T) []byte { return lienReleaseData(t, dealerA, 1) },
			wantErr: types.ErrUnboundRoute, // governance's MsgForceReleaseLien is the remedy
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			bindDealers(t, f)
			granted := f.k.OnRecvPacket(f.ctx, routeA, 4, lienRequestData(t, dealerA, accord, lenderA, "12"))
			require.True(t, granted.GetLienRequest().Granted)
			if tc.malleate != nil {
				tc.malleate(t, f)
			}
			before := takeLienState(t, f)
			ack := f.k.OnRecvPacket(f.ctx, tc.route, 5, tc.data(t))
			requireRegistrySound(t, f)
			if tc.wantErr != nil {
				require.NotNil(t, ack.GetError(), "want a refusal")
				require.Equal(t, tc.wantErr.(interface{ ABCICode() uint32 }).ABCICode(), ack.GetError().Code, ack.GetError().Message)
				require.Equal(t, before, takeLienState(t, f), "a refused packet changes nothing")
				return
			}
			require.Equal(t, &types.LienReleaseAck{LienId: 1, Released: true}, ack.GetLienRelease())
			require.Zero(t, activeLienID(t, f, accord))
		})
	}
}

// TestLienConsentGenesis: consents and the new lien fields survive export and
// import; genesis refuses consents and liens that could not have been written.
func TestLienConsentGenesis(t *testing.T) {
	f, _ := setupWithAssets(t)
	consent(t, f, carOwner, accord, holderA, nil)
	consent(t, f, carOwner, accord, holderB, nil)
	lien, err := f.k.GrantLien(f.ctx, accord, holderA)
	require.NoError(t, err)
	_, err = f.msgs.ForceReleaseLien(f.ctx, &types.MsgForceReleaseLien{Authority: f.authority, LienId: lien.Id, Reason: "squatted"})
	require.NoError(t, err)

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	require.Len(t, gs.LienAuthorizations, 1, "the used consent is gone, the other kept")
	require.Equal(t, carOwner, gs.Liens[0].AuthorizedBy)
	require.Equal(t, f.authority, gs.Liens[0].ReleasedBy)
	fresh := newFixture(t)
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *gs))
	reexported, err := fresh.k.ExportGenesis(fresh.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, reexported)

	tests := []struct {
		name     string
		malleate func(gs *types.GenesisState)
	}{
		{"consent listed twice", func(gs *types.GenesisState) {
			gs.LienAuthorizations = append(gs.LienAuthorizations, gs.LienAuthorizations[0])
		}},
		{"consent to an unknown dealer", func(gs *types.GenesisState) { gs.LienAuthorizations[0].DealerId = "ghost" }},
		{"consent without an asset", func(gs *types.GenesisState) { gs.LienAuthorizations[0].AssetId = 0 }},
		{"consent by a bad owner", func(gs *types.GenesisState) { gs.LienAuthorizations[0].Owner = "cosmos1bad" }},
		{"consent on a VIN not canonical", func(gs *types.GenesisState) { gs.LienAuthorizations[0].Vin = "1hgcm82633a004352" }},
		{"hub module lien with a grant route", func(gs *types.GenesisState) {
			gs.Liens[0].Holder = holderH
			gs.Liens[0].AuthorizedBy = ""
			gs.Liens[0].GrantedRoute = &routeA
		}},
		{"active lien released by governance", func(gs *types.GenesisState) {
			gs.Liens[0].Status, gs.Liens[0].ReleasedAt, gs.Liens[0].ReleasedHeight, gs.Liens[0].ReleaseReason = types.LIEN_STATUS_ACTIVE, nil, 0, ""
		}},
		{"bad grant route", func(gs *types.GenesisState) { gs.Liens[0].GrantedRoute = &types.Route{} }},
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

// lastTypedEvent decodes the last event of type E emitted on the fixture's context.
func lastTypedEvent[E interface {
	*T
	proto.Message
}, T any](t *testing.T, f fixture) E {
	t.Helper()
	events := f.ctx.EventManager().Events()
	var want E = new(T)
	name := proto.MessageName(want)
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Type != name {
			continue
		}
		msg, err := sdk.ParseTypedEvent(abci.Event(events[i]))
		require.NoError(t, err)
		return msg.(E)
	}
	t.Fatalf("no %s emitted", name)
	return nil
}
