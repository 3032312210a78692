package keeper_test

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/asset/keeper"
	"github.com/vinhub/vinhub/x/asset/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// x/notary repays hub loans through the asset keeper (hub/app wires it).
var _ notarytypes.LoanKeeper = keeper.Keeper{}

const (
	stellarNet    = "cee0302d59844d32bdca915c8203dd44b33fbb7edc19051ea37abedf28ecd472" // SHA-256 of the test network passphrase
	stellarPubnet = "7ac33997544e3175d266bd022439b22cdb16508c01163f26e5cb2a3e1045a979"
	bitcoinNet    = "683e86bd5c6d110d91b94b97137ba6bfe02dbbdb8e3dff722a669b5d69d77af6"
	lenderStellar = "GBRPYHIL2CI3FNQ4BXLFMNDLFJUNPU2HY3ZMFSHONUCEOASW7QC7OX2H"
	ownerStellar  = "GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN"
	lenderBitcoin = "sb1qw508d6qejxtdg4y5r3zarvary0c5xw7kyagj9q"
	payerBitcoin  = "sb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qzz9lxq"
)

// foreignTerms let the fixture's loan (10,000stake) be repaid in lumens,
// one stroop for 1/10000 stake, and in bitcoin, one satoshi for 3/2 stake.
func foreignTerms() []types.ForeignRepayment {
	return []types.ForeignRepayment{
		{Platform: "stellar", NetworkId: stellarNet, Asset: "native", Account: lenderStellar,
			Rate: types.ExchangeRate{Numerator: sdkmath.OneInt(), Denominator: sdkmath.NewInt(10_000)}},
		{Platform: "bitcoin", NetworkId: bitcoinNet, Asset: "btc", Account: lenderBitcoin,
			Rate: types.ExchangeRate{Numerator: sdkmath.NewInt(3), Denominator: sdkmath.NewInt(2)}},
	}
}

// offerForeign offers the fixture's loan against asset id to borrower,
// repayable on Stellar and Bitcoin.
func (f *fixture) offerForeign(t *testing.T, id uint64, borrower sdk.AccAddress) uint64 {
	t.Helper()
	resp, err := f.msgs.OfferLoan(f.ctx, &types.MsgOfferLoan{Lender: lender.String(), AssetId: id, Borrower: borrower.String(),
		Principal: coin(10_000), InterestRateBps: 1_000, Term: 30 * 24 * time.Hour, ForeignRepayments: foreignTerms()})
	require.NoError(t, err)
	f.check(t)
	return resp.LoanId
}

// pledgedForeign is an active car pledged for a loan repayable on other rails.
func (f *fixture) pledgedForeign(t *testing.T) (uint64, uint64) {
	t.Helper()
	id := f.activeCar(t)
	loanID := f.offerForeign(t, id, owner)
	_, err := f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	return id, loanID
}

// stellarPayment is a final Payment attestation of stroops lumens paid to
// the lender's Stellar account, naming loanID; tx tells payments apart.
func stellarPayment(loanID uint64, stroops int64, tx byte) notarytypes.ForeignPayment {
	return notarytypes.ForeignPayment{LoanID: loanID, Platform: notarytypes.PLATFORM_STELLAR, NetworkID: stellarNet,
		Asset: "native", Amount: sdkmath.NewInt(stroops), From: ownerStellar, To: lenderStellar, AttestationID: strings.Repeat(string("0123456789abcdef"[tx%16]), 64)}
}

// bitcoinPayment is a final Payment attestation of sats to the lender's Bitcoin address.
func bitcoinPayment(loanID uint64, sats int64, tx byte) notarytypes.ForeignPayment {
	return notarytypes.ForeignPayment{LoanID: loanID, Platform: notarytypes.PLATFORM_BITCOIN, NetworkID: bitcoinNet,
		Asset: "btc", Amount: sdkmath.NewInt(sats), From: payerBitcoin, To: lenderBitcoin, AttestationID: strings.Repeat(string("fedcba9876543210"[tx%16]), 64)}
}

// freshEvents starts a new event log on f.ctx.
func (f *fixture) freshEvents() { f.ctx = f.ctx.WithEventManager(sdk.NewEventManager()) }

// typedEvents returns the events of type T emitted on f.ctx since freshEvents.
func typedEvents[T proto.Message](f *fixture) []T {
	var out []T
	for _, ev := range f.ctx.EventManager().ABCIEvents() {
		msg, err := sdk.ParseTypedEvent(ev)
		if err != nil {
			continue // bank's untyped coin events
		}
		if e, ok := msg.(T); ok {
			out = append(out, e)
		}
	}
	return out
}

