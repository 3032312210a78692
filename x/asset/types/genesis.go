package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// DefaultGenesis has the default params and no assets.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextAssetId: 1, NextLoanId: 1}
}

// Validate checks the params, every asset and loan, and the links between them.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	assets := make(map[uint64]Asset, len(gs.Assets))
	approvedVINs := make(map[string]uint64)
	for _, a := range gs.Assets {
		if err := a.validateGenesis(gs.NextAssetId); err != nil {
			return err
		}
		if _, dup := assets[a.Id]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "asset %d appears twice", a.Id)
		}
		assets[a.Id] = a
		if a.Vin != "" && a.Approved() {
			if other, dup := approvedVINs[a.Vin]; dup {
				return errorsmod.Wrapf(ErrInvalidGenesis, "VIN %s has two approved assets (%d and %d)", a.Vin, other, a.Id)
			}
			approvedVINs[a.Vin] = a.Id
		}
	}
	loans := make(map[uint64]Loan, len(gs.Loans))
	for _, l := range gs.Loans {
		if err := l.validateGenesis(gs.NextLoanId, assets); err != nil {
			return err
		}
		if _, dup := loans[l.Id]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "loan %d appears twice", l.Id)
		}
		loans[l.Id] = l
	}
	for _, a := range gs.Assets {
		if a.Status != ASSET_STATUS_PLEDGED {
			continue
		}
		l, ok := loans[a.LoanId]
		if !ok || l.Status != LOAN_STATUS_ACTIVE || l.AssetId != a.Id {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pledged asset %d has no active loan %d against it", a.Id, a.LoanId)
		}
	}
	return nil
}

func (a Asset) validateGenesis(next uint64) error {
	if a.Id == 0 || a.Id >= next {
		return errorsmod.Wrapf(ErrInvalidGenesis, "asset id %d must be in [1, next_asset_id %d)", a.Id, next)
	}
	if err := validateStoredAddress("owner", a.Owner); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "asset %d: %v", a.Id, err)
	}
	if err := a.Kind.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "asset %d: %v", a.Id, err)
	}
	if _, ok := AssetStatus_name[int32(a.Status)]; !ok || a.Status == ASSET_STATUS_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidGenesis, "asset %d: invalid status %d", a.Id, a.Status)
	}
	if (a.Kind == ASSET_KIND_VEHICLE) != (a.Vin != "") {
		return errorsmod.Wrapf(ErrInvalidGenesis, "asset %d: vehicle assets and only they carry a VIN", a.Id)
	}
	if a.Status == ASSET_STATUS_PLEDGED && a.LoanId == 0 {
		return errorsmod.Wrapf(ErrInvalidGenesis, "asset %d is pledged without a loan", a.Id)
	}
	return nil
}

func (l Loan) validateGenesis(next uint64, assets map[uint64]Asset) error {
	if l.Id == 0 || l.Id >= next {
		return errorsmod.Wrapf(ErrInvalidGenesis, "loan id %d must be in [1, next_loan_id %d)", l.Id, next)
	}
	if _, ok := assets[l.AssetId]; !ok {
		return errorsmod.Wrapf(ErrInvalidGenesis, "loan %d is against unknown asset %d", l.Id, l.AssetId)
	}
	for what, addr := range map[string]string{"lender": l.Lender, "borrower": l.Borrower} {
		if err := validateStoredAddress(what, addr); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "loan %d: %v", l.Id, err)
		}
	}
	if err := ValidateAmount("principal", l.Principal); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "loan %d: %v", l.Id, err)
	}
	if _, ok := LoanStatus_name[int32(l.Status)]; !ok || l.Status == LOAN_STATUS_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidGenesis, "loan %d: invalid status %d", l.Id, l.Status)
	}
	if l.Status == LOAN_STATUS_ACTIVE && (l.StartedAt == nil || l.Maturity == nil) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "active loan %d needs started_at and maturity", l.Id)
	}
	if err := ValidateForeignRepayments(l.ForeignRepayments); err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "loan %d: %v", l.Id, err)
	}
	for what, c := range map[string]*sdk.Coin{"repaid_across_rails": l.RepaidAcrossRails, "overpaid": l.Overpaid} {
		if c != nil && (c.Validate() != nil || c.Denom != l.Principal.Denom) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "loan %d: %s %s must be a valid amount of %s", l.Id, what, c, l.Principal.Denom)
		}
	}
	return nil
}
