package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/hashlock"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/htlc/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// TestRefusals runs every refused transition through the Msg service and
// checks the error, its message, and that no coin, title or HTLC changed.
func TestRefusals(t *testing.T) {
	var (
		f      *fixture
		secret hashlock.Secret
		msg    func() error
	)
	var fixed hashlock.Secret
	copy(fixed[:], "a 32-byte secret for these tests")
	gov := authtypes.NewModuleAddress("gov").String()
	lockWith := func(mod func(m *types.MsgLock)) func() {
		return func() {
			m := f.lockMsg(secret)
			mod(m)
			msg = func() error { _, err := f.msgs.Lock(f.ctx, m); return err }
		}
	}
	lockCar := func(mod func(car uint64)) func() {
		return func() {
			car := f.car(t)
			mod(car)
			lockWith(func(m *types.MsgLock) { m.Amount, m.AssetId = nil, car })()
		}
	}
	claimWith := func(id, s string) func() error {
		return func() error {
			_, err := f.msgs.Claim(f.ctx, &types.MsgClaim{Claimer: buyer.String(), Id: id, Secret: s})
			return err
		}
	}
	refundOf := func(id string) func() error {
		return func() error {
			_, err := f.msgs.Refund(f.ctx, &types.MsgRefund{Signer: seller.String(), Id: id})
			return err
		}
	}
	// locked locks 1,000stake under the secret and returns the id.
	locked := func() string { return f.lock(t, f.lockMsg(secret)) }
	claimNow := func(id string) { require.NoError(t, claimWith(id, secret.String())()) }
	refundNow := func(id string) {
		f.advance(time.Hour)
		require.NoError(t, refundOf(id)())
	}
	// claimAs claims with the secret's hex cut or padded to n bytes.
	claimAs := func(n int) func() {
		return func() {
			id := locked()
			hexSecret := (secret.String() + strings.Repeat("ab", 8))[:2*n]
			msg = claimWith(id, hexSecret)
		}
	}
	update := func(authority string, p types.Params) func() {
		return func() {
			msg = func() error {
				_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority, Params: p})
				return err
			}
		}
	}

	cases := []struct {
		name     string
		malleate func()
		wantErr  error
		wantMsg  string
	}{
		// Claims.
		{"claim with a 31-byte secret", claimAs(31), types.ErrSecretLength, "got 31 bytes"},
		{"claim with a 33-byte secret", claimAs(33), types.ErrSecretLength, "got 33 bytes"},
		{"claim with a non-hex secret", func() { msg = claimWith(locked(), "zz"+secret.String()[2:]) }, types.ErrInvalidSecret, "not hex"},
		{"claim with the wrong secret", func() { msg = claimWith(locked(), newSecret(t).String()) }, types.ErrWrongSecret, "the lock is " + fixed.Hash().String()},
		{"claim at the expiry", func() {
			id := locked()
			f.advance(time.Hour)
			msg = claimWith(id, secret.String())
		}, types.ErrExpired, "expired at 2026-01-01T01:00:00Z; the block time is 2026-01-01T01:00:00Z"},
		{"claim after the expiry", func() {
			id := locked()
			f.advance(2 * time.Hour)
			msg = claimWith(id, secret.String())
		}, types.ErrExpired, "the block time is 2026-01-01T02:00:00Z"},
		{"claim after a refund", func() {
			id := locked()
			refundNow(id)
			msg = claimWith(id, secret.String())
		}, types.ErrAlreadyRefunded, "it is final"},
		{"claim twice", func() {
			id := locked()
			claimNow(id)
			msg = claimWith(id, secret.String())
		}, types.ErrAlreadyClaimed, "claimed by " + buyer.String()},
		{"claim an unknown htlc", func() { locked(); msg = claimWith(strings.Repeat("0", 64), secret.String()) }, types.ErrNotFound, "no htlc"},
		{"claim a malformed id", func() { locked(); msg = claimWith("abc", secret.String()) }, types.ErrInvalidID, `"abc"`},
		{"claim from a bad address", func() {
			id := locked()
			msg = func() error {
				_, err := f.msgs.Claim(f.ctx, &types.MsgClaim{Claimer: "cosmos1nope", Id: id, Secret: secret.String()})
				return err
			}
		}, types.ErrInvalidAddress, "claimer"},
		{"claim a title frozen in escrow", func() {
			car := f.car(t)
			id := f.lockTitle(t, car, secret)
			_, err := f.assets.Freeze(f.ctx, &assettypes.MsgFreeze{Signer: regul.String(), AssetId: car, Reason: "court order 12"})
			require.NoError(t, err)
			msg = claimWith(id, secret.String())
		}, assettypes.ErrFrozen, "court order 12"},

		// Refunds.
		{"refund before the expiry", func() {
			id := locked()
			f.advance(time.Hour - time.Second)
			msg = refundOf(id)
		}, types.ErrNotExpired, "expires at 2026-01-01T01:00:00Z; the block time is 2026-01-01T00:59:59Z"},
		{"refund after a claim", func() {
			id := locked()
			claimNow(id)
			f.advance(time.Hour)
			msg = refundOf(id)
		}, types.ErrAlreadyClaimed, "it is final"},
		{"refund twice", func() {
			id := locked()
			refundNow(id)
			msg = refundOf(id)
		}, types.ErrAlreadyRefunded, "refunded to " + seller.String()},

		// Hash locks.
		{"reuse a locked hash", func() { locked(); lockWith(func(m *types.MsgLock) { m.Amount = coins(5) })() }, types.ErrHashUsed, "of the same sender"},
		{"reuse a refunded hash, to another recipient", func() {
			refundNow(locked())
			lockWith(func(m *types.MsgLock) { m.Recipient = stranger.String() })()
		}, types.ErrHashUsed, "is used by htlc"},
		{"reuse a claimed hash, spelled in upper case", func() {
			claimNow(locked())
			lockWith(func(m *types.MsgLock) { m.HashLock = strings.ToUpper(m.HashLock) })()
		}, types.ErrHashUsed, fixed.Hash().String()},
		{"lock under a secret published from another rail", func() {
			_, err := f.k.PublishForeignSecret(f.ctx, secret.Hash().String(), secret.String(), strings.Repeat("ee", 32))
			require.NoError(t, err)
			lockWith(func(m *types.MsgLock) { m.HashLock = strings.ToUpper(m.HashLock) })()
		}, types.ErrSecretPublic, "was published at height 10 (evidence " + strings.Repeat("ee", 32) + ")"},
		{"another sender locks under a hash whose secret was published on an htlc", func() {
			locked()
			_, err := f.k.PublishForeignSecret(f.ctx, secret.Hash().String(), secret.String(), strings.Repeat("ee", 32))
			require.NoError(t, err)
			lockWith(func(m *types.MsgLock) { m.Sender = stranger.String() })()
		}, types.ErrSecretPublic, fixed.Hash().String()},
		{"hash lock of 31 bytes", lockWith(func(m *types.MsgLock) { m.HashLock = m.HashLock[:62] }), types.ErrInvalidHashLock, "got 31 bytes"},
		{"hash lock not hex", lockWith(func(m *types.MsgLock) { m.HashLock = "xyz" }), types.ErrInvalidHashLock, "not hex"},

		// Expiries.
		{"expiry below the minimum", lockWith(func(m *types.MsgLock) { m.Expiry = start.Add(29 * time.Second) }), types.ErrInvalidExpiry, "it must be between 30s and 720h0m0s"},
		{"expiry above the maximum", lockWith(func(m *types.MsgLock) { m.Expiry = start.Add(30*24*time.Hour + time.Second) }), types.ErrInvalidExpiry, "is 720h0m1s after"},
		{"expiry in the past", lockWith(func(m *types.MsgLock) { m.Expiry = start.Add(-time.Minute) }), types.ErrInvalidExpiry, "is -1m0s after"},
		{"no expiry", lockWith(func(m *types.MsgLock) { m.Expiry = time.Time{} }), types.ErrInvalidExpiry, "give an expiry"},

		// What is locked.
		{"coins and a title", lockWith(func(m *types.MsgLock) { m.AssetId = 1 }), types.ErrInvalidEscrow, "got both 1000stake and asset 1"},
		{"neither coins nor a title", lockWith(func(m *types.MsgLock) { m.Amount = nil }), types.ErrInvalidEscrow, "got neither"},
		{"zero coins", lockWith(func(m *types.MsgLock) { m.Amount = sdk.Coins{sdk.Coin{Denom: denom, Amount: sdkmath.ZeroInt()}} }), types.ErrInvalidAmount, "0stake"},
		{"more coins than the sender has", lockWith(func(m *types.MsgLock) { m.Amount = coins(1_000_001) }), types.ErrInsufficientFunds, "cannot lock 1000001stake"},
		{"a pledged title", lockCar(func(car uint64) {
			offer, err := f.assets.OfferLoan(f.ctx, &assettypes.MsgOfferLoan{Lender: lender.String(), AssetId: car, Borrower: seller.String(),
				Principal: sdk.NewCoin(denom, sdkmath.NewInt(10_000)), InterestRateBps: 1_000, Term: 30 * 24 * time.Hour})
			require.NoError(t, err)
			_, err = f.assets.Pledge(f.ctx, &assettypes.MsgPledge{Owner: seller.String(), LoanId: offer.LoanId})
			require.NoError(t, err)
		}), assettypes.ErrWrongAssetStatus, "ASSET_STATUS_PLEDGED"},
		{"a frozen title", lockCar(func(car uint64) {
			_, err := f.assets.Freeze(f.ctx, &assettypes.MsgFreeze{Signer: regul.String(), AssetId: car, Reason: "stolen report"})
			require.NoError(t, err)
		}), assettypes.ErrFrozen, "stolen report"},
		{"a title someone else owns", lockCar(func(car uint64) {
			_, err := f.assets.Transfer(f.ctx, &assettypes.MsgTransfer{Owner: seller.String(), AssetId: car, Recipient: stranger.String()})
			require.NoError(t, err)
		}), assettypes.ErrNotOwner, "belongs to " + stranger.String()},
		{"a title whose VIN is liened on a dealer chain", lockCar(func(uint64) {
			_, err := f.vehicle.GrantLien(f.ctx, carVIN, vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: stranger.String(), Reference: "7"})
			require.NoError(t, err)
		}), vehicletypes.ErrLienHeld, "held by"},
		{"a pending title", func() {
			resp, err := f.assets.Apply(f.ctx, &assettypes.MsgApply{Owner: seller.String(), Kind: assettypes.ASSET_KIND_RECEIVABLE,
				Description: "invoice 7", EvidenceHashes: []string{evidence}})
			require.NoError(t, err)
			lockWith(func(m *types.MsgLock) { m.Amount, m.AssetId = nil, resp.AssetId })()
		}, assettypes.ErrWrongAssetStatus, "ASSET_STATUS_PENDING"},
		{"an unknown title", lockWith(func(m *types.MsgLock) { m.Amount, m.AssetId = nil, 99 }), assettypes.ErrAssetNotFound, "no asset 99"},

		// Parties.
		{"bad sender address", lockWith(func(m *types.MsgLock) { m.Sender = "cosmos1bad" }), types.ErrInvalidAddress, "sender"},
		{"bad recipient address", lockWith(func(m *types.MsgLock) { m.Recipient = "" }), types.ErrInvalidAddress, "recipient"},
		{"sender is the recipient", lockWith(func(m *types.MsgLock) { m.Recipient = m.Sender }), types.ErrSelfLock, "lock to itself"},
		{"sender is the recipient, spelled in upper case", lockWith(func(m *types.MsgLock) { m.Recipient = strings.ToUpper(m.Sender) }), types.ErrSelfLock, "lock to itself"},
		{"sender in upper case is the recipient", lockWith(func(m *types.MsgLock) { m.Sender = strings.ToUpper(m.Recipient) }), types.ErrSelfLock, "lock to itself"},

		// Params.
		{"params not by governance", update(seller.String(), types.DefaultParams()), types.ErrInvalidAuthority, "governance proposal"},
		{"params not by governance, spelled in upper case", update(strings.ToUpper(seller.String()), types.DefaultParams()), types.ErrInvalidAuthority, "governance proposal"},
		{"params with no minimum", update(gov, types.Params{MaxLockDuration: time.Hour}), types.ErrInvalidParams, "min_lock_duration must be positive"},
		{"params with max below min", update(gov, types.Params{MinLockDuration: time.Hour, MaxLockDuration: time.Minute}), types.ErrInvalidParams, "below min_lock_duration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f = setup(t)
			secret = fixed
			tc.malleate()
			before := f.snapshot(t)
			err := msg()
			require.Error(t, err)
			require.Truef(t, errorsmod.IsOf(err, tc.wantErr), "got %v, want %v", err, tc.wantErr)
			require.Contains(t, err.Error(), tc.wantMsg)
			require.Equal(t, before, f.snapshot(t), "a refused message changed state")
		})
	}
}
