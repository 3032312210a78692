package client

import (
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/std"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/types"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"

	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
)

// NewCodec returns the codec vinrelay needs: accounts, keys, transactions,
// IBC core messages, the 07-tendermint light client and the hub's htlc
// messages (the swap commands sign them). extra registers
// further message types (e.g. a load generator's application messages).
func NewCodec(extra ...func(codectypes.InterfaceRegistry)) *codec.ProtoCodec {
	reg := codectypes.NewInterfaceRegistry()
	std.RegisterInterfaces(reg)
	cryptocodec.RegisterInterfaces(reg)
	authtypes.RegisterInterfaces(reg)
	ibcexported.RegisterInterfaces(reg)
	ibctm.RegisterInterfaces(reg)
	htlctypes.RegisterInterfaces(reg)
	for _, f := range extra {
		f(reg)
	}
	return codec.NewProtoCodec(reg)
}
