package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/hashlock"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/htlc/types"
)

// TestTransitions runs each transition through the Msg service (or the end
// block) and checks where the coins and the title went and the HTLC's state.
func TestTransitions(t *testing.T) {
	var (
		f      *fixture
		secret hashlock.Secret
		id     string
		car    uint64
	)
	lockCoins := func() { id = f.lock(t, f.lockMsg(secret)) }
	lockTitle := func() { car = f.car(t); id = f.lockTitle(t, car, secret) }
	claim := func(by sdk.AccAddress) func() error {
		return func() error {
			_, err := f.msgs.Claim(f.ctx, &types.MsgClaim{Claimer: by.String(), Id: id, Secret: secret.String()})
			return err
		}
	}
	refund := func(by sdk.AccAddress) func() error {
		return func() error {
			_, err := f.msgs.Refund(f.ctx, &types.MsgRefund{Signer: by.String(), Id: id})
			return err
		}
	}
	endBlock := func() error { return f.k.EndBlocker(f.ctx) }
	claimed := func(by sdk.AccAddress) func() {
		return func() {
			h := f.htlc(t, id)
			require.Equal(t, types.HTLC_STATE_CLAIMED, h.State)
			require.Equal(t, secret.String(), h.Secret)
			require.Equal(t, by.String(), h.ClosedBy)
			require.Equal(t, f.ctx.BlockHeight(), h.ClosedHeight)
			ev := typedEvents[*types.EventClaimed](f)
			require.Len(t, ev, 1)
			require.Equal(t, types.EventClaimed{Id: id, Claimer: by.String(), Recipient: buyer.String(),
				HashLock: secret.Hash().String(), Secret: secret.String()}, *ev[0])
		}
	}
	refunded := func(by string) func() {
		return func() {
			h := f.htlc(t, id)
			require.Equal(t, types.HTLC_STATE_REFUNDED, h.State)
			require.Empty(t, h.Secret)
			require.Equal(t, by, h.ClosedBy)
			ev := typedEvents[*types.EventRefunded](f)
			require.Len(t, ev, 1)
			require.Equal(t, types.EventRefunded{Id: id, Sender: seller.String(), Automatic: by == ""}, *ev[0])
		}
	}
	paid := func(to sdk.AccAddress) func() {
		return func() {
			want := map[string]int64{seller.String(): 1_000_000, buyer.String(): 1_000_000, escrow.String(): 0}
			want[to.String()] += 1_000
			want[seller.String()] -= 1_000
			for addr, n := range want {
				require.Equal(t, sdkmath.NewInt(n), f.balance(sdk.MustAccAddressFromBech32(addr)), addr)
			}
		}
	}
	titleWith := func(to sdk.AccAddress) func() { return func() { require.Equal(t, to.String(), f.owner(t, car)) } }
	all := func(checks ...func()) func() {
		return func() {
			for _, c := range checks {
				c()
			}
		}
	}

	cases := []struct {
		name     string
		malleate func() func() error // sets up, returns the step under test
		check    func()
	}{
		{"lock coins", func() func() error {
			return func() error { _, err := f.msgs.Lock(f.ctx, f.lockMsg(secret)); return err }
		}, func() {
			h, err := f.k.GetHTLCByHashAndSender(f.ctx, secret.Hash().String(), seller.String())
			require.NoError(t, err)
			require.Equal(t, types.ComputeID(chainID, seller.String(), buyer.String(), "1000stake", secret.Hash().String()), h.Id)
			require.Equal(t, types.HTLC_STATE_LOCKED, h.State)
			require.Equal(t, chainID, h.ChainId)
			require.Equal(t, int64(10), h.CreatedHeight)
			require.Equal(t, sdkmath.NewInt(999_000), f.balance(seller))
			require.Equal(t, sdkmath.NewInt(1_000), f.balance(escrow))
			ev := typedEvents[*types.EventLocked](f)
			require.Len(t, ev, 1)
			require.Equal(t, h.Id, ev[0].Id)
			require.Equal(t, coins(1_000), ev[0].Amount)
		}},
		{"lock a listed title withdraws the listing", func() func() error {
			car = f.car(t)
			_, err := f.assets.List(f.ctx, &assettypes.MsgList{Owner: seller.String(), AssetId: car, Price: sdk.NewCoin(denom, sdkmath.NewInt(9))})
			require.NoError(t, err)
			return func() error { id = f.lockTitle(t, car, secret); return nil }
		}, func() {
			a, err := f.asset.GetAsset(f.ctx, car)
			require.NoError(t, err)
			require.Equal(t, escrow.String(), a.Owner)
			require.Nil(t, a.ListPrice)
			h := f.htlc(t, id)
			require.Equal(t, car, h.AssetId)
			require.Equal(t, types.ComputeID(chainID, seller.String(), buyer.String(), "asset:1", secret.Hash().String()), h.Id)
		}},
		{"another sender locks under a hash already used", func() func() error {
			claimNow := claim(buyer)
			lockCoins()
			require.NoError(t, claimNow())
			return func() error {
				m := f.lockMsg(secret)
				m.Sender, m.Recipient = buyer.String(), seller.String()
				resp, err := f.msgs.Lock(f.ctx, m)
				id = resp.GetId()
				return err
			}
		}, func() {
			h := f.htlc(t, id)
			require.Equal(t, types.ComputeID(chainID, buyer.String(), seller.String(), "1000stake", secret.Hash().String()), h.Id)
			require.Equal(t, types.HTLC_STATE_LOCKED, h.State)
			require.Equal(t, sdkmath.NewInt(1_000), f.balance(escrow), "the first htlc's escrow is paid out, the new one's held")
		}},
		{"claim coins, submitted by a stranger, pays the recipient", func() func() error {
			lockCoins()
			return claim(stranger)
		}, all(claimed(stranger), paid(buyer))},
		{"claim a title one second before the expiry", func() func() error {
			lockTitle()
			f.advance(time.Hour - time.Second)
			return claim(buyer)
		}, all(claimed(buyer), titleWith(buyer))},
		{"refund coins at the expiry, submitted by a stranger, pays the sender", func() func() error {
			lockCoins()
			f.advance(time.Hour)
			return refund(stranger)
		}, all(refunded(stranger.String()), paid(seller))},
		{"refund a title after the expiry", func() func() error {
			lockTitle()
			f.advance(2 * time.Hour)
			return refund(seller)
		}, all(refunded(seller.String()), titleWith(seller))},
		{"end block refunds expired coins", func() func() error {
			lockCoins()
			f.advance(time.Hour)
			return endBlock
		}, all(refunded(""), paid(seller))},
		{"end block refunds an expired title", func() func() error {
			lockTitle()
			f.advance(time.Hour + time.Minute)
			return endBlock
		}, all(refunded(""), titleWith(seller))},
		{"end block leaves an unexpired htlc alone", func() func() error {
			lockCoins()
			f.advance(time.Hour - time.Nanosecond)
			return endBlock
		}, func() {
			require.Equal(t, types.HTLC_STATE_LOCKED, f.htlc(t, id).State)
			require.Equal(t, sdkmath.NewInt(1_000), f.balance(escrow))
			require.Empty(t, typedEvents[*types.EventRefunded](f))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f = setup(t)
			secret = newSecret(t)
			step := tc.malleate()
			f.freshEvents()
			require.NoError(t, step())
			tc.check()
		})
	}
}

