package asset_test

import (
	"testing"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoregistry"

	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/client/v2/autocli/flag"

	"github.com/cosmos/cosmos-sdk/client/flags"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"

	"github.com/vinhub/vinhub/x/asset"
)

func builder(t *testing.T) *autocli.Builder {
	t.Helper()
	files, err := gogoproto.MergedRegistry()
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
	return b
}

// TestAutoCLI builds the generated commands: autocli refuses unknown
// methods and positional fields.
func TestAutoCLI(t *testing.T) {
	b := builder(t)
	opts := asset.AppModule{}.AutoCLIOptions()
	require.NoError(t, b.AddQueryServiceCommands(&cobra.Command{Use: "asset"}, opts.Query))
	require.NoError(t, b.AddMsgServiceCommands(&cobra.Command{Use: "asset"}, opts.Tx))
}
