package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	"github.com/vinhub/vinhub/x/internal/accaddr"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// OfferLoan escrows a lender's principal in the module account for a loan
// against an active asset, to one named borrower. Lender role only; the rate
// and term must be within the params.
func (k Keeper) OfferLoan(ctx context.Context, msg *types.MsgOfferLoan) (uint64, error) {
	msg, err := msg.Canonical()
	if err != nil {
		return 0, err
	}
	lender := sdk.MustAccAddressFromBech32(msg.Lender)
	if err := k.roles.CheckRole(ctx, lender, membershiptypes.ROLE_LENDER); err != nil {
		return 0, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	if err := params.CheckLoanTerms(msg.InterestRateBps, msg.Term); err != nil {
		return 0, err
	}
	if err := types.CheckInterestFits(msg.Principal, msg.InterestRateBps); err != nil {
		return 0, err
	}
	a, err := k.GetAsset(ctx, msg.AssetId)
	if err != nil {
		return 0, err
	}
	if err := checkMovable(a); err != nil {
		return 0, err
	}
	if err := k.checkSealed(ctx, msg.Sealed, types.SealedLoanSubject(msg.AssetId, msg.Borrower, msg.Lender)); err != nil {
		return 0, err
	}
	if err := k.bank.SendCoinsFromAccountToModule(ctx, lender, types.ModuleName, sdk.NewCoins(msg.Principal)); err != nil {
		return 0, errorsmod.Wrapf(types.ErrInsufficientFunds, "%s cannot escrow the principal %s: %v", lender, msg.Principal, err)
	}
	id, err := k.NextLoanID.Next(ctx)
	if err != nil {
		return 0, err
	}
	loan := types.Loan{
		Id: id, AssetId: a.Id, Lender: msg.Lender, Borrower: msg.Borrower, Principal: msg.Principal,
		InterestRateBps: msg.InterestRateBps, Term: msg.Term, Status: types.LOAN_STATUS_OFFERED, OfferedAt: blockTime(ctx),
		ForeignRepayments: msg.ForeignRepayments, Sealed: msg.Sealed,
	}
	if err := k.saveLoan(ctx, loan); err != nil {
		return 0, err
	}
	return id, emit(ctx, &types.EventLoanOffered{LoanId: id, AssetId: a.Id, Lender: msg.Lender, Borrower: msg.Borrower, Principal: msg.Principal})
}

// CancelOffer withdraws an offer nobody took; the escrowed principal goes back.
func (k Keeper) CancelOffer(ctx context.Context, msg *types.MsgCancelOffer) error {
	msg, err := msg.Canonical()
	if err != nil {
		return err
	}
	loan, err := k.lenderLoan(ctx, msg.Lender, msg.LoanId, types.LOAN_STATUS_OFFERED)
	if err != nil {
		return err
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(loan.Lender), sdk.NewCoins(loan.Principal)); err != nil {
		return fmt.Errorf("return the escrow of loan %d: %w", loan.Id, err)
	}
	now := blockTime(ctx)
	loan.Status, loan.ClosedAt = types.LOAN_STATUS_CANCELLED, &now
	if err := k.saveLoan(ctx, loan); err != nil {
		return err
	}
	return emit(ctx, &types.EventLoanCancelled{LoanId: loan.Id, Lender: loan.Lender})
}

// Pledge takes a loan offer: the owner's asset is escrowed, the lien taken
// and the principal paid to the owner. The owner's score must reach the
// pledge gate; the asset must be active, unfrozen and not listed.
func (k Keeper) Pledge(ctx context.Context, msg *types.MsgPledge) (uint64, error) {
	msg, err := msg.Canonical()
	if err != nil {
		return 0, err
	}
	owner := sdk.MustAccAddressFromBech32(msg.Owner)
	if err := k.credit.CheckScore(ctx, owner, credittypes.GATE_PLEDGE); err != nil {
		return 0, err
	}
	loan, err := k.GetLoan(ctx, msg.LoanId)
	if err != nil {
		return 0, err
	}
	if err := checkOffer(loan, msg.Owner, loan.AssetId); err != nil {
		return 0, err
	}
	a, err := k.ownedMovable(ctx, msg.Owner, loan.AssetId)
	if err != nil {
		return 0, err
	}
	if a.ListPrice != nil {
		return 0, errorsmod.Wrapf(types.ErrListed, "asset %d is listed for sale at %s; unlist it before pledging", a.Id, a.ListPrice)
	}
	return k.startLoan(ctx, a, loan, owner)
}

// checkOffer refuses a loan that is not an open offer against assetID made to borrower.
func checkOffer(loan types.Loan, borrower string, assetID uint64) error {
	if err := requireLoanStatus(loan, types.LOAN_STATUS_OFFERED); err != nil {
		return err
	}
	if !accaddr.Same(loan.Borrower, borrower) {
		return errorsmod.Wrapf(types.ErrNotBorrower, "loan offer %d is made to %s, not %s", loan.Id, loan.Borrower, borrower)
	}
	if loan.AssetId != assetID {
		return errorsmod.Wrapf(types.ErrLoanAssetMismatch, "loan offer %d is against asset %d, not %d", loan.Id, loan.AssetId, assetID)
	}
	return nil
}

// startLoan escrows the title, takes the VIN's lien (vehicles), starts the
// clock and pays the escrowed principal to payee (the owner pledging, or the
// seller when the loan finances a purchase). It returns the lien id.
func (k Keeper) startLoan(ctx context.Context, a types.Asset, loan types.Loan, payee sdk.AccAddress) (uint64, error) {
	if a.Kind == types.ASSET_KIND_VEHICLE {
		lien, err := k.vehicle.GrantLien(ctx, a.Vin, lienHolder(loan))
		if err != nil {
			return 0, errorsmod.Wrapf(err, "asset %d cannot be pledged", a.Id)
		}
		loan.LienId = lien.Id
	}
	now := blockTime(ctx)
	maturity := now.Add(loan.Term)
	loan.Status, loan.StartedAt, loan.Maturity = types.LOAN_STATUS_ACTIVE, &now, &maturity
	a.Status, a.LoanId = types.ASSET_STATUS_PLEDGED, loan.Id
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, payee, sdk.NewCoins(loan.Principal)); err != nil {
		return 0, fmt.Errorf("pay out loan %d: %w", loan.Id, err)
	}
	if err := k.saveLoan(ctx, loan); err != nil {
		return 0, err
	}
	if err := k.Assets.Set(ctx, a.Id, a); err != nil {
		return 0, err
	}
	return loan.LienId, emit(ctx, &types.EventAssetPledged{AssetId: a.Id, LoanId: loan.Id, Borrower: loan.Borrower,
		Lender: loan.Lender, LienId: loan.LienId, Maturity: maturity})
}

