package keeper

import (
	"context"
	"fmt"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/vinhub/vinhub/x/htlc/types"
)

// Keeper owns the htlc module's state.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	// authority may change params (the gov module account).
	authority string

	bank  types.BankKeeper
	asset types.AssetKeeper

	Schema collections.Schema
	Params collections.Item[types.Params]
	HTLCs  collections.Map[string, types.HTLC]
	// ByHashSender maps (hash lock, sender) of every HTLC ever locked,
	// whatever its state, to its id: a sender never locks a hash twice,
	// while a hash someone else used (or copied) stays free for it.
	ByHashSender collections.Map[collections.Pair[string, sdk.AccAddress], string]
	// ByParticipant indexes HTLCs by (sender or recipient, id).
	ByParticipant collections.KeySet[collections.Pair[sdk.AccAddress, string]]
	// Expiring holds (expiry, id) of the LOCKED HTLCs the end block still
	// has to refund; a failed automatic refund takes its HTLC out.
	Expiring collections.KeySet[collections.Pair[time.Time, string]]
	// Published maps a hash lock to its secret as a notary attestation saw
	// it revealed on another rail; no HTLC may be locked under it after.
	Published collections.Map[string, types.PublishedSecret]
}

// NewKeeper builds the keeper over the module's store.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string,
	bank types.BankKeeper, asset types.AssetKeeper,
) Keeper {
	if _, err := addressCodec.StringToBytes(authority); err != nil {
		panic(fmt.Errorf("htlc: invalid authority address %q: %w", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc: cdc, addressCodec: addressCodec, authority: authority, bank: bank, asset: asset,
		Params: collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		HTLCs:  collections.NewMap(sb, types.HTLCsKey, "htlcs", collections.StringKey, codec.CollValue[types.HTLC](cdc)),
		ByHashSender: collections.NewMap(sb, types.ByHashSenderKey, "htlcs_by_hash_sender",
			collections.PairKeyCodec(collections.StringKey, sdk.AccAddressKey), collections.StringValue),
		ByParticipant: collections.NewKeySet(sb, types.ByParticipantKey, "htlcs_by_participant",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.StringKey)),
		Expiring: collections.NewKeySet(sb, types.ExpiringKey, "htlcs_expiring",
			collections.PairKeyCodec(sdk.TimeKey, collections.StringKey)),
		Published: collections.NewMap(sb, types.PublishedKey, "published_secrets", collections.StringKey,
			codec.CollValue[types.PublishedSecret](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// ModuleAddress is the htlc module account: it holds every escrowed coin and title.
func ModuleAddress() sdk.AccAddress { return authtypes.NewModuleAddress(types.ModuleName) }

// Authority returns the address allowed to change params.
func (k Keeper) Authority() string { return k.authority }

// GetHTLC returns an HTLC or ErrNotFound.
func (k Keeper) GetHTLC(ctx context.Context, id string) (types.HTLC, error) {
	h, err := k.HTLCs.Get(ctx, id)
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return h, errorsmod.Wrapf(types.ErrNotFound, "no htlc %s", id)
	}
	return h, err
}

// GetHTLCByHashAndSender returns the HTLC a sender locked under a hash lock
// (any hex case), or ErrNotFound: there is at most one.
func (k Keeper) GetHTLCByHashAndSender(ctx context.Context, hashLock, sender string) (types.HTLC, error) {
	hash, err := types.ParseHashLock(hashLock)
	if err != nil {
		return types.HTLC{}, err
	}
	addr, err := sdk.AccAddressFromBech32(sender)
	if err != nil {
		return types.HTLC{}, errorsmod.Wrapf(types.ErrInvalidAddress, "sender %q: %v", sender, err)
	}
	id, err := k.ByHashSender.Get(ctx, collections.Join(hash.String(), addr))
	if errorsmod.IsOf(err, collections.ErrNotFound) {
		return types.HTLC{}, errorsmod.Wrapf(types.ErrNotFound, "%s locked no htlc under hash lock %s", sender, hash)
	}
	if err != nil {
		return types.HTLC{}, err
	}
	return k.GetHTLC(ctx, id)
}

// save writes an HTLC and brings every index in line with it: the
// (hash, sender) and both parties for good, the expiry only while the end
// block may still refund it.
func (k Keeper) save(ctx context.Context, h types.HTLC) error {
	if err := k.HTLCs.Set(ctx, h.Id, h); err != nil {
		return fmt.Errorf("save htlc %s: %w", h.Id, err)
	}
	sender, err := sdk.AccAddressFromBech32(h.Sender)
	if err != nil {
		return err
	}
	if err := k.ByHashSender.Set(ctx, collections.Join(h.HashLock, sender), h.Id); err != nil {
		return err
	}
	for _, party := range []string{h.Sender, h.Recipient} {
		addr, err := sdk.AccAddressFromBech32(party)
		if err != nil {
			return err
		}
		if err := k.ByParticipant.Set(ctx, collections.Join(addr, h.Id)); err != nil {
			return err
		}
	}
	due := collections.Join(h.Expiry.UTC(), h.Id)
	if h.State == types.HTLC_STATE_LOCKED && h.AutoRefundError == "" {
		return k.Expiring.Set(ctx, due)
	}
	return k.Expiring.Remove(ctx, due)
}

func blockTime(ctx context.Context) time.Time { return sdk.UnwrapSDKContext(ctx).BlockTime().UTC() }

func blockHeight(ctx context.Context) int64 { return sdk.UnwrapSDKContext(ctx).BlockHeight() }

func emit(ctx context.Context, ev proto.Message) error {
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(ev)
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
