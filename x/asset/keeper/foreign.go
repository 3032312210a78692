package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/asset/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
)

// RepayAcrossRails counts a notary-attested payment on another rail towards
// an active loan: the payment must match one of the offer's foreign
// repayment terms (platform, network, asset) and have gone to the lender's
// account there. It is converted at the term's rate, rounded down, and
// added to what the loan has been repaid across rails; once that reaches
// the amount due at this block's time the repayment completes as on the
// hub (title to the borrower, lien released, credit hook). Nothing is
// written unless every check passes; x/notary records a refusal as a
// FAILED attestation.
func (k Keeper) RepayAcrossRails(ctx context.Context, p notarytypes.ForeignPayment) (string, error) {
	loan, err := k.GetLoan(ctx, p.LoanID)
	if err != nil {
		return "", err
	}
	if err := requireLoanStatus(loan, types.LOAN_STATUS_ACTIVE); err != nil {
		return "", err
	}
	term, err := loan.ForeignRepaymentFor(p.Platform.Name(), p.NetworkID, p.Asset)
	if err != nil {
		return "", err
	}
	if p.To != term.Account {
		return "", errorsmod.Wrapf(types.ErrWrongForeignAccount,
			"payment %s went to %s, not to the lender's %s account %s named in loan %d", p.AttestationID, p.To, term.Platform, term.Account, loan.Id)
	}
	worth, err := term.Rate.Convert(p.Amount)
	if err != nil {
		return "", err
	}
	if !worth.IsPositive() {
		return "", errorsmod.Wrapf(types.ErrInvalidAmount, "%s %s at %s is worth less than 1%s: it counts for nothing", p.Amount, p.Asset, term.Rate, loan.Principal.Denom)
	}
	due, err := loan.AmountDue(blockTime(ctx))
	if err != nil {
		return "", err
	}
	credited := sdk.NewCoin(loan.Principal.Denom, worth)
	total := credited
	if loan.RepaidAcrossRails != nil {
		total = total.Add(*loan.RepaidAcrossRails)
	}
	if total.Amount.BigInt().BitLen() > types.MaxAmountBits {
		return "", errorsmod.Wrapf(types.ErrInvalidAmount, "loan %d: %s repaid across rails overflows", loan.Id, total.Amount)
	}

	loan.RepaidAcrossRails = &total
	full := total.Amount.GTE(due.Amount)
	if err := emit(ctx, &types.EventForeignRepayment{LoanId: loan.Id, AttestationId: p.AttestationID, Platform: term.Platform,
		NetworkId: p.NetworkID, Asset: p.Asset, Amount: p.Amount, From: p.From, To: p.To,
		Credited: credited, RepaidAcrossRails: total, AmountDue: due, Repaid: full}); err != nil {
		return "", err
	}
	if !full {
		if err := k.saveLoan(ctx, loan); err != nil {
			return "", err
		}
		return fmt.Sprintf("loan %d: %s of %s repaid (%s %s on %s at %s)", loan.Id, total.Amount, due, p.Amount, p.Asset, term.Platform, term.Rate), nil
	}
	if over := total.Sub(due); over.IsPositive() {
		loan.Overpaid = &over
	}
	if err := k.completeRepayment(ctx, loan, due, p.AttestationID); err != nil {
		return "", err
	}
	return fmt.Sprintf("loan %d repaid in full; title %d released", loan.Id, loan.AssetId), nil
}