func (f *fixture) lienOf(t *testing.T, loanID uint64) vehicletypes.Lien {
	t.Helper()
	lien, err := f.vehicle.Lien(f.ctx, f.loan(t, loanID).LienId)
	require.NoError(t, err)
	return lien
}

func TestOfferLoanKeepsForeignRepaymentTerms(t *testing.T) {
	f := setup(t)
	loanID := f.offerForeign(t, f.activeCar(t), owner)
	q, err := f.queries.Loan(f.ctx, &types.QueryLoanRequest{Id: loanID})
	require.NoError(t, err)
	require.Equal(t, foreignTerms(), q.Loan.ForeignRepayments, "the terms are fixed on the loan and shown by the query")
	require.Nil(t, q.Loan.RepaidAcrossRails)

	plain := f.offer(t, q.Loan.AssetId, owner)
	require.Empty(t, f.loan(t, plain).ForeignRepayments, "terms are optional")
}

// TestRepayAcrossRailsPartialThenFull: a payment in lumens counts for part
// of the loan, a payment in bitcoin completes it; the title and the lien are
// released once, exactly as an on-hub repayment does, and no hub coins move.
func TestRepayAcrossRailsPartialThenFull(t *testing.T) {
	f := setup(t)
	id, loanID := f.pledgedForeign(t)
	ownerBefore, lenderBefore := f.balance(owner), f.balance(lender)
	lienID := f.loan(t, loanID).LienId
	scoreBefore := f.score(t, owner)

	// 10 days: 10,000 + ⌈27.39⌉ = 10,028 due. 50,000,000 stroops at 1/10000 = 5,000stake.
	f.advance(10 * 24 * time.Hour)
	f.freshEvents()
	result, err := f.k.RepayAcrossRails(f.ctx, stellarPayment(loanID, 50_000_000, 1))
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, "loan 1: 5000 of 10028stake repaid (50000000 native on stellar at 1/10000)", result)
	l, a := f.loan(t, loanID), f.asset(t, id)
	require.Equal(t, types.LOAN_STATUS_ACTIVE, l.Status)
	require.Equal(t, coin(5_000), *l.RepaidAcrossRails)
	require.Equal(t, types.ASSET_STATUS_PLEDGED, a.Status, "a part payment releases nothing")
	require.Equal(t, vehicletypes.LIEN_STATUS_ACTIVE, f.lienOf(t, loanID).Status)
	paid := typedEvents[*types.EventForeignRepayment](f)
	require.Len(t, paid, 1)
	require.Equal(t, types.EventForeignRepayment{LoanId: loanID, AttestationId: stellarPayment(loanID, 0, 1).AttestationID, Platform: "stellar",
		NetworkId: stellarNet, Asset: "native", Amount: sdkmath.NewInt(50_000_000), From: ownerStellar, To: lenderStellar,
		Credited: coin(5_000), RepaidAcrossRails: coin(5_000), AmountDue: coin(10_028)}, *paid[0])

	// 15 days: 10,042 due, 5,042 left, which is what the Loan query shows.
	f.advance(5 * 24 * time.Hour)
	q, err := f.queries.Loan(f.ctx, &types.QueryLoanRequest{Id: loanID})
	require.NoError(t, err)
	require.Equal(t, coin(5_042), *q.AmountDue)

	// 3,400 sats at 3/2 = 5,100stake: 10,100 in all, 58 over.
	f.freshEvents()
	result, err = f.k.RepayAcrossRails(f.ctx, bitcoinPayment(loanID, 3_400, 2))
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, "loan 1 repaid in full; title 1 released", result)
	l, a = f.loan(t, loanID), f.asset(t, id)
	require.Equal(t, types.LOAN_STATUS_REPAID, l.Status)
	require.Equal(t, coin(10_042), *l.Repaid, "repaid is the amount due, as on the hub")
	require.Equal(t, coin(10_100), *l.RepaidAcrossRails)
	require.Equal(t, coin(58), *l.Overpaid, "the overpayment is recorded; the hub cannot refund it")
	require.Equal(t, start.Add(15*24*time.Hour), *l.ClosedAt)
	require.False(t, l.Late)
	require.Equal(t, types.ASSET_STATUS_ACTIVE, a.Status)
	require.Equal(t, owner.String(), a.Owner, "the title went back to the borrower")
	require.Zero(t, a.LoanId)
	lien, err := f.vehicle.Lien(f.ctx, lienID)
	require.NoError(t, err)
	require.Equal(t, vehicletypes.LIEN_STATUS_RELEASED, lien.Status)
	_, held, err := f.vehicle.ActiveLien(f.ctx, carVIN)
	require.NoError(t, err)
	require.False(t, held, "the VIN is free")
	require.Greater(t, f.score(t, owner), scoreBefore, "an on-time repayment raises the score, whatever the rail")
	require.Equal(t, ownerBefore, f.balance(owner), "no hub coins moved: the lender was paid on the other rails")
	require.Equal(t, lenderBefore, f.balance(lender))

	require.Len(t, typedEvents[*vehicletypes.EventLienReleased](f), 1)
	repaid := typedEvents[*types.EventLoanRepaid](f)
	require.Len(t, repaid, 1)
	require.Equal(t, types.EventLoanRepaid{LoanId: loanID, AssetId: id, Borrower: owner.String(), Amount: coin(10_042),
		RepaidAcrossRails: ptr(coin(10_100)), AttestationId: bitcoinPayment(loanID, 0, 2).AttestationID, Overpaid: ptr(coin(58))}, *repaid[0])
	paid = typedEvents[*types.EventForeignRepayment](f)
	require.Len(t, paid, 1)
	require.True(t, paid[0].Repaid)
	require.Equal(t, coin(5_100), paid[0].Credited)

	// A payment after full repayment is refused and changes nothing.
	before := f.snapshot(t)
	_, err = f.k.RepayAcrossRails(f.ctx, stellarPayment(loanID, 10_000_000, 3))
	require.ErrorIs(t, err, types.ErrWrongLoanStatus)
	require.Equal(t, before, f.snapshot(t))
	f.check(t)

	// Exported state with the new fields is valid genesis and imports as it was.
	exported, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, exported.Validate())
	fresh := setup(t)
	require.NoError(t, fresh.k.InitGenesis(fresh.ctx, *exported))
	again, err := fresh.k.ExportGenesis(fresh.ctx)
	require.NoError(t, err)
	require.Equal(t, exported, again)
}

