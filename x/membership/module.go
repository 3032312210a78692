package membership

import (
	"context"
	"encoding/json"

	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"cosmossdk.io/core/appmodule"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/vinhub/vinhub/x/internal/modulegenesis"
	"github.com/vinhub/vinhub/x/membership/client/cli"
	"github.com/vinhub/vinhub/x/membership/keeper"
	"github.com/vinhub/vinhub/x/membership/types"
)

var (
	_ module.AppModuleBasic = AppModule{}
	_ module.HasGenesis     = AppModule{}
	_ appmodule.HasServices = AppModule{}
	_ appmodule.AppModule   = AppModule{}
)

// AppModule wires the membership keeper into the hub app.
type AppModule struct{ keeper keeper.Keeper }

// NewAppModule returns the membership module.
func NewAppModule(k keeper.Keeper) AppModule { return AppModule{keeper: k} }

// IsAppModule implements appmodule.AppModule.
func (AppModule) IsAppModule() {}

// IsOnePerModuleType implements depinject.OnePerModuleType.
func (AppModule) IsOnePerModuleType() {}

// Name returns the module name.
func (AppModule) Name() string { return types.ModuleName }

// ConsensusVersion returns the state version.
func (AppModule) ConsensusVersion() uint64 { return 1 }

// RegisterLegacyAminoCodec registers amino names.
func (AppModule) RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	types.RegisterLegacyAminoCodec(cdc)
}

// RegisterInterfaces registers the messages.
func (AppModule) RegisterInterfaces(r codectypes.InterfaceRegistry) { types.RegisterInterfaces(r) }

// RegisterGRPCGatewayRoutes serves the queries over REST.
func (AppModule) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(registrar grpc.ServiceRegistrar) error {
	types.RegisterMsgServer(registrar, keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(registrar, keeper.NewQueryServerImpl(am.keeper))
	return nil
}

// GetTxCmd returns the hand-written tx commands (encryption-keygen); autocli adds the rest.
func (AppModule) GetTxCmd() *cobra.Command { return cli.TxCmd() }

// DefaultGenesis has no operators: add founding ones with `genesis add-operator`.
func (AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(&types.GenesisState{})
}

// ValidateGenesis checks a genesis state.
func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	return modulegenesis.Validate[types.GenesisState](cdc, types.ModuleName, bz)
}

// InitGenesis admits the founding operators. It must run before staking and genutil.
func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	modulegenesis.Init[types.GenesisState](ctx, cdc, types.ModuleName, bz, am.keeper)
}

// ExportGenesis exports the admitted operators.
func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	return modulegenesis.Export[types.GenesisState](ctx, cdc, types.ModuleName, am.keeper)
}

// AutoCLIOptions describes the generated commands.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Operator", Use: "operator [address]", Short: "Show an admitted validator operator",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{RpcMethod: "Operators", Use: "operators", Short: "List admitted validator operators"},
				{
					RpcMethod: "Roles", Use: "roles [address]", Short: "List the roles an account holds",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{
					RpcMethod: "RoleHolders", Use: "role-holders [role]", Short: "List the accounts holding a role (examiner, lender, regulator, notary)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "role"}},
				},
				{
					RpcMethod: "EncryptionKey", Use: "encryption-key [address] [version]", Short: "Show a version of an account's X25519 encryption key (version 0: the current one)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}, {ProtoField: "version"}},
				},
				{
					RpcMethod: "EncryptionKeys", Use: "encryption-keys [address]", Short: "List every version of an account's encryption key, oldest first",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{RpcMethod: "RegulatorKeys", Use: "regulator-keys", Short: "List the regulators' current encryption keys set by governance (sealed envelopes are encrypted to them)"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "AdmitOperator", Use: "admit-operator [operator] [note]", GovProposal: true,
					Short:          "Propose admitting a validator operator (submits a governance proposal)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "operator"}, {ProtoField: "note"}},
				},
				{
					RpcMethod: "RevokeOperator", Use: "revoke-operator [operator]", GovProposal: true,
					Short:          "Propose revoking a validator operator (submits a governance proposal)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "operator"}},
				},
				{
					RpcMethod: "GrantRole", Use: "grant-role [address] [role] [note]", GovProposal: true,
					Short:          "Propose granting a role: examiner, lender, regulator or notary (submits a governance proposal)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}, {ProtoField: "role"}, {ProtoField: "note"}},
				},
				{
					RpcMethod: "RevokeRole", Use: "revoke-role [address] [role]", GovProposal: true,
					Short:          "Propose revoking a role; it stops working at once (submits a governance proposal)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}, {ProtoField: "role"}},
				},
				{
					RpcMethod: "RegisterEncryptionKey", Use: "register-encryption-key [public-key]",
					Short:          "Register or rotate your X25519 encryption public key (hex, base64 or a file); old versions stay (--dealer-id if you are a dealer's reporter without a role)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "public_key"}},
				},
				{
					RpcMethod: "SetEncryptionKey", Use: "set-encryption-key [address] [public-key]", GovProposal: true,
					Short:          "Propose setting a member's encryption key, as regulators' keys are set (submits a governance proposal)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}, {ProtoField: "public_key"}},
				},
			},
		},
	}
}
