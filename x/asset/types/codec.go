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
	{&MsgApply{}, "vinhub/asset/MsgApply"},
	{&MsgApprove{}, "vinhub/asset/MsgApprove"},
	{&MsgReject{}, "vinhub/asset/MsgReject"},
	{&MsgRevalue{}, "vinhub/asset/MsgRevalue"},
	{&MsgFreeze{}, "vinhub/asset/MsgFreeze"},
	{&MsgUnfreeze{}, "vinhub/asset/MsgUnfreeze"},
	{&MsgList{}, "vinhub/asset/MsgList"},
	{&MsgUnlist{}, "vinhub/asset/MsgUnlist"},
	{&MsgBuy{}, "vinhub/asset/MsgBuy"},
	{&MsgTransfer{}, "vinhub/asset/MsgTransfer"},
	{&MsgOfferLoan{}, "vinhub/asset/MsgOfferLoan"},
	{&MsgCancelOffer{}, "vinhub/asset/MsgCancelOffer"},
	{&MsgPledge{}, "vinhub/asset/MsgPledge"},
	{&MsgRepay{}, "vinhub/asset/MsgRepay"},
	{&MsgDeclareDefault{}, "vinhub/asset/MsgDeclareDefault"},
	{&MsgRedeem{}, "vinhub/asset/MsgRedeem"},
	{&MsgUpdateParams{}, "vinhub/asset/MsgUpdateParams"},
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
