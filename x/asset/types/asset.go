package types

import sdk "github.com/cosmos/cosmos-sdk/types"

// Live is true while the asset can still be used (not rejected or redeemed).
func (a Asset) Live() bool {
	return a.Status != ASSET_STATUS_REJECTED && a.Status != ASSET_STATUS_REDEEMED
}

// CurrentValue is the latest valuation (zero coin before approval).
func (a Asset) CurrentValue() sdk.Coin {
	if len(a.Valuations) == 0 {
		return sdk.Coin{}
	}
	return a.Valuations[len(a.Valuations)-1].Value
}
