package htlc_test

import (
	"context"
	"strings"
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

	"github.com/cosmos/cosmos-sdk/client/flags"
	addresscodec "github.com/cosmos/cosmos-sdk/codec/address"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"

	"github.com/vinhub/vinhub/x/htlc"
	"github.com/vinhub/vinhub/x/htlc/keeper"
	"github.com/vinhub/vinhub/x/htlc/types"
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
	opts := htlc.NewAppModule(keeper.Keeper{}).AutoCLIOptions()
	q := &cobra.Command{Use: "htlc"}
	require.NoError(t, b.AddQueryServiceCommands(q, opts.Query))
	tx := &cobra.Command{Use: "htlc"}
	require.NoError(t, b.AddMsgServiceCommands(tx, opts.Tx))
	var uses []string
	for _, c := range append(q.Commands(), tx.Commands()...) {
		uses = append(uses, c.Use)
	}
	require.Subset(t, uses, []string{"htlc [id]", "htlcs-by-hash [hash-lock]", "htlc-by-hash [hash-lock] [sender]", "htlcs [address]", "params",
		"lock [recipient] [hash-lock] [expiry]", "claim [id] [secret]", "refund [id]"})
}

// bind parses a command line the way the generated command does and
// returns the message it builds.
func bind(t *testing.T, msgName string, opts *autocliv1.RpcCommandOptions, args []string, target gogoproto.Message) error {
	t.Helper()
	b := builder(t)
	desc, err := b.FileResolver.FindDescriptorByName(protoreflect.FullName(msgName))
	require.NoError(t, err)
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	ctx := context.Background()
	binder, err := b.AddMessageFlags(&ctx, fs, dynamicpb.NewMessageType(desc.(protoreflect.MessageDescriptor)), opts)
	require.NoError(t, err)
	require.NoError(t, fs.Parse(args))
	msg, err := binder.BuildMessage(fs.Args())
	if err != nil {
		return err
	}
	bz, err := protov2.Marshal(msg.Interface())
	require.NoError(t, err)
	return gogoproto.Unmarshal(bz, target)
}

func rpc(opts *autocliv1.ServiceCommandDescriptor, method string) *autocliv1.RpcCommandOptions {
	for _, o := range opts.RpcCommandOptions {
		if o.RpcMethod == method {
			return o
		}
	}
	return nil
}

// TestLockCommandLine: the expiry positional is read as RFC3339, --amount
// and --asset-id fill the escrow, --state takes the state's short name.
func TestLockCommandLine(t *testing.T) {
	opts := htlc.NewAppModule(keeper.Keeper{}).AutoCLIOptions()
	recipient := sdk.AccAddress(make([]byte, 20)).String()
	hash := strings.Repeat("ab", 32)

	var coinsLock types.MsgLock
	require.NoError(t, bind(t, "vinhub.htlc.v1.MsgLock", rpc(opts.Tx, "Lock"),
		[]string{recipient, hash, "2026-02-01T10:00:00Z", "--amount", "100stake"}, &coinsLock))
	require.Equal(t, recipient, coinsLock.Recipient)
	require.Equal(t, hash, coinsLock.HashLock)
	require.True(t, time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC).Equal(coinsLock.Expiry), "expiry %s", coinsLock.Expiry)
	require.Equal(t, "100stake", coinsLock.Amount.String())

	var titleLock types.MsgLock
	require.NoError(t, bind(t, "vinhub.htlc.v1.MsgLock", rpc(opts.Tx, "Lock"),
		[]string{recipient, hash, "2026-02-01T12:00:00+02:00", "--asset-id", "7"}, &titleLock))
	require.Equal(t, uint64(7), titleLock.AssetId)
	require.True(t, time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC).Equal(titleLock.Expiry))

	require.Error(t, bind(t, "vinhub.htlc.v1.MsgLock", rpc(opts.Tx, "Lock"),
		[]string{recipient, hash, "in an hour"}, &types.MsgLock{}), "a non-RFC3339 expiry is refused")

	var list types.QueryHTLCsByParticipantRequest
	require.NoError(t, bind(t, "vinhub.htlc.v1.QueryHTLCsByParticipantRequest", rpc(opts.Query, "HTLCsByParticipant"),
		[]string{recipient, "--state", "locked"}, &list))
	require.Equal(t, types.HTLC_STATE_LOCKED, list.State)

	var bySender types.QueryHTLCByHashAndSenderRequest
	require.NoError(t, bind(t, "vinhub.htlc.v1.QueryHTLCByHashAndSenderRequest", rpc(opts.Query, "HTLCByHashAndSender"),
		[]string{hash, recipient}, &bySender))
	require.Equal(t, types.QueryHTLCByHashAndSenderRequest{HashLock: hash, Sender: recipient}, bySender)
}

func TestGenesisJSON(t *testing.T) {
	cdc := moduletestutil.MakeTestEncodingConfig().Codec
	m := htlc.AppModule{}
	def := m.DefaultGenesis(cdc)
	require.NoError(t, m.ValidateGenesis(cdc, nil, def))
	require.JSONEq(t, `{"params":{"min_lock_duration":"30s","max_lock_duration":"2592000s"},"htlcs":[],"published_secrets":[]}`, string(def))
	require.ErrorContains(t, m.ValidateGenesis(cdc, nil, []byte(`{"params":{"min_lock_duration":"0s"}}`)), "min_lock_duration must be positive")
}
