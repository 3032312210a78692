package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the messages for amino JSON signing (ledger devices).
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgRecordEvents{}, "vinhub/vehicle/MsgRecordEvents")
	legacy.RegisterAminoMsg(cdc, &MsgRegisterDealer{}, "vinhub/vehicle/MsgRegisterDealer")
	legacy.RegisterAminoMsg(cdc, &MsgRevokeDealer{}, "vinhub/vehicle/MsgRevokeDealer")
	legacy.RegisterAminoMsg(cdc, &MsgAdmitReporter{}, "vinhub/vehicle/MsgAdmitReporter")
	legacy.RegisterAminoMsg(cdc, &MsgRevokeReporter{}, "vinhub/vehicle/MsgRevokeReporter")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "vinhub/vehicle/MsgUpdateParams")
	legacy.RegisterAminoMsg(cdc, &MsgBindDealer{}, "vinhub/vehicle/MsgBindDealer")
	legacy.RegisterAminoMsg(cdc, &MsgUnbindDealer{}, "vinhub/vehicle/MsgUnbindDealer")
	legacy.RegisterAminoMsg(cdc, &MsgSetHubRoute{}, "vinhub/vehicle/MsgSetHubRoute")
	legacy.RegisterAminoMsg(cdc, &MsgResendPending{}, "vinhub/vehicle/MsgResendPending")
	legacy.RegisterAminoMsg(cdc, &MsgRequestLien{}, "vinhub/vehicle/MsgRequestLien")
	legacy.RegisterAminoMsg(cdc, &MsgReleaseLien{}, "vinhub/vehicle/MsgReleaseLien")
	legacy.RegisterAminoMsg(cdc, &MsgResolveDispute{}, "vinhub/vehicle/MsgResolveDispute")
	legacy.RegisterAminoMsg(cdc, &MsgAuthorizeLien{}, "vinhub/vehicle/MsgAuthorizeLien")
	legacy.RegisterAminoMsg(cdc, &MsgRevokeLienAuthorization{}, "vinhub/vehicle/MsgRevokeLienAuthz")
	legacy.RegisterAminoMsg(cdc, &MsgForceReleaseLien{}, "vinhub/vehicle/MsgForceReleaseLien")
}

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgRecordEvents{},
		&MsgRegisterDealer{},
		&MsgRevokeDealer{},
		&MsgAdmitReporter{},
		&MsgRevokeReporter{},
		&MsgUpdateParams{},
		&MsgBindDealer{},
		&MsgUnbindDealer{},
		&MsgSetHubRoute{},
		&MsgResendPending{},
		&MsgRequestLien{},
		&MsgReleaseLien{},
		&MsgResolveDispute{},
		&MsgAuthorizeLien{},
		&MsgRevokeLienAuthorization{},
		&MsgForceReleaseLien{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
