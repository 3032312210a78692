package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// BankKeeper escrows coins in the htlc module account and pays them out.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, from sdk.AccAddress, module string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error
}

// AssetKeeper is x/asset as the htlc module uses it: moving a title into
// and out of escrow under the same rules as a transfer (active, not frozen,
// not pledged, no foreign lien), with the VIN's lien held while escrowed.
type AssetKeeper interface {
	EscrowTitle(ctx context.Context, assetID uint64, from, escrow string, holder vehicletypes.LienHolder) error
	ReleaseTitle(ctx context.Context, assetID uint64, escrow, to string, holder vehicletypes.LienHolder) error
}