// TestRepayAcrossRailsTwoPaymentsInOneBlock: two attestations of different
// payments, each enough to repay the loan, execute in the same block. The
// first completes the repayment; the second finds the loan REPAID and is
// refused with nothing changed, so the title and lien are released once.
func TestRepayAcrossRailsTwoPaymentsInOneBlock(t *testing.T) {
	f := setup(t)
	id, loanID := f.pledgedForeign(t)
	f.advance(15 * 24 * time.Hour)
	f.freshEvents()

	_, err := f.k.RepayAcrossRails(f.ctx, stellarPayment(loanID, 110_000_000, 1))
	require.NoError(t, err)
	f.check(t)
	before := f.snapshot(t)
	_, err = f.k.RepayAcrossRails(f.ctx, bitcoinPayment(loanID, 7_000, 2))
	require.ErrorIs(t, err, types.ErrWrongLoanStatus)
	require.True(t, errorsmod.IsOf(err, types.ErrWrongLoanStatus), "matched by its registered code")
	require.Equal(t, before, f.snapshot(t), "the second payment changes nothing")
	f.check(t)

	require.Len(t, typedEvents[*vehicletypes.EventLienReleased](f), 1, "the lien is released once")
	require.Len(t, typedEvents[*types.EventLoanRepaid](f), 1, "the loan is repaid once")
	require.Len(t, typedEvents[*types.EventForeignRepayment](f), 1, "only the first payment counted")
	require.Equal(t, owner.String(), f.asset(t, id).Owner)
	require.Equal(t, coin(11_000), *f.loan(t, loanID).RepaidAcrossRails)
}

// TestRepayOnHubAfterPaymentAcrossRails: a part paid in lumens is not paid
// again; MsgRepay charges the rest, and the loan records both.
func TestRepayOnHubAfterPaymentAcrossRails(t *testing.T) {
	f := setup(t)
	_, loanID := f.pledgedForeign(t)
	f.advance(15 * 24 * time.Hour)
	_, err := f.k.RepayAcrossRails(f.ctx, stellarPayment(loanID, 50_000_000, 1))
	require.NoError(t, err)
	ownerBefore, lenderBefore := f.balance(owner), f.balance(lender)

	f.freshEvents()
	resp, err := f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: owner.String(), LoanId: loanID})
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, coin(5_042), resp.Amount, "10,042 due less 5,000 paid in lumens")
	require.Equal(t, ownerBefore.SubRaw(5_042), f.balance(owner))
	require.Equal(t, lenderBefore.AddRaw(5_042), f.balance(lender))
	l := f.loan(t, loanID)
	require.Equal(t, types.LOAN_STATUS_REPAID, l.Status)
	require.Equal(t, coin(10_042), *l.Repaid)
	require.Equal(t, coin(5_000), *l.RepaidAcrossRails)
	require.Nil(t, l.Overpaid)
	repaid := typedEvents[*types.EventLoanRepaid](f)
	require.Len(t, repaid, 1)
	require.Equal(t, coin(10_042), repaid[0].Amount)
	require.Empty(t, repaid[0].AttestationId, "repaid on the hub")
}

