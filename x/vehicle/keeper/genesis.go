package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// InitGenesis loads params, the dealer registry, every record, the lien
// registry and the disputes; indexes and summaries are rebuilt from them.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, d := range gs.Dealers {
		if err := k.Dealers.Set(ctx, d.Id, d); err != nil {
			return err
		}
	}
	for _, r := range gs.Reporters {
		addr, err := k.addressCodec.StringToBytes(r.Address)
		if err != nil {
			return fmt.Errorf("reporter %q: %w", r.Address, err)
		}
		if err := k.Reporters.Set(ctx, collections.Join(r.DealerId, sdk.AccAddress(addr)), r); err != nil {
			return err
		}
	}
	judgedWrong := map[uint64]bool{}
	for _, rec := range gs.Records {
		if rec.JudgedWrong() {
			judgedWrong[rec.Id] = true
		}
	}
	for _, rec := range gs.Records {
		summary, err := k.summary(ctx, rec.Input.Vin)
		if err != nil {
			return err
		}
		if err := k.storeRecord(ctx, rec, summary, judgedWrong); err != nil {
			return err
		}
	}
	if err := k.initIBCGenesis(ctx, gs); err != nil {
		return err
	}
	if err := k.initLienGenesis(ctx, gs); err != nil {
		return err
	}
	for _, d := range gs.Disputes {
		if err := k.setDispute(ctx, d); err != nil {
			return err
		}
	}
	return k.NextRecordID.Set(ctx, gs.NextRecordId)
}

// initLienGenesis loads the lien registry and a dealer chain's lien requests;
// their indexes are rebuilt from them.
func (k Keeper) initLienGenesis(ctx context.Context, gs types.GenesisState) error {
	for _, l := range gs.Liens {
		if err := k.storeLien(ctx, l); err != nil {
			return err
		}
	}
	// A genesis written before the lien registry existed has no next_lien_id.
	if err := k.NextLienID.Set(ctx, max(gs.NextLienId, 1)); err != nil {
		return err
	}
	for _, a := range gs.LienAuthorizations {
		if err := k.LienAuthorizations.Set(ctx, consentKey(a.Vin, a.ChainId, a.DealerId), a); err != nil {
			return err
		}
	}
	for _, r := range gs.LienRequests {
		if err := k.setLienRequest(ctx, nil, r); err != nil {
			return err
		}
	}
	return k.NextLienRequestID.Set(ctx, max(gs.NextLienRequestId, 1))
}

// initIBCGenesis loads bindings, the hub route and sync states; the status
// indexes are rebuilt from the states.
func (k Keeper) initIBCGenesis(ctx context.Context, gs types.GenesisState) error {
	for _, b := range gs.Bindings {
		if err := k.Bindings.Set(ctx, collections.Join(b.Route.Key(), b.DealerId), b); err != nil {
			return err
		}
	}
	if !gs.HubRoute.IsEmpty() {
		if err := k.HubRoute.Set(ctx, gs.HubRoute); err != nil {
			return err
		}
	}
	for _, st := range gs.SyncStates {
		if err := k.setSyncState(ctx, nil, st); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis writes the module state out in genesis form.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if gs.NextRecordId, err = k.NextRecordID.Peek(ctx); err != nil {
		return nil, err
	}
	if gs.Dealers, err = values(ctx, k.Dealers); err != nil {
		return nil, err
	}
	if gs.Reporters, err = values(ctx, k.Reporters); err != nil {
		return nil, err
	}
	if gs.Records, err = values(ctx, k.Records); err != nil {
		return nil, err
	}
	if gs.Bindings, err = values(ctx, k.Bindings); err != nil {
		return nil, err
	}
	if gs.HubRoute, err = k.hubRoute(ctx); err != nil {
		return nil, err
	}
	if gs.SyncStates, err = values(ctx, k.SyncStates); err != nil {
		return nil, err
	}
	if gs.Liens, err = values(ctx, k.Liens); err != nil {
		return nil, err
	}
	if gs.NextLienId, err = k.NextLienID.Peek(ctx); err != nil {
		return nil, err
	}
	gs.NextLienId = max(gs.NextLienId, 1)
	if gs.LienAuthorizations, err = values(ctx, k.LienAuthorizations); err != nil {
		return nil, err
	}
	if gs.LienRequests, err = values(ctx, k.LienRequests); err != nil {
		return nil, err
	}
	if gs.NextLienRequestId, err = k.NextLienRequestID.Peek(ctx); err != nil {
		return nil, err
	}
	gs.NextLienRequestId = max(gs.NextLienRequestId, 1)
	if gs.Disputes, err = values(ctx, k.Disputes); err != nil {
		return nil, err
	}
	return gs, nil
}

func values[K, V any](ctx context.Context, m collections.Map[K, V]) ([]V, error) {
	iter, err := m.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return iter.Values()
}
