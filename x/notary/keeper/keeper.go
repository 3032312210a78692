package keeper

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/internal/accaddr"
	"github.com/vinhub/vinhub/x/notary/types"
)

// Keeper owns the notary module's state.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	// authority installs sets, accepts sources and settles what the module
	// holds back (the gov module account).
	authority string

	membership types.MembershipKeeper
	vehicle    types.VehicleKeeper
	loans      types.LoanKeeper
	htlc       types.HTLCKeeper

	Schema collections.Schema
	Params collections.Item[types.Params]
	// Sets holds every set version; the highest is current.
	Sets collections.Map[uint64, types.NotarySet]
	// Sources are the accepted payment sources by "<platform>/<network>".
	Sources collections.Map[string, types.Source]
	// Ledgers binds non-IBC ledger ids to hub dealers.
	Ledgers collections.Map[string, types.LedgerBinding]
	// Attestations holds each attestation without its signatures (its
	// signature_count counts them), so a signature writes O(1) bytes.
	Attestations collections.Map[string, types.Attestation]
	// Signatures holds each member's signature by (attestation id, index of
	// the member in the attestation's set version).
	Signatures collections.Map[collections.Pair[string, uint32], types.Signature]
	// BySource indexes attestations by (source key, id).
	BySource collections.KeySet[collections.Pair[string, string]]
	// Finalized maps a source key to the attestation that decided it; any
	// later observation of that event is a replay or an equivocation.
	Finalized collections.Map[string, string]
	// ByStatus indexes attestations by (status, id).
	ByStatus collections.KeySet[collections.Pair[int32, string]]
	// Delayed is the governor's queue: (final time, id).
	Delayed collections.KeySet[collections.Pair[time.Time, string]]
	// Governor holds the payments executed within the window by (source, time, id).
	Governor collections.Map[collections.Triple[string, time.Time, string], types.GovernorEntry]
}

