package types

import sdk "github.com/cosmos/cosmos-sdk/types"

// Approved is true for an active or pledged asset: examined, valued and not
// retired. At most one approved asset stands for a VIN; pending applications
// for it may be several.
func (a Asset) Approved() bool {
	return a.Status == ASSET_STATUS_ACTIVE || a.Status == ASSET_STATUS_PLEDGED
}

// CurrentValue is the latest valuation (zero coin before approval).
func (a Asset) CurrentValue() sdk.Coin {
	if len(a.Valuations) == 0 {
		return sdk.Coin{}
	}
	return a.Valuations[len(a.Valuations)-1].Value
}
