package keeper

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/anchor/types"
)

// RecipientKeys is x/membership's registry of encryption keys, which a
// sealed note's recipients must be in.
type RecipientKeys interface {
	CheckRecipients(ctx context.Context, env *sealed.Envelope) error
}

// Keeper holds the anchorings; see docs/spec/anchor.md for the layout.
type Keeper struct {
	// keys checks sealed notes' recipients; nil refuses every sealed note.
	keys RecipientKeys

	Schema collections.Schema
	// Anchorings maps a raw SHA-256 to its first anchoring; an entry is never overwritten.
	Anchorings collections.Map[[]byte, types.Anchoring]
	// ByVIN indexes the anchorings about a VIN: (vin, sha256).
	ByVIN collections.KeySet[collections.Pair[string, []byte]]
}

// NewKeeper builds the keeper over the module's store.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		Anchorings: collections.NewMap(sb, types.AnchoringsKey, "anchorings", collections.BytesKey, codec.CollValue[types.Anchoring](cdc)),
		ByVIN: collections.NewKeySet(sb, types.ByVINKey, "by_vin",
			collections.PairKeyCodec(collections.StringKey, collections.BytesKey)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// WithRecipientKeys returns the keeper accepting sealed notes whose
// recipients hold keys in r. Call it before handing the keeper out.
func (k Keeper) WithRecipientKeys(r RecipientKeys) Keeper {
	k.keys = r
	return k
}

// Anchor anchors draft's hash at the current block unless it is anchored
// already. It returns the first anchoring and whether it existed before;
// an existing anchoring is returned as it is and nothing is written, so the
// first anchoring always wins. draft is validated (hash, kind, VIN); its
// height and time are the block's.
func (k Keeper) Anchor(ctx context.Context, draft types.Anchoring) (types.Anchoring, bool, error) {
	if err := types.ValidateHash(draft.Sha256); err != nil {
		return types.Anchoring{}, false, err
	}
	first, err := k.Anchorings.Get(ctx, draft.Sha256)
	if err == nil {
		return first, true, nil
	}
	if !errors.Is(err, collections.ErrNotFound) {
		return types.Anchoring{}, false, fmt.Errorf("anchoring %x: %w", draft.Sha256, err)
	}
	if draft.Vin, err = types.CanonicalVIN(draft.Vin); err != nil {
		return types.Anchoring{}, false, err
	}
	if err := k.checkNote(ctx, draft); err != nil {
		return types.Anchoring{}, false, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	draft.Height = sdkCtx.BlockHeight()
	draft.AnchoredAt = sdkCtx.BlockTime().UTC()
	if err := draft.Validate(); err != nil {
		return types.Anchoring{}, false, err
	}
	if err := k.store(ctx, draft); err != nil {
		return types.Anchoring{}, false, err
	}
	return draft, false, sdkCtx.EventManager().EmitTypedEvent(&types.EventEvidenceAnchored{
		Sha256: hex.EncodeToString(draft.Sha256), Kind: draft.Kind, Vin: draft.Vin,
		Submitter: draft.Submitter, Source: draft.Source,
	})
}

// checkNote checks a sealed note: structure, subject and registered recipients.
func (k Keeper) checkNote(ctx context.Context, a types.Anchoring) error {
	if a.SealedNote == nil {
		return nil
	}
	if err := types.ValidateNote(a.SealedNote, a.Sha256, a.Submitter); err != nil {
		return err
	}
	if k.keys == nil {
		return errorsmod.Wrap(types.ErrInvalidNote, "this chain has no encryption key registry")
	}
	if err := k.keys.CheckRecipients(ctx, a.SealedNote); err != nil {
		return errorsmod.Wrap(types.ErrInvalidNote, err.Error())
	}
	return nil
}

func (k Keeper) store(ctx context.Context, a types.Anchoring) error {
	if err := k.Anchorings.Set(ctx, a.Sha256, a); err != nil {
		return fmt.Errorf("store anchoring %x: %w", a.Sha256, err)
	}
	if a.Vin == "" {
		return nil
	}
	if err := k.ByVIN.Set(ctx, collections.Join(a.Vin, a.Sha256)); err != nil {
		return fmt.Errorf("index anchoring %x: %w", a.Sha256, err)
	}
	return nil
}

// Get returns the first anchoring of hash, or ErrNotAnchored.
func (k Keeper) Get(ctx context.Context, hash []byte) (types.Anchoring, error) {
	a, err := k.Anchorings.Get(ctx, hash)
	if errors.Is(err, collections.ErrNotFound) {
		return a, errorsmod.Wrapf(types.ErrNotAnchored, "%x has never been anchored on the hub", hash)
	}
	return a, err
}

// AnchorRecordEvidence anchors the evidence hash of an accepted x/vehicle
// record (x/vehicle's EvidenceAnchor).
func (k Keeper) AnchorRecordEvidence(ctx context.Context, hash []byte, vin, reporter string, recordID uint64) error {
	return k.anchorAccepted(ctx, types.Anchoring{Sha256: hash, Kind: types.EVIDENCE_KIND_RECORD_EVIDENCE,
		Vin: vin, Submitter: reporter, Source: fmt.Sprintf("vehicle/record/%d", recordID)})
}

// AnchorApplicationEvidence anchors an evidence hash of an accepted x/asset
// application (x/asset's EvidenceAnchor).
func (k Keeper) AnchorApplicationEvidence(ctx context.Context, hash []byte, vin, owner string, assetID uint64) error {
	return k.anchorAccepted(ctx, types.Anchoring{Sha256: hash, Kind: types.EVIDENCE_KIND_ASSET_DOCUMENT,
		Vin: vin, Submitter: owner, Source: fmt.Sprintf("asset/%d/application", assetID)})
}

// AnchorValuationEvidence anchors the evidence hash of an accepted x/asset
// valuation, the index-th of the asset (x/asset's EvidenceAnchor).
func (k Keeper) AnchorValuationEvidence(ctx context.Context, hash []byte, vin, examiner string, assetID uint64, index int) error {
	return k.anchorAccepted(ctx, types.Anchoring{Sha256: hash, Kind: types.EVIDENCE_KIND_VALUATION_REPORT,
		Vin: vin, Submitter: examiner, Source: fmt.Sprintf("asset/%d/valuation/%d", assetID, index)})
}

// anchorAccepted anchors a hash another module already accepted; a hash
// anchored before keeps its first anchoring.
func (k Keeper) anchorAccepted(ctx context.Context, a types.Anchoring) error {
	_, _, err := k.Anchor(ctx, a)
	return err
}

// InitGenesis loads the anchorings.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	for _, a := range gs.Anchorings {
		if err := k.store(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis lists every anchoring in hash order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	iter, err := k.Anchorings.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	all, err := iter.Values()
	return &types.GenesisState{Anchorings: all}, err
}
