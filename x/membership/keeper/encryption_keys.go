package keeper

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/membership/types"
)

// ReporterChecker is x/vehicle's dealer registry as membership asks it: is
// an account an admitted reporter of a dealer (a member without a role).
type ReporterChecker interface {
	CheckReporter(ctx context.Context, dealerID string, reporter sdk.AccAddress) error
}

// WithReporters returns the keeper accepting dealers' admitted reporters as
// members who may register an encryption key. Call it before the keeper is
// handed to other modules: they keep copies.
func (k Keeper) WithReporters(r ReporterChecker) Keeper {
	k.reporters = r
	return k
}

// RegisterEncryptionKey registers pub as owner's next key version. The owner
// must be a member (a role, an admitted operator, or dealerID's reporter)
// and not a regulator: governance sets regulators' keys.
func (k Keeper) RegisterEncryptionKey(ctx context.Context, owner sdk.AccAddress, pub []byte, dealerID string) (uint32, error) {
	if err := types.ValidateEncryptionKey(pub); err != nil {
		return 0, err
	}
	regulator, err := k.HasRole(ctx, owner, types.ROLE_REGULATOR)
	if err != nil {
		return 0, err
	}
	if regulator {
		return 0, errorsmod.Wrapf(types.ErrKeyByGovernance, "%s is a regulator: governance sets its key (MsgSetEncryptionKey)", owner)
	}
	if err := k.checkMember(ctx, owner, dealerID); err != nil {
		return 0, err
	}
	return k.setEncryptionKey(ctx, owner, pub, false)
}

// SetEncryptionKey is governance setting a member's key: how regulators' keys are set.
func (k Keeper) SetEncryptionKey(ctx context.Context, addr sdk.AccAddress, pub []byte) (uint32, error) {
	if err := types.ValidateEncryptionKey(pub); err != nil {
		return 0, err
	}
	if err := k.checkMember(ctx, addr, ""); err != nil {
		return 0, err
	}
	return k.setEncryptionKey(ctx, addr, pub, true)
}

// checkMember wants addr to hold a role, be an admitted operator, or be an
// admitted reporter of dealerID.
func (k Keeper) checkMember(ctx context.Context, addr sdk.AccAddress, dealerID string) error {
	roles, err := k.RolesOf(ctx, addr)
	if err != nil || len(roles) > 0 {
		return err
	}
	admitted, err := k.Operators.Has(ctx, addr)
	if err != nil || admitted {
		return err
	}
	if dealerID != "" && k.reporters != nil {
		if err := k.reporters.CheckReporter(ctx, dealerID, addr); err == nil {
			return nil
		}
	}
	return errorsmod.Wrapf(types.ErrNotMember,
		"%s holds no role, is no operator and is no reporter of dealer %q: only members register encryption keys", addr, dealerID)
}

// setEncryptionKey stores pub as addr's next version and marks the current
// one superseded; the old version stays, so old envelopes stay readable.
func (k Keeper) setEncryptionKey(ctx context.Context, addr sdk.AccAddress, pub []byte, byGov bool) (uint32, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	current, found, err := k.CurrentEncryptionKey(ctx, addr)
	if err != nil {
		return 0, err
	}
	if found && bytes.Equal(current.PublicKey, pub) {
		return 0, errorsmod.Wrapf(types.ErrKeyUnchanged, "%s version %d is this key already", addr, current.Version)
	}
	if err := k.checkKeyFree(ctx, pub); err != nil {
		return 0, err
	}
	str, err := k.addressCodec.BytesToString(addr)
	if err != nil {
		return 0, errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	if found {
		current.SupersededHeight = sdkCtx.BlockHeight()
		if err := k.EncryptionKeys.Set(ctx, collections.Join(addr, current.Version), current); err != nil {
			return 0, err
		}
	}
	last, err := k.lastKeyVersion(ctx, addr)
	if err != nil {
		return 0, err
	}
	next := types.EncryptionKey{Address: str, Version: last + 1, PublicKey: bytes.Clone(pub),
		RegisteredHeight: sdkCtx.BlockHeight(), SetByGovernance: byGov}
	if err := k.storeEncryptionKey(ctx, addr, next); err != nil {
		return 0, err
	}
	return next.Version, sdkCtx.EventManager().EmitTypedEvent(&types.EventEncryptionKeyRegistered{
		Address: str, Version: next.Version, SetByGovernance: byGov})
}

// lastKeyVersion is addr's highest key version, current or not (0: none):
// an account whose key a regulator grant ended has versions and no current one.
func (k Keeper) lastKeyVersion(ctx context.Context, addr sdk.AccAddress) (uint32, error) {
	iter, err := k.EncryptionKeys.Iterate(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, uint32](addr).Descending())
	if err != nil {
		return 0, err
	}
	defer iter.Close()
	if !iter.Valid() {
		return 0, nil
	}
	key, err := iter.Key()
	return key.K2(), err
}

