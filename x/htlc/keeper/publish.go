package keeper

import (
	"context"
	"fmt"
	"strings"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/htlc/types"
)

// PublishForeignSecret makes public on the hub a secret that a final
// notary attestation (evidence: its id) saw revealed by a claim on another
// rail (DESIGN flow 6): it is recorded on every HTLC under the hash that
// does not carry it yet, whatever its state, and kept by hash, so a hub leg
// can be claimed by anyone who watches the hub alone, and no HTLC can be
// locked under the hash any more. It never claims, pays or changes a
// state: a claim still goes through MsgClaim and pays the recipient.
// Publishing a secret again changes nothing and emits nothing. It returns
// what it did, for the attestation's result.
func (k Keeper) PublishForeignSecret(ctx context.Context, hashLock, secret, evidence string) (string, error) {
	pub := types.PublishedSecret{HashLock: hashLock, Secret: secret, Evidence: evidence, Height: blockHeight(ctx)}
	if err := pub.Validate(); err != nil {
		return "", err
	}
	prev, err := k.Published.Get(ctx, hashLock)
	again := err == nil
	switch {
	case errorsmod.IsOf(err, collections.ErrNotFound):
		if err := k.Published.Set(ctx, hashLock, pub); err != nil {
			return "", fmt.Errorf("publish the secret of %s: %w", hashLock, err)
		}
	case err != nil:
		return "", err
	}
	ids, err := k.recordForeignSecret(ctx, pub)
	if err != nil {
		return "", err
	}
	if again && len(ids) == 0 {
		return fmt.Sprintf("secret of %s already published by %s at height %d; nothing to do", hashLock, prev.Evidence, prev.Height), nil
	}
	if err := emit(ctx, &types.EventForeignSecretPublished{HashLock: hashLock, Secret: secret, Evidence: evidence, HtlcIds: ids}); err != nil {
		return "", err
	}
	if len(ids) == 0 {
		return fmt.Sprintf("secret of %s published; no hub htlc uses it yet", hashLock), nil
	}
	return fmt.Sprintf("secret of %s published on htlc %s", hashLock, strings.Join(ids, ", ")), nil
}

// recordForeignSecret writes the secret on each HTLC under its hash that
// does not carry it yet and returns their ids, in sender order. The ids are
// read before any write, so the index is not walked while the store moves.
func (k Keeper) recordForeignSecret(ctx context.Context, pub types.PublishedSecret) ([]string, error) {
	it, err := k.ByHashSender.Iterate(ctx, collections.NewPrefixedPairRange[string, sdk.AccAddress](pub.HashLock))
	if err != nil {
		return nil, err
	}
	under, err := it.Values()
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, id := range under {
		h, err := k.HTLCs.Get(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("htlc %s under hash lock %s: %w", id, pub.HashLock, err)
		}
		if h.ForeignSecret != "" {
			continue
		}
		// Only the HTLC's value changes: no index depends on these fields.
		h.ForeignSecret, h.ForeignSecretEvidence, h.ForeignSecretHeight = pub.Secret, pub.Evidence, pub.Height
		if err := k.HTLCs.Set(ctx, id, h); err != nil {
			return nil, fmt.Errorf("record the foreign secret on htlc %s: %w", id, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// checkSecretNotPublic refuses a lock under a hash whose secret was
// published from another rail: anyone could claim it at once, so the
// sender's counterparty would get it without giving anything back.
func (k Keeper) checkSecretNotPublic(ctx context.Context, hashLock string) error {
	pub, err := k.Published.Get(ctx, hashLock)
	if err == nil {
		return errorsmod.Wrapf(types.ErrSecretPublic, "the secret of hash lock %s was published at height %d (evidence %s)", hashLock, pub.Height, pub.Evidence)
	}
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return nil
	}
	return err
}

// GetPublishedSecret returns the published secret of a hash lock (any hex
// case), or ErrNotFound.
func (k Keeper) GetPublishedSecret(ctx context.Context, hashLock string) (types.PublishedSecret, error) {
	hash, err := types.ParseHashLock(hashLock)
	if err != nil {
		return types.PublishedSecret{}, err
	}
	pub, err := k.Published.Get(ctx, hash.String())
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return pub, errorsmod.Wrapf(types.ErrNotFound, "no secret of hash lock %s was published", hash)
	}
	return pub, err
}
