package asset_test

import (
	"context"
	"testing"
	"time"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"
	protov2 "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/client/v2/autocli/flag"
	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client/flags"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/asset"
	"github.com/vinhub/vinhub/x/asset/types"
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

func rpc(opts *autocliv1.ServiceCommandDescriptor, method string) *autocliv1.RpcCommandOptions {
	for _, o := range opts.RpcCommandOptions {
		if o.RpcMethod == method {
			return o
		}
	}
	return nil
}

// TestAutoCLI builds the generated commands: autocli refuses unknown
// methods and positional fields.
func TestAutoCLI(t *testing.T) {
	b := builder(t)
	opts := asset.AppModule{}.AutoCLIOptions()
	require.NoError(t, b.AddQueryServiceCommands(&cobra.Command{Use: "asset"}, opts.Query))
	require.NoError(t, b.AddMsgServiceCommands(&cobra.Command{Use: "asset"}, opts.Tx))
}

// TestOfferLoanCommandLine: each --foreign-repayments flag is one JSON
// term; the flag repeats for several rails.
func TestOfferLoanCommandLine(t *testing.T) {
	b := builder(t)
	desc, err := b.FileResolver.FindDescriptorByName("vinhub.asset.v1.MsgOfferLoan")
	require.NoError(t, err)
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	ctx := context.Background()
	binder, err := b.AddMessageFlags(&ctx, fs, dynamicpb.NewMessageType(desc.(protoreflect.MessageDescriptor)), rpc(asset.AppModule{}.AutoCLIOptions().Tx, "OfferLoan"))
	require.NoError(t, err)
	borrower := sdk.AccAddress(make([]byte, 20)).String()
	stellar := `{"platform":"stellar","network_id":"cee0302d59844d32bdca915c8203dd44b33fbb7edc19051ea37abedf28ecd472","asset":"native",` +
		`"account":"GBRPYHIL2CI3FNQ4BXLFMNDLFJUNPU2HY3ZMFSHONUCEOASW7QC7OX2H","rate":{"numerator":"1","denominator":"10000"}}`
	bitcoin := `{"platform":"bitcoin","network_id":"683e86bd5c6d110d91b94b97137ba6bfe02dbbdb8e3dff722a669b5d69d77af6","asset":"btc",` +
		`"account":"sb1qw508d6qejxtdg4y5r3zarvary0c5xw7kyagj9q","rate":{"numerator":"3","denominator":"2"}}`
	require.NoError(t, fs.Parse([]string{"7", borrower, "10000stake", "1000", "720h",
		"--foreign-repayments", stellar, "--foreign-repayments", bitcoin}))
	msg, err := binder.BuildMessage(fs.Args())
	require.NoError(t, err)
	bz, err := protov2.Marshal(msg.Interface())
	require.NoError(t, err)
	var got types.MsgOfferLoan
	require.NoError(t, gogoproto.Unmarshal(bz, &got))

	require.Equal(t, uint64(7), got.AssetId)
	require.Equal(t, 720*time.Hour, got.Term)
	require.Len(t, got.ForeignRepayments, 2)
	require.Equal(t, "GBRPYHIL2CI3FNQ4BXLFMNDLFJUNPU2HY3ZMFSHONUCEOASW7QC7OX2H", got.ForeignRepayments[0].Account)
	require.Equal(t, sdkmath.NewInt(10_000), got.ForeignRepayments[0].Rate.Denominator)
	require.Equal(t, "bitcoin", got.ForeignRepayments[1].Platform)
	require.Equal(t, sdkmath.NewInt(3), got.ForeignRepayments[1].Rate.Numerator)
	require.NoError(t, types.ValidateForeignRepayments(got.ForeignRepayments))
}
