package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// BankKeeper escrows coins in the htlc module account and pays them out.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, from sdk.AccAddress, module string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error
}

// AssetKeeper is x/asset as the htlc module uses it: moving a title under
// the same rules as a transfer (active, not frozen, not pledged, no foreign lien).
type AssetKeeper interface {
	MoveTitle(ctx context.Context, assetID uint64, from, to string) error
}
