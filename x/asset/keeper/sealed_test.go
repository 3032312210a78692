package keeper_test

import (
	"crypto/ecdh"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/asset/types"
)

// sealedKeys gives the regulator (set by governance) and the lender encryption keys.
func (f *fixture) sealedKeys(t *testing.T) (regulator, lenderKey sealed.RecipientKey, regulatorPriv *ecdh.PrivateKey) {
	t.Helper()
	regPriv, err := sealed.GenerateKey()
	require.NoError(t, err)
	v, err := f.roles.SetEncryptionKey(f.ctx, regul, regPriv.PublicKey().Bytes())
	require.NoError(t, err)
	lendPriv, err := sealed.GenerateKey()
	require.NoError(t, err)
	lv, err := f.roles.RegisterEncryptionKey(f.ctx, lender, lendPriv.PublicKey().Bytes(), "")
	require.NoError(t, err)
	return sealed.RecipientKey{KeyID: sealed.KeyID{Address: regul.String(), Version: v}, PublicKey: regPriv.PublicKey().Bytes()},
		sealed.RecipientKey{KeyID: sealed.KeyID{Address: lender.String(), Version: lv}, PublicKey: lendPriv.PublicKey().Bytes()},
		regPriv
}

func mustSeal(t *testing.T, subject string, to ...sealed.RecipientKey) *sealed.Envelope {
	t.Helper()
	env, err := sealed.Seal(subject, []sealed.PlainField{{Name: "terms", Value: []byte("7.5% APR, 36 months, balloon 4000")}}, to)
	require.NoError(t, err)
	return env
}

// TestSealedApplicationAndLoan: an application and a loan offer keep their
// sealed envelopes; the regulator opens them; envelopes about something
// else, malformed or sealed to unregistered keys are refused and change nothing.
func TestSealedApplicationAndLoan(t *testing.T) {
	f := setup(t)
	regulator, lenderKey, regPriv := f.sealedKeys(t)

	res, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: owner.String(), Kind: types.ASSET_KIND_VEHICLE, Description: "2019 Honda Accord",
		EvidenceHashes: []string{hash1}, Vin: carVIN, Sealed: mustSeal(t, types.SealedApplicationSubject(owner.String()), regulator)})
	require.NoError(t, err)
	a, err := f.k.GetAsset(f.ctx, res.AssetId)
	require.NoError(t, err)
	fields, err := sealed.Open(a.Sealed, regulator.KeyID, regPriv)
	require.NoError(t, err)
	require.Equal(t, "terms", fields[0].Name)
	_, err = f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: res.AssetId, Valuation: coin(50_000), EvidenceHash: hash2})
	require.NoError(t, err)

	offer := func(env *sealed.Envelope) (*types.MsgOfferLoanResponse, error) {
		return f.msgs.OfferLoan(f.ctx, &types.MsgOfferLoan{Lender: lender.String(), AssetId: res.AssetId, Borrower: owner.String(),
			Principal: coin(10_000), InterestRateBps: 1_000, Term: 30 * 24 * time.Hour, Sealed: env})
	}
	loanSubject := types.SealedLoanSubject(res.AssetId, owner.String(), lender.String())
	unregistered := regulator
	unregistered.Version = 9
	refusals := []struct {
		name string
		env  *sealed.Envelope
	}{
		{"envelope about another loan", mustSeal(t, types.SealedLoanSubject(res.AssetId+1, owner.String(), lender.String()), regulator)},
		// Another lender's offer terms copied into this lender's offer.
		{"envelope of another lender's offer", mustSeal(t, types.SealedLoanSubject(res.AssetId, owner.String(), stranger.String()), regulator)},
		{"envelope of an application", mustSeal(t, types.SealedApplicationSubject(owner.String()), regulator)},
		{"unregistered key version", mustSeal(t, loanSubject, unregistered)},
		// The hub's regulator holds a key set by governance: it must be a recipient.
		{"regulator left out", mustSeal(t, loanSubject, lenderKey)},
		{"unregistered account", mustSeal(t, loanSubject, sealed.RecipientKey{KeyID: sealed.KeyID{Address: stranger.String(), Version: 1}, PublicKey: regulator.PublicKey})},
		{"malformed", func() *sealed.Envelope { e := mustSeal(t, loanSubject, regulator); e.Commitments = nil; return e }()},
	}
	for _, tc := range refusals {
		before, err := f.k.ExportGenesis(f.ctx)
		require.NoError(t, err)
		balance := f.balance(lender)
		_, err = offer(tc.env)
		require.ErrorIs(t, err, types.ErrInvalidSealed, tc.name)
		after, err := f.k.ExportGenesis(f.ctx)
		require.NoError(t, err)
		require.Equal(t, before, after, tc.name)
		require.Equal(t, balance, f.balance(lender), tc.name)
	}

	loanRes, err := offer(mustSeal(t, loanSubject, regulator, lenderKey))
	require.NoError(t, err)
	loan, err := f.k.Loans.Get(f.ctx, loanRes.LoanId)
	require.NoError(t, err)
	require.Len(t, loan.Sealed.Recipients, 2)
	_, err = sealed.Open(loan.Sealed, regulator.KeyID, regPriv)
	require.NoError(t, err)
	f.check(t)

	_, err = f.msgs.Apply(f.ctx, &types.MsgApply{Owner: owner.String(), Kind: types.ASSET_KIND_RECEIVABLE, Description: "invoice",
		EvidenceHashes: []string{hash1}, Sealed: mustSeal(t, types.SealedApplicationSubject(sdk.AccAddress(stranger).String()), regulator)})
	require.ErrorIs(t, err, types.ErrInvalidSealed)
}