// checkKeyFree refuses a public key registered before, by any account at any
// version: otherwise a member could register a regulator's or a lender's key
// as its own, and what is sealed "to" it would be readable by that party and
// not by the member (who could deny receiving it).
func (k Keeper) checkKeyFree(ctx context.Context, pub []byte) error {
	owner, err := k.KeyOwners.Get(ctx, pub)
	if errors.Is(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return errorsmod.Wrapf(types.ErrKeyTaken, "%x is registered to %s already: generate a fresh key", pub, owner)
}

func (k Keeper) storeEncryptionKey(ctx context.Context, addr sdk.AccAddress, key types.EncryptionKey) error {
	if err := k.EncryptionKeys.Set(ctx, collections.Join(addr, key.Version), key); err != nil {
		return fmt.Errorf("store encryption key %s/%d: %w", addr, key.Version, err)
	}
	if err := k.KeyOwners.Set(ctx, key.PublicKey, addr); err != nil {
		return fmt.Errorf("store owner of encryption key %s/%d: %w", addr, key.Version, err)
	}
	if key.SupersededHeight != 0 {
		return nil
	}
	return k.CurrentKeys.Set(ctx, addr, key.Version)
}

// CurrentEncryptionKey returns addr's current key, if it has one.
func (k Keeper) CurrentEncryptionKey(ctx context.Context, addr sdk.AccAddress) (types.EncryptionKey, bool, error) {
	version, err := k.CurrentKeys.Get(ctx, addr)
	if errors.Is(err, collections.ErrNotFound) {
		return types.EncryptionKey{}, false, nil
	}
	if err != nil {
		return types.EncryptionKey{}, false, err
	}
	key, err := k.EncryptionKeys.Get(ctx, collections.Join(addr, version))
	return key, err == nil, err
}

// EncryptionKey returns one version of addr's key (0: the current one), or
// ErrKeyNotFound: the check an envelope's recipient key id must pass.
func (k Keeper) EncryptionKey(ctx context.Context, addr sdk.AccAddress, version uint32) (types.EncryptionKey, error) {
	if version == 0 {
		key, found, err := k.CurrentEncryptionKey(ctx, addr)
		if err == nil && !found {
			err = errorsmod.Wrapf(types.ErrKeyNotFound, "%s has registered no encryption key", addr)
		}
		return key, err
	}
	key, err := k.EncryptionKeys.Get(ctx, collections.Join(addr, version))
	if errors.Is(err, collections.ErrNotFound) {
		return key, errorsmod.Wrapf(types.ErrKeyNotFound, "%s has no encryption key version %d", addr, version)
	}
	return key, err
}

// RegulatorKeys returns the current keys of the regulator role's holders,
// in address order, and the regulators that have none yet. Only a key set by
// governance counts: one the account registered itself before it was made a
// regulator is listed as missing, so no account chooses the key everything
// is sealed to.
func (k Keeper) RegulatorKeys(ctx context.Context) (keys []types.EncryptionKey, missing []string, err error) {
	holders, err := k.regulators(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, h := range holders {
		key, found, err := k.CurrentEncryptionKey(ctx, h)
		if err != nil {
			return nil, nil, err
		}
		if !found || !key.SetByGovernance {
			addr, err := k.addressCodec.BytesToString(h)
			if err != nil {
				return nil, nil, err
			}
			missing = append(missing, addr)
			continue
		}
		keys = append(keys, key)
	}
	return keys, missing, nil
}

// CheckRecipients is the chain's part of checking a sealed envelope carried
// by a local message, besides its structure (sealed.Envelope.ValidateBasic):
// every recipient names a registered key version by its canonical address,
// the entry's key fingerprint is of that registered key (not a substituted
// one), and every regulator with a key set by governance is a recipient at
// its current version.
func (k Keeper) CheckRecipients(ctx context.Context, env *sealed.Envelope) error {
	return k.checkRecipients(ctx, env, false)
}

// CheckRelayedRecipients is CheckRecipients for an envelope sealed elsewhere
// before it reached the hub (over IBC, or from a notarised ledger): a
// regulator may be listed at any version governance set, since its key may
// have rotated in flight.
func (k Keeper) CheckRelayedRecipients(ctx context.Context, env *sealed.Envelope) error {
	return k.checkRecipients(ctx, env, true)
}

func (k Keeper) checkRecipients(ctx context.Context, env *sealed.Envelope, relayed bool) error {
	listed := make(map[string]types.EncryptionKey, len(env.Recipients))
	for _, r := range env.Recipients {
		id := sealed.KeyID{Address: r.Address, Version: r.KeyVersion}
		addr, err := k.canonicalAddress(r.Address)
		if err != nil {
			return errorsmod.Wrapf(err, "sealed envelope recipient %s", id)
		}
		key, err := k.EncryptionKey(ctx, addr, r.KeyVersion)
		if err != nil {
			return errorsmod.Wrapf(err, "sealed envelope recipient %s", id)
		}
		if want := sealed.KeyFingerprint(key.PublicKey); !bytes.Equal(r.KeyFingerprint, want) {
			return errorsmod.Wrapf(types.ErrKeyMismatch, "sealed envelope recipient %s: sealed to key %x, registered key %x", id, r.KeyFingerprint, want)
		}
		listed[r.Address] = key
	}
	regulators, _, err := k.RegulatorKeys(ctx)
	if err != nil {
		return err
	}
	for _, reg := range regulators {
		got, ok := listed[reg.Address]
		switch {
		case ok && (got.Version == reg.Version || relayed && got.SetByGovernance):
		case ok:
			return errorsmod.Wrapf(types.ErrRegulatorNotRecipient, "regulator %s is listed at key version %d, its key is version %d", reg.Address, got.Version, reg.Version)
		default:
			return errorsmod.Wrapf(types.ErrRegulatorNotRecipient, "regulator %s (key version %d) is not among the recipients", reg.Address, reg.Version)
		}
	}
	return nil
}

// canonicalAddress decodes an address and wants it in its one canonical
// spelling, so one account is never two recipients (upper-case bech32).
func (k Keeper) canonicalAddress(s string) (sdk.AccAddress, error) {
	addr, err := k.addressCodec.StringToBytes(s)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "%q: %s", s, err)
	}
	if canon, err := k.addressCodec.BytesToString(addr); err != nil || canon != s {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "%q is not in canonical form; write %s", s, canon)
	}
	return addr, nil
}