// lienHolder is how the hub's lien registry records a loan of this module.
func lienHolder(loan types.Loan) vehicletypes.LienHolder {
	return vehicletypes.LienHolder{Module: types.ModuleName, Lender: loan.Lender, Reference: fmt.Sprintf("loan/%d", loan.Id)}
}

// Repay pays principal plus interest accrued to now, less what payments on
// other rails already counted for, from the borrower to the lender (never to
// anyone else), and completes the repayment. Frozen assets may be repaid.
// It returns what the borrower paid on the hub.
func (k Keeper) Repay(ctx context.Context, msg *types.MsgRepay) (sdk.Coin, error) {
	msg, err := msg.Canonical()
	if err != nil {
		return sdk.Coin{}, err
	}
	loan, err := k.GetLoan(ctx, msg.LoanId)
	if err != nil {
		return sdk.Coin{}, err
	}
	if err := requireLoanStatus(loan, types.LOAN_STATUS_ACTIVE); err != nil {
		return sdk.Coin{}, err
	}
	if !accaddr.Same(loan.Borrower, msg.Borrower) {
		return sdk.Coin{}, errorsmod.Wrapf(types.ErrNotBorrower,
			"loan %d is owed by %s, not %s; only the borrower repays, and repayment always goes to the lender %s", loan.Id, loan.Borrower, msg.Borrower, loan.Lender)
	}
	now := blockTime(ctx)
	due, err := loan.AmountDue(now)
	if err != nil {
		return sdk.Coin{}, err
	}
	rest, err := loan.Outstanding(now)
	if err != nil {
		return sdk.Coin{}, err
	}
	borrower, lender := sdk.MustAccAddressFromBech32(loan.Borrower), sdk.MustAccAddressFromBech32(loan.Lender)
	if rest.IsPositive() {
		if err := k.pay(ctx, borrower, lender, rest, fmt.Sprintf("repay loan %d", loan.Id)); err != nil {
			return sdk.Coin{}, err
		}
	}
	return rest, k.completeRepayment(ctx, loan, due, "")
}

