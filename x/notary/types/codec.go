package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// allMsgs are the module's messages with their amino names.
var allMsgs = []struct {
	msg  sdk.Msg
	name string
}{
	{&MsgAttest{}, "vinhub/notary/MsgAttest"},
	{&MsgUpdateNotarySet{}, "vinhub/notary/MsgUpdateNotarySet"},
	{&MsgSetSource{}, "vinhub/notary/MsgSetSource"},
	{&MsgRemoveSource{}, "vinhub/notary/MsgRemoveSource"},
	{&MsgBindLedger{}, "vinhub/notary/MsgBindLedger"},
	{&MsgUnbindLedger{}, "vinhub/notary/MsgUnbindLedger"},
	{&MsgReleaseDelayed{}, "vinhub/notary/MsgReleaseDelayed"},
	{&MsgResolveEquivocation{}, "vinhub/notary/MsgResolveEquivocation"},
	{&MsgUpdateParams{}, "vinhub/notary/MsgUpdateParams"},
}

// RegisterLegacyAminoCodec registers the messages for amino JSON signing (ledger devices).
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	for _, m := range allMsgs {
		legacy.RegisterAminoMsg(cdc, m.msg, m.name)
	}
}

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	for _, m := range allMsgs {
		registry.RegisterImplementations((*sdk.Msg)(nil), m.msg)
	}
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
