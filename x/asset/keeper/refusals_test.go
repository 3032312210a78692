package keeper_test

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// snapshot is everything a refused message must leave untouched.
type snapshot struct {
	assets   *types.GenesisState
	balances map[string]sdk.Coins
	liens    *vehicletypes.GenesisState
	credit   *credittypes.GenesisState
}

func (f *fixture) snapshot(t *testing.T) snapshot {
	t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	vgs, err := f.vehicle.ExportGenesis(f.ctx)
	require.NoError(t, err)
	balances := map[string]sdk.Coins{}
	for _, acc := range []sdk.AccAddress{owner, examiner, lender, buyer, regul, stranger} {
		balances[acc.String()] = f.bank.GetAllBalances(f.ctx, acc)
	}
	cgs, err := f.credit.ExportGenesis(f.ctx)
	require.NoError(t, err)
	return snapshot{assets: gs, balances: balances, liens: vgs, credit: cgs}
}

// TestRefusals runs every refused transition through the Msg service and
// checks the error and that nothing changed.
func TestRefusals(t *testing.T) {
	var (
		f      *fixture
		msg    func() error
		active uint64 // an approved car
	)
	pending := func() uint64 { return f.applyReceivable(t) }
	approve := func(id uint64, signer sdk.AccAddress) func() error {
		return func() error {
			_, err := f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: signer.String(), AssetId: id, Valuation: coin(1), EvidenceHash: hash1})
			return err
		}
	}
	offerMsg := func(mod func(*types.MsgOfferLoan)) func() error {
		return func() error {
			m := &types.MsgOfferLoan{Lender: lender.String(), AssetId: active, Borrower: owner.String(),
				Principal: coin(10_000), InterestRateBps: 1_000, Term: 30 * 24 * time.Hour}
			mod(m)
			_, err := f.msgs.OfferLoan(f.ctx, m)
			return err
		}
	}
	pledge := func(loanID uint64, signer sdk.AccAddress) func() error {
		return func() error {
			_, err := f.msgs.Pledge(f.ctx, &types.MsgPledge{Owner: signer.String(), LoanId: loanID})
			return err
		}
	}

	withOffer := func(mod func(*types.MsgOfferLoan)) func() { return func() { msg = offerMsg(mod) } }

	cases := []struct {
		name     string
		malleate func()
		wantErr  error
	}{
		{"approve without the examiner role", func() { msg = approve(pending(), stranger) }, membershiptypes.ErrMissingRole},
		{"approve after the examiner role is revoked", func() {
			id := pending()
			require.NoError(t, f.roles.RevokeRole(f.ctx, examiner, membershiptypes.ROLE_EXAMINER))
			msg = approve(id, examiner)
		}, membershiptypes.ErrMissingRole},
		{"approve own asset", func() {
			require.NoError(t, f.roles.GrantRole(f.ctx, owner, membershiptypes.ROLE_EXAMINER, ""))
			msg = approve(pending(), owner)
		}, types.ErrSelfDealing},
		{"approve own asset, examiner spelled in upper case", func() {
			require.NoError(t, f.roles.GrantRole(f.ctx, owner, membershiptypes.ROLE_EXAMINER, ""))
			id := pending()
			msg = func() error {
				_, err := f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: upper(owner), AssetId: id, Valuation: coin(1), EvidenceHash: hash1})
				return err
			}
		}, types.ErrSelfDealing},
		{"approve own asset applied for in upper case", func() {
			require.NoError(t, f.roles.GrantRole(f.ctx, stranger, membershiptypes.ROLE_EXAMINER, ""))
			resp, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: upper(stranger), Kind: types.ASSET_KIND_RECEIVABLE,
				Description: "invoice 9", EvidenceHashes: []string{hash1}})
			require.NoError(t, err)
			msg = approve(resp.AssetId, stranger)
		}, types.ErrSelfDealing},
		{"reject own application, examiner spelled in upper case", func() {
			require.NoError(t, f.roles.GrantRole(f.ctx, owner, membershiptypes.ROLE_EXAMINER, ""))
			id := pending()
			msg = func() error {
				_, err := f.msgs.Reject(f.ctx, &types.MsgReject{Examiner: upper(owner), AssetId: id, Reason: "no"})
				return err
			}
		}, types.ErrSelfDealing},
		{"apply beyond max_pending_per_owner", func() {
			params, err := f.k.GetParams(f.ctx)
			require.NoError(t, err)
			params.MaxPendingPerOwner = 1
			require.NoError(t, f.k.Params.Set(f.ctx, params))
			pending()
			msg = func() error {
				_, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: owner.String(), Kind: types.ASSET_KIND_RECEIVABLE,
					Description: "invoice 13", EvidenceHashes: []string{hash1}})
				return err
			}
		}, types.ErrTooManyPending},
		{"revalue own asset, examiner spelled in upper case", func() {
			require.NoError(t, f.roles.GrantRole(f.ctx, owner, membershiptypes.ROLE_EXAMINER, ""))
			msg = func() error {
				_, err := f.msgs.Revalue(f.ctx, &types.MsgRevalue{Examiner: upper(owner), AssetId: active, Valuation: coin(9_000_000), EvidenceHash: hash1})
				return err
			}
		}, types.ErrSelfDealing},
		{"buy own listing, buyer spelled in upper case", func() {
			_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: active, Price: coin(30_000)})
			require.NoError(t, err)
			msg = func() error {
				_, err := f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: upper(owner), AssetId: active, Price: coin(30_000)})
				return err
			}
		}, types.ErrSelfDealing},
		{"offer a loan to yourself, borrower spelled in upper case", withOffer(func(m *types.MsgOfferLoan) { m.Borrower = upper(lender) }), types.ErrSelfDealing},
		{"offer a loan to yourself, lender spelled in upper case", withOffer(func(m *types.MsgOfferLoan) {
			m.Lender, m.Borrower = upper(lender), lender.String()
		}), types.ErrSelfDealing},
		{"transfer to yourself, recipient spelled in upper case", func() {
			msg = func() error {
				_, err := f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: active, Recipient: upper(owner)})
				return err
			}
		}, types.ErrSelfDealing},
		{"approve twice", func() { msg = approve(active, examiner) }, types.ErrWrongAssetStatus},
		{"approve zero valuation", func() {
			id := pending()
			msg = func() error {
				_, err := f.msgs.Approve(f.ctx, &types.MsgApprove{Examiner: examiner.String(), AssetId: id, Valuation: coin(0), EvidenceHash: hash1})
				return err
			}
		}, types.ErrInvalidAmount},
		{"approve unknown asset", func() { msg = approve(999, examiner) }, types.ErrAssetNotFound},
		{"apply for a VIN the hub has never seen", func() {
			msg = func() error {
				_, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: owner.String(), Kind: types.ASSET_KIND_VEHICLE,
					Description: "ghost car", EvidenceHashes: []string{hash1}, Vin: vehicletestutil.VIN(99)})
				return err
			}
		}, types.ErrUnknownVIN},
		{"apply for a VIN that already backs an asset", func() {
			msg = func() error {
				_, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: buyer.String(), Kind: types.ASSET_KIND_VEHICLE,
					Description: "same car", EvidenceHashes: []string{hash1}, Vin: carVIN})
				return err
			}
		}, types.ErrVINHasAsset},
		{"apply with a bad evidence hash", func() {
			msg = func() error {
				_, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: owner.String(), Kind: types.ASSET_KIND_RECEIVABLE,
					Description: "invoice 12", EvidenceHashes: []string{"not-hex"}})
				return err
			}
		}, types.ErrInvalidEvidence},
		{"apply with a low credit score", func() {
			require.NoError(t, f.credit.RecordDefault(f.ctx, stranger))
			require.NoError(t, f.credit.RecordDefault(f.ctx, stranger))
			msg = func() error {
				_, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: stranger.String(), Kind: types.ASSET_KIND_RECEIVABLE,
					Description: "invoice 12", EvidenceHashes: []string{hash1}})
				return err
			}
		}, credittypes.ErrScoreTooLow},
		{"offer without the lender role", withOffer(func(m *types.MsgOfferLoan) { m.Lender = stranger.String() }), membershiptypes.ErrMissingRole},
		{"offer zero principal", withOffer(func(m *types.MsgOfferLoan) { m.Principal = coin(0) }), types.ErrInvalidAmount},
		{"offer with a rate out of bounds", withOffer(func(m *types.MsgOfferLoan) { m.InterestRateBps = 5_001 }), types.ErrRateOutOfBounds},
		{"offer with a term beyond max_term", withOffer(func(m *types.MsgOfferLoan) { m.Term = 11 * types.Year }), types.ErrInvalidTerm},
		{"offer a principal whose interest overflows", withOffer(func(m *types.MsgOfferLoan) {
			m.Principal = sdk.NewCoin(denom, sdkmath.NewIntFromBigInt(sdkmath.NewUintFromString("1"+zeros(76)).BigInt()))
		}), types.ErrInvalidAmount},
		{"offer a foreign repayment on a ledger", withOffer(func(m *types.MsgOfferLoan) {
			m.ForeignRepayments = foreignTerms()
			m.ForeignRepayments[0].Platform = "ledger"
		}), types.ErrInvalidForeignRepayment},
		{"offer a foreign repayment on a malformed network id", withOffer(func(m *types.MsgOfferLoan) {
			m.ForeignRepayments = foreignTerms()
			m.ForeignRepayments[1].NetworkId = strings.ToUpper(bitcoinNet)
		}), types.ErrInvalidForeignRepayment},
		{"offer a foreign repayment to a malformed account", withOffer(func(m *types.MsgOfferLoan) {
			m.ForeignRepayments = foreignTerms()
			m.ForeignRepayments[0].Account = strings.ToLower(lenderStellar)
		}), types.ErrInvalidForeignRepayment},
		{"offer a foreign repayment at a zero rate", withOffer(func(m *types.MsgOfferLoan) {
			m.ForeignRepayments = foreignTerms()
			m.ForeignRepayments[0].Rate.Numerator = sdkmath.ZeroInt()
		}), types.ErrInvalidForeignRepayment},
		{"offer a foreign repayment at a rate that overflows", withOffer(func(m *types.MsgOfferLoan) {
			m.ForeignRepayments = foreignTerms()
			m.ForeignRepayments[1].Rate = types.ExchangeRate{Numerator: sdkmath.NewIntFromBigInt(new(big.Int).Lsh(big.NewInt(1), 128)), Denominator: sdkmath.OneInt()}
		}), types.ErrInvalidForeignRepayment},
		{"offer two foreign repayment terms for one asset on one network", withOffer(func(m *types.MsgOfferLoan) {
			m.ForeignRepayments = append(foreignTerms(), foreignTerms()[0])
		}), types.ErrInvalidForeignRepayment},
		{"offer more than the lender has", withOffer(func(m *types.MsgOfferLoan) { m.Principal = coin(2_000_000) }), types.ErrInsufficientFunds},
		{"offer against a pending asset", func() {
			id := pending()
			msg = offerMsg(func(m *types.MsgOfferLoan) { m.AssetId = id })
		}, types.ErrWrongAssetStatus},
		{"pledge a frozen asset", func() {
			loanID := f.offer(t, active, owner)
			_, err := f.msgs.Freeze(f.ctx, &types.MsgFreeze{Signer: examiner.String(), AssetId: active, Reason: "audit"})
			require.NoError(t, err)
			msg = pledge(loanID, owner)
		}, types.ErrFrozen},
		{"pledge a pledged asset", func() {
			first, second := f.offer(t, active, owner), f.offer(t, active, owner)
			require.NoError(t, pledge(first, owner)())
			msg = pledge(second, owner)
		}, types.ErrWrongAssetStatus},
		{"pledge a listed asset", func() {
			loanID := f.offer(t, active, owner)
			_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: active, Price: coin(5)})
			require.NoError(t, err)
			msg = pledge(loanID, owner)
		}, types.ErrListed},
		{"pledge an offer made to someone else", func() { msg = pledge(f.offer(t, active, buyer), owner) }, types.ErrNotBorrower},
		{"pledge with a score below the pledge gate", func() {
			loanID := f.offer(t, active, owner)
			require.NoError(t, f.credit.RecordDefault(f.ctx, owner)) // 500 - 150 = 350 < 400
			msg = pledge(loanID, owner)
		}, credittypes.ErrScoreTooLow},
		{"second lien on a VIN held by a dealer chain", func() {
			loanID := f.offer(t, active, owner)
			f.consentedDealerLien(t, vehicletypes.LienHolder{ChainId: "dealer-b", DealerId: "acme", Lender: stranger.String(), Reference: "1"})
			msg = pledge(loanID, owner)
		}, vehicletypes.ErrLienHeld},
		{"repay someone else's loan", func() {
			loanID := f.offer(t, active, owner)
			require.NoError(t, pledge(loanID, owner)())
			msg = func() error {
				_, err := f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: stranger.String(), LoanId: loanID})
				return err
			}
		}, types.ErrNotBorrower},
		{"repay without the funds", func() {
			loanID := f.offer(t, active, owner)
			require.NoError(t, pledge(loanID, owner)())
			all := f.bank.GetAllBalances(f.ctx, owner)
			require.NoError(t, f.bank.SendCoins(f.ctx, owner, stranger, all))
			msg = func() error {
				_, err := f.msgs.Repay(f.ctx, &types.MsgRepay{Borrower: owner.String(), LoanId: loanID})
				return err
			}
		}, types.ErrInsufficientFunds},
		{"default before maturity", func() {
			loanID := f.offer(t, active, owner)
			require.NoError(t, pledge(loanID, owner)())
			f.advance(29 * 24 * time.Hour)
			msg = func() error {
				_, err := f.msgs.DeclareDefault(f.ctx, &types.MsgDeclareDefault{Lender: lender.String(), LoanId: loanID})
				return err
			}
		}, types.ErrNotMatured},
		{"default by someone who is not the lender", func() {
			loanID := f.offer(t, active, owner)
			require.NoError(t, pledge(loanID, owner)())
			f.advance(31 * 24 * time.Hour)
			msg = func() error {
				_, err := f.msgs.DeclareDefault(f.ctx, &types.MsgDeclareDefault{Lender: buyer.String(), LoanId: loanID})
				return err
			}
		}, types.ErrNotLender},
		{"buy at a price other than the listing", func() {
			_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: active, Price: coin(30_000)})
			require.NoError(t, err)
			msg = func() error {
				_, err := f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: buyer.String(), AssetId: active, Price: coin(29_000)})
				return err
			}
		}, types.ErrPriceMismatch},
		{"buy an unlisted asset", func() {
			msg = func() error {
				_, err := f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: buyer.String(), AssetId: active, Price: coin(1)})
				return err
			}
		}, types.ErrNotListed},
		{"buy without the funds", func() {
			_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: active, Price: coin(5_000_000)})
			require.NoError(t, err)
			msg = func() error {
				_, err := f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: buyer.String(), AssetId: active, Price: coin(5_000_000)})
				return err
			}
		}, types.ErrInsufficientFunds},
		{"buy on credit when the lien is held elsewhere", func() {
			_, err := f.msgs.List(f.ctx, &types.MsgList{Owner: owner.String(), AssetId: active, Price: coin(30_000)})
			require.NoError(t, err)
			loanID := f.offer(t, active, buyer)
			f.consentedDealerLien(t, vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: stranger.String(), Reference: "2"})
			msg = func() error {
				_, err := f.msgs.Buy(f.ctx, &types.MsgBuy{Buyer: buyer.String(), AssetId: active, Price: coin(30_000), LoanId: loanID})
				return err
			}
		}, vehicletypes.ErrLienHeld},
		{"transfer a car whose VIN is liened on a dealer chain", func() {
			f.consentedDealerLien(t, vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: stranger.String(), Reference: "3"})
			msg = func() error {
				_, err := f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: active, Recipient: buyer.String()})
				return err
			}
		}, vehicletypes.ErrLienHeld},
		{"redeem a car whose VIN is liened on a dealer chain", func() {
			f.consentedDealerLien(t, vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: stranger.String(), Reference: "4"})
			msg = func() error {
				_, err := f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: owner.String(), AssetId: active})
				return err
			}
		}, vehicletypes.ErrLienHeld},
		{"apply for the same car with its VIN in lower case", func() {
			msg = func() error {
				_, err := f.msgs.Apply(f.ctx, &types.MsgApply{Owner: buyer.String(), Kind: types.ASSET_KIND_VEHICLE,
					Description: "same car", EvidenceHashes: []string{hash1}, Vin: " " + strings.ToLower(carVIN)})
				return err
			}
		}, types.ErrVINHasAsset},
		{"transfer a title to a module account", func() {
			msg = func() error {
				_, err := f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: owner.String(), AssetId: active,
					Recipient: authtypes.NewModuleAddress(types.ModuleName).String()})
				return err
			}
		}, types.ErrInvalidAddress},
		{"transfer by someone who is not the owner", func() {
			msg = func() error {
				_, err := f.msgs.Transfer(f.ctx, &types.MsgTransfer{Owner: buyer.String(), AssetId: active, Recipient: stranger.String()})
				return err
			}
		}, types.ErrNotOwner},
		{"redeem a pledged asset", func() {
			require.NoError(t, pledge(f.offer(t, active, owner), owner)())
			msg = func() error {
				_, err := f.msgs.Redeem(f.ctx, &types.MsgRedeem{Owner: owner.String(), AssetId: active})
				return err
			}
		}, types.ErrWrongAssetStatus},
		{"freeze a title held in escrow by a module account", func() {
			escrowHolder := vehicletypes.LienHolder{Module: "htlc", Lender: buyer.String(), Reference: "htlc/1"}
			require.NoError(t, f.k.EscrowTitle(f.ctx, active, owner.String(), authtypes.NewModuleAddress(types.ModuleName).String(), escrowHolder))
			msg = func() error {
				_, err := f.msgs.Freeze(f.ctx, &types.MsgFreeze{Signer: regul.String(), AssetId: active, Reason: "court order"})
				return err
			}
		}, types.ErrInEscrow},
		{"freeze without the examiner or regulator role", func() {
			msg = func() error {
				_, err := f.msgs.Freeze(f.ctx, &types.MsgFreeze{Signer: lender.String(), AssetId: active, Reason: "x"})
				return err
			}
		}, membershiptypes.ErrMissingRole},
		{"unfreeze an asset that is not frozen", func() {
			msg = func() error {
				_, err := f.msgs.Unfreeze(f.ctx, &types.MsgUnfreeze{Signer: regul.String(), AssetId: active, Reason: "x"})
				return err
			}
		}, types.ErrNotFrozen},
		{"freeze without a reason", func() {
			msg = func() error {
				_, err := f.msgs.Freeze(f.ctx, &types.MsgFreeze{Signer: regul.String(), AssetId: active})
				return err
			}
		}, types.ErrInvalidReason},
		{"update params not through governance", func() {
			msg = func() error {
				_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: owner.String(), Params: types.DefaultParams()})
				return err
			}
		}, types.ErrInvalidAuthority},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f = setup(t)
			active = f.activeCar(t)
			tc.malleate()
			before := f.snapshot(t)
			err := msg()
			require.ErrorIs(t, err, tc.wantErr)
			require.NotEmpty(t, errorsmod.Wrap(err, "").Error())
			require.Equal(t, before, f.snapshot(t), "a refused message changes nothing")
			f.check(t)
		})
	}
}

func zeros(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}
