package credit_test

import (
	"encoding/json"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoregistry"

	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/client/v2/autocli/flag"

	"github.com/cosmos/cosmos-sdk/client/flags"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/vinhub/vinhub/x/credit"
	"github.com/vinhub/vinhub/x/credit/keeper"
)

// TestAutoCLI builds the generated commands: autocli refuses unknown
// methods and positional fields.
func TestAutoCLI(t *testing.T) {
	files, err := proto.MergedRegistry()
	require.NoError(t, err)
	b := &autocli.Builder{
		Builder: flag.Builder{
			TypeResolver:          protoregistry.GlobalTypes,
			FileResolver:          files,
			AddressCodec:          addresscodec.NewBech32Codec("cosmos"),
			ValidatorAddressCodec: addresscodec.NewBech32Codec("cosmosvaloper"),
			ConsensusAddressCodec: addresscodec.NewBech32Codec("cosmosvalcons"),
		},
		AddQueryConnFlags: flags.AddQueryFlagsToCmd,
		AddTxConnFlags:    flags.AddTxFlagsToCmd,
	}
	require.NoError(t, b.ValidateAndComplete())
	opts := credit.NewAppModule(keeper.Keeper{}).AutoCLIOptions()

	q := &cobra.Command{Use: "credit"}
	require.NoError(t, b.AddQueryServiceCommands(q, opts.Query))
	tx := &cobra.Command{Use: "credit"}
	require.NoError(t, b.AddMsgServiceCommands(tx, opts.Tx))

	var uses []string
	for _, c := range append(q.Commands(), tx.Commands()...) {
		uses = append(uses, c.Use)
	}
	require.Subset(t, uses, []string{"params", "score [address]", "profile [address]", "profiles", "update-params [params-json]"})
}

func TestGenesisJSON(t *testing.T) {
	cdc := moduletestutil.MakeTestEncodingConfig().Codec
	m := credit.AppModule{}
	def := m.DefaultGenesis(cdc)
	require.NoError(t, m.ValidateGenesis(cdc, nil, def))
	require.JSONEq(t, `{"params":{"min_score_apply":300,"min_score_pledge":400,"min_score_buy_on_credit":450,"decay_half_life":"15552000s"},"profiles":[]}`, string(def))
	require.ErrorContains(t, m.ValidateGenesis(cdc, nil, json.RawMessage(`{"params":{"decay_half_life":"0s"}}`)), "decay_half_life")
	require.ErrorContains(t, m.ValidateGenesis(cdc, nil, json.RawMessage(`{"params":`)), "decode credit genesis")
}
