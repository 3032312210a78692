package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"
)

// Validate checks a title origin as a record carries it: a module, a
// reference, an asset and a cause; a from owner; a to owner except on
// redemption, when the title leaves the hub.
func (o TitleOrigin) Validate() error {
	if _, ok := TitleCause_name[int32(o.Cause)]; !ok || o.Cause == TITLE_CAUSE_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidRecord, "title origin: unknown cause %d", o.Cause)
	}
	if o.Module == "" || o.Reference == "" || o.AssetId == 0 || o.From == "" {
		return errorsmod.Wrapf(ErrInvalidRecord, "title origin %q of asset %d: module, reference, asset and previous owner are required", o.Reference, o.AssetId)
	}
	if (o.To == "") != (o.Cause == TITLE_CAUSE_REDEMPTION) {
		return errorsmod.Wrapf(ErrInvalidRecord, "title origin %q of asset %d: a new owner is required unless the asset is redeemed, and forbidden then", o.Reference, o.AssetId)
	}
	return nil
}

// Describe is the description an ownership-transfer record written for the
// title move carries, so a history reads without decoding the origin.
func (o TitleOrigin) Describe() string {
	if o.Cause == TITLE_CAUSE_REDEMPTION {
		return fmt.Sprintf("hub asset %d redeemed by %s (%s/%s): the title leaves the hub", o.AssetId, o.From, o.Module, o.Reference)
	}
	return fmt.Sprintf("hub asset %d title %s: %s -> %s (%s/%s)", o.AssetId, o.Cause, o.From, o.To, o.Module, o.Reference)
}
