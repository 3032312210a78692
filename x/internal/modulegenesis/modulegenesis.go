// Package modulegenesis is the JSON genesis glue every vinhub module's
// AppModule shares: decode and validate, load into the keeper, export.
package modulegenesis

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/codec"
)

// State is a module's *GenesisState: a proto message that validates itself.
type State[G any] interface {
	*G
	proto.Message
	Validate() error
}

// Keeper loads and exports a module's genesis state.
type Keeper[G any] interface {
	InitGenesis(ctx context.Context, gs G) error
	ExportGenesis(ctx context.Context) (*G, error)
}

// Validate decodes a module's genesis section and validates it.
func Validate[G any, P State[G]](cdc codec.JSONCodec, module string, bz json.RawMessage) error {
	var gs G
	if err := cdc.UnmarshalJSON(bz, P(&gs)); err != nil {
		return fmt.Errorf("decode %s genesis: %w", module, err)
	}
	return P(&gs).Validate()
}

// Init decodes a module's genesis section and loads it; a failure panics,
// as InitGenesis must (the chain cannot start from a state it cannot load).
func Init[G any, P State[G]](ctx context.Context, cdc codec.JSONCodec, module string, bz json.RawMessage, k Keeper[G]) {
	var gs G
	cdc.MustUnmarshalJSON(bz, P(&gs))
	if err := k.InitGenesis(ctx, gs); err != nil {
		panic(fmt.Errorf("init %s genesis: %w", module, err))
	}
}

// Export writes a module's state out as its genesis section; a failure panics.
func Export[G any, P State[G]](ctx context.Context, cdc codec.JSONCodec, module string, k Keeper[G]) json.RawMessage {
	gs, err := k.ExportGenesis(ctx)
	if err != nil {
		panic(fmt.Errorf("export %s genesis: %w", module, err))
	}
	return cdc.MustMarshalJSON(P(gs))
}