// NewKeeper builds the keeper over the module's store. loans and htlc may
// be nil on a chain without x/asset or x/htlc: attestations they would
// execute then fail with a reason, and are kept.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string,
	membership types.MembershipKeeper, vehicle types.VehicleKeeper, loans types.LoanKeeper, htlc types.HTLCKeeper,
) Keeper {
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("notary: invalid authority address %q: %w", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc: cdc, addressCodec: addressCodec, authority: authority,
		membership: membership, vehicle: vehicle, loans: loans, htlc: htlc,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Sets:         collections.NewMap(sb, types.SetsKey, "sets", collections.Uint64Key, codec.CollValue[types.NotarySet](cdc)),
		Sources:      collections.NewMap(sb, types.SourcesKey, "sources", collections.StringKey, codec.CollValue[types.Source](cdc)),
		Ledgers:      collections.NewMap(sb, types.LedgersKey, "ledgers", collections.StringKey, codec.CollValue[types.LedgerBinding](cdc)),
		Attestations: collections.NewMap(sb, types.AttestationsKey, "attestations", collections.StringKey, codec.CollValue[types.Attestation](cdc)),
		Signatures: collections.NewMap(sb, types.SignaturesKey, "signatures",
			collections.PairKeyCodec(collections.StringKey, collections.Uint32Key), codec.CollValue[types.Signature](cdc)),
		BySource: collections.NewKeySet(sb, types.BySourceKey, "attestations_by_source",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey)),
		Finalized: collections.NewMap(sb, types.FinalizedKey, "finalized", collections.StringKey, collections.StringValue),
		ByStatus: collections.NewKeySet(sb, types.ByStatusKey, "attestations_by_status",
			collections.PairKeyCodec(collections.Int32Key, collections.StringKey)),
		Delayed: collections.NewKeySet(sb, types.DelayedKey, "delayed",
			collections.PairKeyCodec(sdk.TimeKey, collections.StringKey)),
		Governor: collections.NewMap(sb, types.GovernorKey, "governor",
			collections.TripleKeyCodec(collections.StringKey, sdk.TimeKey, collections.StringKey), codec.CollValue[types.GovernorEntry](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// Authority returns the governance address.
func (k Keeper) Authority() string { return k.authority }

// CurrentSet returns the highest set version, or ErrUnknownSet if none.
func (k Keeper) CurrentSet(ctx context.Context) (types.NotarySet, error) {
	it, err := k.Sets.IterateRaw(ctx, nil, nil, collections.OrderDescending)
	if err != nil {
		return types.NotarySet{}, err
	}
	defer it.Close()
	if !it.Valid() {
		return types.NotarySet{}, errorsmod.Wrap(types.ErrUnknownSet, "no notary set installed; governance installs one with MsgUpdateNotarySet")
	}
	return it.Value()
}

// GetSet returns one set version or ErrUnknownSet.
func (k Keeper) GetSet(ctx context.Context, version uint64) (types.NotarySet, error) {
	s, err := k.Sets.Get(ctx, version)
	if errors.Is(err, collections.ErrNotFound) {
		return s, errorsmod.Wrapf(types.ErrUnknownSet, "set version %d", version)
	}
	return s, err
}

// GetAttestation returns one attestation with its signatures, or ErrNotFound.
func (k Keeper) GetAttestation(ctx context.Context, id string) (types.Attestation, error) {
	a, err := k.Attestations.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return a, errorsmod.Wrapf(types.ErrNotFound, "no attestation %s", id)
	}
	if err != nil {
		return a, err
	}
	return k.withSignatures(ctx, a)
}

// withSignatures fills in an attestation's signatures, in member order.
func (k Keeper) withSignatures(ctx context.Context, a types.Attestation) (types.Attestation, error) {
	a.Signatures = nil
	err := k.Signatures.Walk(ctx, collections.NewPrefixedPairRange[string, uint32](a.Id), func(_ collections.Pair[string, uint32], s types.Signature) (bool, error) {
		a.Signatures = append(a.Signatures, s)
		return false, nil
	})
	if err != nil {
		return a, fmt.Errorf("signatures of attestation %s: %w", a.Id, err)
	}
	return a, nil
}

// addSignature stores one member's signature and counts it.
func (k Keeper) addSignature(ctx context.Context, a *types.Attestation, member uint32, s types.Signature) error {
	if err := k.Signatures.Set(ctx, collections.Join(a.Id, member), s); err != nil {
		return fmt.Errorf("signature of attestation %s: %w", a.Id, err)
	}
	a.SignatureCount++
	return nil
}

// AttestationsOf returns every attestation of one source event, without
// their signatures (withSignatures adds them).
func (k Keeper) AttestationsOf(ctx context.Context, sourceKey string) ([]types.Attestation, error) {
	it, err := k.BySource.Iterate(ctx, collections.NewPrefixedPairRange[string, string](sourceKey))
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []types.Attestation
	for ; it.Valid(); it.Next() {
		key, err := it.Key()
		if err != nil {
			return nil, err
		}
		a, err := k.Attestations.Get(ctx, key.K2())
		if err != nil {
			return nil, fmt.Errorf("attestation %s: %w", key.K2(), err)
		}
		out = append(out, a)
	}
	return out, nil
}

// save writes an attestation and its indexes; old is its previous status
// (UNSPECIFIED for a new one).
// Its signatures are kept under their own keys (addSignature), never in
// the attestation's value.
func (k Keeper) save(ctx context.Context, a types.Attestation, old types.AttestationStatus) error {
	a.Signatures = nil
	if err := k.Attestations.Set(ctx, a.Id, a); err != nil {
		return fmt.Errorf("save attestation %s: %w", a.Id, err)
	}
	if err := k.BySource.Set(ctx, collections.Join(a.SourceKey, a.Id)); err != nil {
		return err
	}
	if old != a.Status {
		if err := k.ByStatus.Remove(ctx, collections.Join(int32(old), a.Id)); err != nil {
			return err
		}
	}
	return k.ByStatus.Set(ctx, collections.Join(int32(a.Status), a.Id))
}

func (k Keeper) checkAuthority(signer string) error {
	if !accaddr.Same(signer, k.authority) {
		return errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s (governance), got %s", k.authority, signer)
	}
	return nil
}

func blockTime(ctx context.Context) time.Time { return sdk.UnwrapSDKContext(ctx).BlockTime().UTC() }

func blockHeight(ctx context.Context) int64 { return sdk.UnwrapSDKContext(ctx).BlockHeight() }

func emit(ctx context.Context, ev proto.Message) error {
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(ev)
}