// TestUpperCaseAddressesLockAsTheirAccounts: a sender or recipient spelled in
// upper case is the same account; the HTLC stores the canonical spelling, so
// its id is the one anyone computes from the terms, and a title locks under
// the ownership its sender really has.
func TestUpperCaseAddressesLockAsTheirAccounts(t *testing.T) {
	f := setup(t)
	secret := newSecret(t)
	m := f.lockMsg(secret)
	m.Sender, m.Recipient = strings.ToUpper(seller.String()), strings.ToUpper(buyer.String())
	id := f.lock(t, m)
	h := f.htlc(t, id)
	require.Equal(t, []string{seller.String(), buyer.String()}, []string{h.Sender, h.Recipient})
	require.Equal(t, types.ComputeID(chainID, seller.String(), buyer.String(), "1000stake", secret.Hash().String()), id)
	mine, err := f.queries.HTLCsByParticipant(f.ctx, &types.QueryHTLCsByParticipantRequest{Address: buyer.String()})
	require.NoError(t, err)
	require.Len(t, mine.Htlcs, 1)

	car := f.car(t)
	other := newSecret(t)
	m = f.lockMsg(other)
	m.Sender, m.Amount, m.AssetId = strings.ToUpper(seller.String()), nil, car
	titleID := f.lock(t, m)
	require.Equal(t, escrow.String(), f.owner(t, car))
	_, err = f.msgs.Claim(f.ctx, &types.MsgClaim{Claimer: strings.ToUpper(stranger.String()), Id: titleID, Secret: other.String()})
	require.NoError(t, err)
	require.Equal(t, buyer.String(), f.owner(t, car))
	require.Equal(t, stranger.String(), f.htlc(t, titleID).ClosedBy)
}