// completeRepayment closes an active loan whose amount due has been paid, on
// the hub (MsgRepay) or across rails (the payment of attestationID): the
// title goes back to the borrower, the lien is released and the borrower's
// score hears of it, on time or late. Both ways of repaying end here.
func (k Keeper) completeRepayment(ctx context.Context, loan types.Loan, due sdk.Coin, attestationID string) error {
	now := blockTime(ctx)
	loan.Late = now.After(*loan.Maturity)
	loan.Status, loan.Repaid, loan.ClosedAt = types.LOAN_STATUS_REPAID, &due, &now
	if err := k.endLoan(ctx, loan, loan.Borrower, "repaid"); err != nil {
		return err
	}
	if err := k.credit.RecordRepayment(ctx, sdk.MustAccAddressFromBech32(loan.Borrower), !loan.Late); err != nil {
		return err
	}
	return emit(ctx, &types.EventLoanRepaid{LoanId: loan.Id, AssetId: loan.AssetId, Borrower: loan.Borrower, Amount: due, Late: loan.Late,
		RepaidAcrossRails: loan.RepaidAcrossRails, AttestationId: attestationID, Overpaid: loan.Overpaid})
}

// DeclareDefault lets the lender of an unpaid loan past maturity take the
// title; the lien is released and the default counts against the borrower.
func (k Keeper) DeclareDefault(ctx context.Context, msg *types.MsgDeclareDefault) error {
	msg, err := msg.Canonical()
	if err != nil {
		return err
	}
	loan, err := k.lenderLoan(ctx, msg.Lender, msg.LoanId, types.LOAN_STATUS_ACTIVE)
	if err != nil {
		return err
	}
	now := blockTime(ctx)
	if !now.After(*loan.Maturity) {
		return errorsmod.Wrapf(types.ErrNotMatured, "loan %d matures at %s; it is %s", loan.Id, loan.Maturity.Format("2006-01-02T15:04:05Z"), now.Format("2006-01-02T15:04:05Z"))
	}
	loan.Status, loan.ClosedAt = types.LOAN_STATUS_DEFAULTED, &now
	if err := k.endLoan(ctx, loan, loan.Lender, "default"); err != nil {
		return err
	}
	if err := k.credit.RecordDefault(ctx, sdk.MustAccAddressFromBech32(loan.Borrower)); err != nil {
		return err
	}
	return emit(ctx, &types.EventLoanDefaulted{LoanId: loan.Id, AssetId: loan.AssetId, Borrower: loan.Borrower, Lender: loan.Lender})
}

// endLoan saves a closed loan, hands the title to titleTo and releases the
// lien. Only a default moves the title: a pledged title stays with its
// borrower, so a repayment hands it back to its owner and writes no
// ownership record.
func (k Keeper) endLoan(ctx context.Context, loan types.Loan, titleTo, reason string) error {
	a, err := k.GetAsset(ctx, loan.AssetId)
	if err != nil {
		return err
	}
	a.Status, a.LoanId = types.ASSET_STATUS_ACTIVE, 0
	move := titleMove{module: types.ModuleName, reference: fmt.Sprintf("loan/%d", loan.Id), cause: vehicletypes.TITLE_CAUSE_DEFAULT}
	if err := k.giveTitle(ctx, &a, titleTo, move); err != nil {
		return err
	}
	if loan.LienId != 0 {
		if _, err := k.vehicle.ReleaseLien(ctx, loan.LienId, lienHolder(loan), reason); err != nil {
			return fmt.Errorf("release lien %d of loan %d: %w", loan.LienId, loan.Id, err)
		}
	}
	if err := k.saveLoan(ctx, loan); err != nil {
		return err
	}
	return k.Assets.Set(ctx, a.Id, a)
}

// lenderLoan loads a loan in the given status for its lender.
func (k Keeper) lenderLoan(ctx context.Context, lender string, id uint64, want types.LoanStatus) (types.Loan, error) {
	loan, err := k.GetLoan(ctx, id)
	if err != nil {
		return loan, err
	}
	if !accaddr.Same(loan.Lender, lender) {
		return loan, errorsmod.Wrapf(types.ErrNotLender, "loan %d was made by %s, not %s", loan.Id, loan.Lender, lender)
	}
	return loan, requireLoanStatus(loan, want)
}

func requireLoanStatus(l types.Loan, want types.LoanStatus) error {
	if l.Status != want {
		return errorsmod.Wrapf(types.ErrWrongLoanStatus, "loan %d is %s; this needs %s", l.Id, l.Status, want)
	}
	return nil
}