// TestRepayAcrossRailsLateAndFrozen: a frozen asset can be repaid across
// rails, and after maturity the repayment is late, as on the hub.
func TestRepayAcrossRailsLateAndFrozen(t *testing.T) {
	f := setup(t)
	id, loanID := f.pledgedForeign(t)
	_, err := f.msgs.Freeze(f.ctx, &types.MsgFreeze{Signer: regul.String(), AssetId: id, Reason: "audit"})
	require.NoError(t, err)
	f.advance(31 * 24 * time.Hour)
	before := f.score(t, owner)
	result, err := f.k.RepayAcrossRails(f.ctx, bitcoinPayment(loanID, 7_000, 1))
	require.NoError(t, err)
	f.check(t)
	require.Equal(t, "loan 1 repaid in full; title 1 released", result)
	require.True(t, f.loan(t, loanID).Late)
	require.Less(t, f.score(t, owner), before, "a late repayment lowers the score")
	require.True(t, f.asset(t, id).Frozen, "the freeze stays")
}

// TestRepayAcrossRailsRefusals: payments that repay nothing are refused
// with a registered error, and write nothing: no state, no event.
func TestRepayAcrossRailsRefusals(t *testing.T) {
	var (
		f       *fixture
		loanID  uint64
		payment notarytypes.ForeignPayment
	)
	cases := []struct {
		name     string
		malleate func()
		wantErr  error
	}{
		{"unknown loan", func() { payment.LoanID = 999 }, types.ErrLoanNotFound},
		{"loan offered, not active", func() {
			payment.LoanID = f.offerForeign(t, f.activeReceivable(t), owner)
		}, types.ErrWrongLoanStatus},
		{"loan repaid on the hub", func() {
			_, err := f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: owner.String(), LoanId: loanID})
			require.NoError(t, err)
		}, types.ErrWrongLoanStatus},
		{"loan defaulted", func() {
			f.advance(31 * 24 * time.Hour)
			_, err := f.msgs.DeclareDefault(f.ctx, &types.MsgDeclareDefault{Lender: lender.String(), LoanId: loanID})
			require.NoError(t, err)
		}, types.ErrWrongLoanStatus},
		{"loan offered without foreign terms", func() {
			id := f.activeReceivable(t)
			plain := f.offer(t, id, owner)
			_, err := f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: owner.String(), LoanId: plain})
			require.NoError(t, err)
			payment.LoanID = plain
		}, types.ErrNoForeignRepaymentTerm},
		{"wrong asset", func() { payment.Asset = "USDC:" + lenderStellar }, types.ErrNoForeignRepaymentTerm},
		{"unknown network", func() { payment.NetworkID = stellarPubnet }, types.ErrNoForeignRepaymentTerm},
		{"bitcoin network named as stellar", func() { payment.NetworkID = bitcoinNet }, types.ErrNoForeignRepaymentTerm},
		{"bitcoin term, stellar platform", func() {
			payment.NetworkID, payment.Asset, payment.To = bitcoinNet, "btc", lenderBitcoin
		}, types.ErrNoForeignRepaymentTerm},
		{"a ledger platform", func() { payment.Platform = notarytypes.PLATFORM_LEDGER }, types.ErrNoForeignRepaymentTerm},
		{"paid to an account other than the lender's", func() { payment.To = ownerStellar }, types.ErrWrongForeignAccount},
		{"paid to the lender's account spelled otherwise", func() { payment.To = strings.ToLower(lenderStellar) }, types.ErrWrongForeignAccount},
		{"paid to the lender's bitcoin address on stellar", func() { payment.To = lenderBitcoin }, types.ErrWrongForeignAccount},
		{"worth less than one unit", func() { payment.Amount = sdkmath.NewInt(9_999) }, types.ErrInvalidAmount},
		{"amount above 2^128", func() {
			payment.Amount = sdkmath.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 128))
		}, types.ErrInvalidAmount},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f = setup(t)
			_, loanID = f.pledgedForeign(t)
			f.advance(15 * 24 * time.Hour)
			payment = stellarPayment(loanID, 50_000_000, 1)
			tc.malleate()
			f.check(t)
			before := f.snapshot(t)
			f.freshEvents()
			_, err := f.k.RepayAcrossRails(f.ctx, payment)
			require.True(t, errorsmod.IsOf(err, tc.wantErr), "want %v, got %v", tc.wantErr, err)
			require.Equal(t, before, f.snapshot(t), "a refused payment changes nothing")
			require.Empty(t, f.ctx.EventManager().ABCIEvents(), "and emits nothing")
			f.check(t)
		})
	}
}

func ptr[T any](v T) *T { return &v }
