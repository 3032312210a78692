package types_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

var (
	reporterAddr = sdk.AccAddress(bytes.Repeat([]byte{0x01}, 20)).String()
	otherAddr    = sdk.AccAddress(bytes.Repeat([]byte{0x02}, 20)).String()
	eventTime    = time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
)

// sealedDealer is the dealer whose records carry the test envelopes.
const sealedDealer = "acme-motors"

// sealedEnvelope seals a sale price about vin, carried by dealer, to one fresh key.
func sealedEnvelope(t *testing.T, vin, dealer string) *sealed.Envelope {
	t.Helper()
	priv, err := sealed.GenerateKey()
	require.NoError(t, err)
	env, err := sealed.Seal(types.SealedSubject(vin, dealer), []sealed.PlainField{{Name: "sale_price", Value: []byte("18500 EUR")}},
		[]sealed.RecipientKey{{KeyID: sealed.KeyID{Address: reporterAddr, Version: 1}, PublicKey: priv.PublicKey().Bytes()}})
	require.NoError(t, err)
	return env
}

// validInput is a record every check accepts; tests break one field at a time.
func validInput() types.RecordInput {
	return types.RecordInput{
		Vin:          "1HGCM82633A004352",
		Kind:         types.RECORD_KIND_SERVICE,
		OdometerKm:   42_000,
		OccurredAt:   eventTime,
		Location:     "Main St Garage, Springfield",
		Description:  "oil and filter change",
		EvidenceHash: bytes.Repeat([]byte{0xab}, 32),
	}
}

func TestRecordInputValidate(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(*types.RecordInput)
		wantErr  error
	}{
		{name: "valid", malleate: func(*types.RecordInput) {}},
		{name: "no evidence hash", malleate: func(r *types.RecordInput) { r.EvidenceHash = nil }},
		{name: "no odometer reading", malleate: func(r *types.RecordInput) { r.OdometerKm = 0 }},
		{name: "europe wrong check digit", malleate: func(r *types.RecordInput) { r.Vin = "WVWZZZ1JZXW000001" }},
		{name: "title brand on title_brand", malleate: func(r *types.RecordInput) {
			r.Kind, r.TitleBrand = types.RECORD_KIND_TITLE_BRAND, types.TITLE_BRAND_SALVAGE
		}},
		{name: "exactly 1900-01-01", malleate: func(r *types.RecordInput) { r.OccurredAt = types.EarliestRecordTime }},
		{name: "location at limit", malleate: func(r *types.RecordInput) { r.Location = strings.Repeat("l", types.MaxLocationLength) }},
		{name: "description at limit", malleate: func(r *types.RecordInput) {
			r.Description = strings.Repeat("d", types.MaxDescriptionLength)
		}},

		{name: "NA wrong check digit", malleate: func(r *types.RecordInput) { r.Vin = "1HGCM82643A004352" }, wantErr: types.ErrInvalidVIN},
		{name: "short VIN", malleate: func(r *types.RecordInput) { r.Vin = "1HGCM8263" }, wantErr: types.ErrInvalidVIN},
		{name: "kind unspecified", malleate: func(r *types.RecordInput) { r.Kind = types.RECORD_KIND_UNSPECIFIED }, wantErr: types.ErrInvalidRecord},
		{name: "kind unknown", malleate: func(r *types.RecordInput) { r.Kind = 99 }, wantErr: types.ErrInvalidRecord},
		{name: "title_brand without brand", malleate: func(r *types.RecordInput) { r.Kind = types.RECORD_KIND_TITLE_BRAND }, wantErr: types.ErrInvalidRecord},
		{name: "title_brand with unknown brand", malleate: func(r *types.RecordInput) {
			r.Kind, r.TitleBrand = types.RECORD_KIND_TITLE_BRAND, 42
		}, wantErr: types.ErrInvalidRecord},
		{name: "brand on a service record", malleate: func(r *types.RecordInput) { r.TitleBrand = types.TITLE_BRAND_FLOOD }, wantErr: types.ErrInvalidRecord},
		{name: "before 1900", malleate: func(r *types.RecordInput) {
			r.OccurredAt = types.EarliestRecordTime.Add(-time.Nanosecond)
		}, wantErr: types.ErrInvalidRecord},
		{name: "zero time", malleate: func(r *types.RecordInput) { r.OccurredAt = time.Time{} }, wantErr: types.ErrInvalidRecord},
		{name: "hash 31 bytes", malleate: func(r *types.RecordInput) { r.EvidenceHash = make([]byte, 31) }, wantErr: types.ErrInvalidEvidenceHash},
		{name: "hash 33 bytes", malleate: func(r *types.RecordInput) { r.EvidenceHash = make([]byte, 33) }, wantErr: types.ErrInvalidEvidenceHash},
		{name: "location too long", malleate: func(r *types.RecordInput) {
			r.Location = strings.Repeat("l", types.MaxLocationLength+1)
		}, wantErr: types.ErrInvalidRecord},
		{name: "description too long", malleate: func(r *types.RecordInput) {
			r.Description = strings.Repeat("d", types.MaxDescriptionLength+1)
		}, wantErr: types.ErrInvalidRecord},
		{name: "sealed envelope", malleate: func(r *types.RecordInput) { r.Sealed = sealedEnvelope(t, r.Vin, sealedDealer) }},
		{name: "sealed envelope of another VIN", malleate: func(r *types.RecordInput) {
			r.Sealed = sealedEnvelope(t, "1M8GDM9AXKP042788", sealedDealer)
		}, wantErr: types.ErrInvalidSealed},
		{name: "sealed envelope of a lower-case VIN", malleate: func(r *types.RecordInput) {
			r.Sealed = sealedEnvelope(t, strings.ToLower(r.Vin), sealedDealer)
		}, wantErr: types.ErrInvalidSealed},
		// Another dealer's envelope copied onto this dealer's record.
		{name: "sealed envelope of another dealer's record", malleate: func(r *types.RecordInput) {
			r.Sealed = sealedEnvelope(t, r.Vin, "other-dealer")
		}, wantErr: types.ErrInvalidSealed},
		{name: "sealed envelope without a dealer", malleate: func(r *types.RecordInput) {
			r.Sealed = sealedEnvelope(t, r.Vin, "")
		}, wantErr: types.ErrInvalidSealed},
		{name: "malformed sealed envelope", malleate: func(r *types.RecordInput) {
			r.Sealed = sealedEnvelope(t, r.Vin, sealedDealer)
			r.Sealed.Commitments = nil
		}, wantErr: types.ErrInvalidSealed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			tc.malleate(&in)
			vin, err := in.Validate(sealedDealer)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Empty(t, vin.Value)
				return
			}
			require.NoError(t, err)
			require.Equal(t, strings.ToUpper(in.Vin), vin.Value)
		})
	}
}

func TestMsgRecordEventsValidateBasic(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(*types.MsgRecordEvents)
		wantErr  error
		contains string
	}{
		{name: "valid", malleate: func(*types.MsgRecordEvents) {}},
		{name: "empty batch", malleate: func(m *types.MsgRecordEvents) { m.Records = nil }, wantErr: types.ErrEmptyBatch},
		{name: "empty reporter", malleate: func(m *types.MsgRecordEvents) { m.Reporter = "" }, wantErr: types.ErrInvalidAddress},
		{name: "reporter bad checksum", malleate: func(m *types.MsgRecordEvents) {
			m.Reporter = reporterAddr[:len(reporterAddr)-1] + "x"
		}, wantErr: types.ErrInvalidAddress},
		{name: "reporter wrong prefix", malleate: func(m *types.MsgRecordEvents) {
			addr, err := bech32.ConvertAndEncode("osmo", bytes.Repeat([]byte{0x01}, 20))
			require.NoError(t, err)
			m.Reporter = addr
		}, wantErr: types.ErrInvalidAddress},
		{name: "empty dealer", malleate: func(m *types.MsgRecordEvents) { m.DealerId = "" }, wantErr: types.ErrInvalidDealerID},
		{name: "upper-case dealer", malleate: func(m *types.MsgRecordEvents) { m.DealerId = "Acme" }, wantErr: types.ErrInvalidDealerID},
		{name: "dealer starts with dash", malleate: func(m *types.MsgRecordEvents) { m.DealerId = "-acme" }, wantErr: types.ErrInvalidDealerID},
		{name: "dealer with slash", malleate: func(m *types.MsgRecordEvents) { m.DealerId = "acme/east" }, wantErr: types.ErrInvalidDealerID},
		{name: "dealer 65 chars", malleate: func(m *types.MsgRecordEvents) {
			m.DealerId = strings.Repeat("a", types.MaxDealerIDLength+1)
		}, wantErr: types.ErrInvalidDealerID},
		{name: "over the ceiling", malleate: func(m *types.MsgRecordEvents) {
			m.Records = make([]types.RecordInput, types.MaxRecordsPerBatchCeiling+1)
		}, wantErr: types.ErrBatchTooLarge},
		{name: "last record bad", malleate: func(m *types.MsgRecordEvents) {
			bad := validInput()
			bad.EvidenceHash = make([]byte, 33)
			m.Records = append(m.Records, bad)
		}, wantErr: types.ErrInvalidEvidenceHash, contains: "record 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := &types.MsgRecordEvents{
				Reporter: reporterAddr,
				DealerId: "acme-motors.east_1",
				Records:  []types.RecordInput{validInput(), validInput()},
			}
			tc.malleate(msg)
			err := msg.ValidateBasic()
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
			require.ErrorContains(t, err, tc.contains)
		})
	}
}

// msgCase is one message and the error its ValidateBasic must return (nil: none).
type msgCase struct {
	name    string
	msg     sdk.HasValidateBasic
	wantErr error
}

func runValidateBasic(t *testing.T, tests []msgCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.msg.ValidateBasic()
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
		})
	}
}

func TestGovernanceMsgsValidateBasic(t *testing.T) {
	runValidateBasic(t, []msgCase{
		{"register ok", &types.MsgRegisterDealer{Authority: otherAddr, DealerId: "acme", Name: "Acme Motors"}, nil},
		{"register no name", &types.MsgRegisterDealer{Authority: otherAddr, DealerId: "acme"}, types.ErrInvalidRecord},
		{"register long name", &types.MsgRegisterDealer{Authority: otherAddr, DealerId: "acme", Name: strings.Repeat("n", types.MaxDealerNameLength+1)}, types.ErrInvalidRecord},
		{"register bad authority", &types.MsgRegisterDealer{Authority: "gov", DealerId: "acme", Name: "Acme"}, types.ErrInvalidAddress},
		{"register with account", &types.MsgRegisterDealer{Authority: otherAddr, DealerId: "acme", Name: "Acme", Account: reporterAddr}, nil},
		{"register bad account", &types.MsgRegisterDealer{Authority: otherAddr, DealerId: "acme", Name: "Acme", Account: "acme-wallet"}, types.ErrInvalidAddress},
		{"revoke dealer bad id", &types.MsgRevokeDealer{Authority: otherAddr, DealerId: "ACME"}, types.ErrInvalidDealerID},
		{"admit ok", &types.MsgAdmitReporter{Authority: otherAddr, DealerId: "acme", Reporter: reporterAddr}, nil},
		{"admit bad reporter", &types.MsgAdmitReporter{Authority: otherAddr, DealerId: "acme", Reporter: "nope"}, types.ErrInvalidAddress},
		{"revoke reporter bad dealer", &types.MsgRevokeReporter{Authority: otherAddr, DealerId: "", Reporter: reporterAddr}, types.ErrInvalidDealerID},
		{"params ok", &types.MsgUpdateParams{Authority: otherAddr, Params: types.DefaultParams()}, nil},
		{"params zero batch", &types.MsgUpdateParams{Authority: otherAddr}, types.ErrInvalidParams},
	})
}

func TestLienMsgsValidateBasic(t *testing.T) {
	runValidateBasic(t, []msgCase{
		{"request ok", &types.MsgRequestLien{Signer: reporterAddr, DealerId: "acme", Vin: "1hgcm82633a004352", Lender: otherAddr, Reference: "contract 7/2026"}, nil},
		{"request bad signer", &types.MsgRequestLien{Signer: "me", DealerId: "acme", Vin: "1HGCM82633A004352", Lender: otherAddr}, types.ErrInvalidAddress},
		{"request bad dealer", &types.MsgRequestLien{Signer: reporterAddr, DealerId: "Acme", Vin: "1HGCM82633A004352", Lender: otherAddr}, types.ErrInvalidDealerID},
		{"request bad VIN", &types.MsgRequestLien{Signer: reporterAddr, DealerId: "acme", Vin: "1HGCM82643A004352", Lender: otherAddr}, types.ErrInvalidVIN},
		{"request no lender", &types.MsgRequestLien{Signer: reporterAddr, DealerId: "acme", Vin: "1HGCM82633A004352"}, types.ErrInvalidAddress},
		{"request reference too long", &types.MsgRequestLien{
			Signer: reporterAddr, DealerId: "acme", Vin: "1HGCM82633A004352", Lender: otherAddr, Reference: strings.Repeat("r", types.MaxLienReferenceLength+1),
		}, types.ErrInvalidLien},
		{"release ok", &types.MsgReleaseLien{Signer: reporterAddr, DealerId: "acme", RequestId: 3, Reason: "repaid"}, nil},
		{"release no request id", &types.MsgReleaseLien{Signer: reporterAddr, DealerId: "acme"}, types.ErrLienRequestNotFound},
		{"release reason too long", &types.MsgReleaseLien{Signer: reporterAddr, DealerId: "acme", RequestId: 3, Reason: strings.Repeat("r", types.MaxLienReasonLength+1)}, types.ErrInvalidLien},
		{"release bad signer", &types.MsgReleaseLien{Signer: "", DealerId: "acme", RequestId: 3}, types.ErrInvalidAddress},
	})
}

func TestResolveDisputeValidateBasic(t *testing.T) {
	runValidateBasic(t, []msgCase{
		{"ok", &types.MsgResolveDispute{Resolver: reporterAddr, DisputeId: 5, WrongRecordId: 2, Reason: "invoices"}, nil},
		{"no reason", &types.MsgResolveDispute{Resolver: reporterAddr, DisputeId: 5, WrongRecordId: 5}, nil},
		{"bad resolver", &types.MsgResolveDispute{Resolver: "me", DisputeId: 5, WrongRecordId: 2}, types.ErrInvalidAddress},
		{"no dispute", &types.MsgResolveDispute{Resolver: reporterAddr, WrongRecordId: 2}, types.ErrDisputeNotFound},
		{"no record", &types.MsgResolveDispute{Resolver: reporterAddr, DisputeId: 5}, types.ErrInvalidVerdict},
		{"reason too long", &types.MsgResolveDispute{Resolver: reporterAddr, DisputeId: 5, WrongRecordId: 2, Reason: strings.Repeat("r", types.MaxVerdictReasonLength+1)}, types.ErrInvalidVerdict},
	})
}

func TestLienRemedyMsgsValidateBasic(t *testing.T) {
	const vin = "1HGCM82633A004352"
	runValidateBasic(t, []msgCase{
		{"authorize ok", &types.MsgAuthorizeLien{Owner: reporterAddr, Vin: "1hgcm82633a004352", ChainId: "dealer-a-1", DealerId: "acme"}, nil},
		{"authorize with expiry", &types.MsgAuthorizeLien{Owner: reporterAddr, Vin: vin, ChainId: "dealer-a-1", DealerId: "acme", ExpiresAt: &eventTime}, nil},
		{"authorize bad owner", &types.MsgAuthorizeLien{Owner: "me", Vin: vin, ChainId: "dealer-a-1", DealerId: "acme"}, types.ErrInvalidAddress},
		{"authorize bad VIN", &types.MsgAuthorizeLien{Owner: reporterAddr, Vin: "1HGCM82643A004352", ChainId: "dealer-a-1", DealerId: "acme"}, types.ErrInvalidVIN},
		{"authorize no chain", &types.MsgAuthorizeLien{Owner: reporterAddr, Vin: vin, DealerId: "acme"}, types.ErrInvalidLien},
		{"authorize chain with a space", &types.MsgAuthorizeLien{Owner: reporterAddr, Vin: vin, ChainId: "dealer a", DealerId: "acme"}, types.ErrInvalidLien},
		{"authorize chain too long", &types.MsgAuthorizeLien{Owner: reporterAddr, Vin: vin, ChainId: strings.Repeat("c", types.MaxChainIDLength+1), DealerId: "acme"}, types.ErrInvalidLien},
		{"authorize bad dealer", &types.MsgAuthorizeLien{Owner: reporterAddr, Vin: vin, ChainId: "dealer-a-1", DealerId: "Acme"}, types.ErrInvalidDealerID},
		{"revoke ok", &types.MsgRevokeLienAuthorization{Owner: reporterAddr, Vin: vin, ChainId: "dealer-a-1", DealerId: "acme"}, nil},
		{"revoke bad owner", &types.MsgRevokeLienAuthorization{Owner: "", Vin: vin, ChainId: "dealer-a-1", DealerId: "acme"}, types.ErrInvalidAddress},
		{"revoke no dealer", &types.MsgRevokeLienAuthorization{Owner: reporterAddr, Vin: vin, ChainId: "dealer-a-1"}, types.ErrInvalidDealerID},
		{"force release ok", &types.MsgForceReleaseLien{Authority: otherAddr, LienId: 4, Reason: "dealer chain halted"}, nil},
		{"force release no lien", &types.MsgForceReleaseLien{Authority: otherAddr, Reason: "x"}, types.ErrLienNotFound},
		{"force release no reason", &types.MsgForceReleaseLien{Authority: otherAddr, LienId: 4}, types.ErrInvalidLien},
		{"force release blank reason", &types.MsgForceReleaseLien{Authority: otherAddr, LienId: 4, Reason: " \t"}, types.ErrInvalidLien},
		{"force release reason too long", &types.MsgForceReleaseLien{Authority: otherAddr, LienId: 4, Reason: strings.Repeat("r", types.MaxLienReasonLength+1)}, types.ErrInvalidLien},
		{"force release bad authority", &types.MsgForceReleaseLien{Authority: "gov", LienId: 4, Reason: "x"}, types.ErrInvalidAddress},
	})
}

func TestCheckClock(t *testing.T) {
	block := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	skew := 10 * time.Minute
	tests := []struct {
		name    string
		at      time.Time
		wantErr bool
	}{
		{"in the past", block.Add(-24 * time.Hour), false},
		{"at block time", block, false},
		{"exactly at the skew limit", block.Add(skew), false},
		{"one nanosecond past the limit", block.Add(skew + time.Nanosecond), true},
		{"next year", block.AddDate(1, 0, 0), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			in.OccurredAt = tc.at
			err := in.CheckClock(block, skew)
			if !tc.wantErr {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, types.ErrFutureTimestamp)
			require.ErrorContains(t, err, in.Vin)
		})
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name    string
		params  types.Params
		wantErr bool
	}{
		{"default", types.DefaultParams(), false},
		{"batch of one, no skew, no odometer grace", types.Params{MaxRecordsPerBatch: 1, PacketTimeout: time.Second, MaxOdometerKmPerDay: 1}, false},
		{"at ceiling, 24h skew and timeout", types.Params{MaxRecordsPerBatch: types.MaxRecordsPerBatchCeiling, MaxClockSkew: 24 * time.Hour, PacketTimeout: types.MaxPacketTimeout,
			MaxOdometerKmPerDay: types.MaxOdometerKmPerDayCeiling, OdometerGraceKm: types.MaxOdometerGraceKm}, false},
		{"no odometer rate", types.Params{MaxRecordsPerBatch: 10, PacketTimeout: time.Second}, true},
		{"odometer rate over ceiling", types.Params{MaxRecordsPerBatch: 10, PacketTimeout: time.Second, MaxOdometerKmPerDay: types.MaxOdometerKmPerDayCeiling + 1}, true},
		{"odometer grace over ceiling", types.Params{MaxRecordsPerBatch: 10, PacketTimeout: time.Second, MaxOdometerKmPerDay: 1, OdometerGraceKm: types.MaxOdometerGraceKm + 1}, true},
		{"no packet timeout", types.Params{MaxRecordsPerBatch: 10}, true},
		{"packet timeout over IBC v2's limit", types.Params{MaxRecordsPerBatch: 10, PacketTimeout: types.MaxPacketTimeout + time.Second}, true},
		{"zero batch", types.Params{MaxRecordsPerBatch: 0, MaxClockSkew: time.Minute}, true},
		{"over ceiling", types.Params{MaxRecordsPerBatch: types.MaxRecordsPerBatchCeiling + 1}, true},
		{"negative skew", types.Params{MaxRecordsPerBatch: 10, MaxClockSkew: -time.Second}, true},
		{"skew over a day", types.Params{MaxRecordsPerBatch: 10, MaxClockSkew: 24*time.Hour + time.Nanosecond}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.params.Validate()
			if !tc.wantErr {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, types.ErrInvalidParams)
		})
	}
}

// withDispute makes record 5 (beta) dispute record 2 (acme) in TestGenesisStateValidate's genesis.
func withDispute(gs *types.GenesisState) {
	for i := range gs.Records {
		gs.Records[i].Review = &types.RecordReview{Status: types.REVIEW_STATUS_DISPUTED, DisputeIds: []uint64{5}}
	}
	gs.Disputes = []types.Dispute{{
		Id: 5, Vin: gs.Records[0].Input.Vin, Code: types.FLAG_CODE_ODOMETER_ROLLBACK,
		FlaggedRecordId: 5, FlaggedDealerId: "beta", ConflictingRecordId: 2, ConflictingDealerId: "acme",
		Status: types.DISPUTE_STATUS_OPEN,
	}}
}

func TestGenesisStateValidate(t *testing.T) {
	record := func(id uint64, dealer string) types.Record {
		return types.Record{Id: id, DealerId: dealer, Reporter: reporterAddr, Input: validInput()}
	}
	tests := []struct {
		name     string
		malleate func(*types.GenesisState)
		wantErr  error
	}{
		{name: "valid", malleate: func(*types.GenesisState) {}},
		{name: "default", malleate: func(gs *types.GenesisState) { *gs = *types.DefaultGenesis() }},
		{name: "same reporter, two dealers", malleate: func(gs *types.GenesisState) {
			gs.Reporters = append(gs.Reporters, types.Reporter{DealerId: "beta", Address: reporterAddr})
		}},
		{name: "bad params", malleate: func(gs *types.GenesisState) { gs.Params.MaxRecordsPerBatch = 0 }, wantErr: types.ErrInvalidParams},
		{name: "duplicate dealer", malleate: func(gs *types.GenesisState) {
			gs.Dealers = append(gs.Dealers, types.Dealer{Id: "acme"})
		}, wantErr: types.ErrInvalidGenesis},
		{name: "bad dealer id", malleate: func(gs *types.GenesisState) { gs.Dealers[1].Id = "Beta" }, wantErr: types.ErrInvalidDealerID},
		{name: "duplicate reporter", malleate: func(gs *types.GenesisState) {
			gs.Reporters = append(gs.Reporters, gs.Reporters[0])
		}, wantErr: types.ErrInvalidGenesis},
		{name: "reporter of unknown dealer", malleate: func(gs *types.GenesisState) { gs.Reporters[0].DealerId = "ghost" }, wantErr: types.ErrInvalidGenesis},
		{name: "reporter bad address", malleate: func(gs *types.GenesisState) { gs.Reporters[0].Address = "cosmos1bad" }, wantErr: types.ErrInvalidAddress},
		{name: "record of unknown dealer", malleate: func(gs *types.GenesisState) { gs.Records[1].DealerId = "ghost" }, wantErr: types.ErrInvalidGenesis},
		{name: "next_record_id zero", malleate: func(gs *types.GenesisState) { gs.NextRecordId = 0 }, wantErr: types.ErrInvalidGenesis},
		{name: "record id zero", malleate: func(gs *types.GenesisState) { gs.Records[0].Id = 0 }, wantErr: types.ErrInvalidGenesis},
		{name: "duplicate record id", malleate: func(gs *types.GenesisState) { gs.Records[1].Id = gs.Records[0].Id }, wantErr: types.ErrInvalidGenesis},
		{name: "records out of order", malleate: func(gs *types.GenesisState) {
			gs.Records[0], gs.Records[1] = gs.Records[1], gs.Records[0]
		}, wantErr: types.ErrInvalidGenesis},
		{name: "record id not below next", malleate: func(gs *types.GenesisState) { gs.NextRecordId = 5 }, wantErr: types.ErrInvalidGenesis},
		{name: "invalid record input", malleate: func(gs *types.GenesisState) {
			gs.Records[1].Input.EvidenceHash = []byte{1}
		}, wantErr: types.ErrInvalidEvidenceHash},
		{name: "open dispute", malleate: withDispute},
		{name: "resolved dispute", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Disputes[0].Status, gs.Disputes[0].Verdict = types.DISPUTE_STATUS_RESOLVED, &types.Verdict{DisputeId: 5, WrongRecordId: 2}
		}},
		{name: "dispute not keyed by its flagged record", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Disputes[0].Id = 4
		}, wantErr: types.ErrInvalidGenesis},
		{name: "dispute of a record not on file", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Disputes[0].ConflictingRecordId = 1
		}, wantErr: types.ErrInvalidGenesis},
		{name: "dispute between records of one dealer", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Records[0].DealerId, gs.Disputes[0].ConflictingDealerId = "beta", "beta"
		}, wantErr: types.ErrInvalidGenesis},
		{name: "dispute of another VIN", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Disputes[0].Vin = "1M8GDM9AXKP042788"
		}, wantErr: types.ErrInvalidGenesis},
		{name: "open dispute with a verdict", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Disputes[0].Verdict = &types.Verdict{DisputeId: 5, WrongRecordId: 2}
		}, wantErr: types.ErrInvalidGenesis},
		{name: "resolved dispute without a verdict", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Disputes[0].Status = types.DISPUTE_STATUS_RESOLVED
		}, wantErr: types.ErrInvalidGenesis},
		{name: "verdict against a record not in the dispute", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Disputes[0].Status, gs.Disputes[0].Verdict = types.DISPUTE_STATUS_RESOLVED, &types.Verdict{DisputeId: 5, WrongRecordId: 7}
		}, wantErr: types.ErrInvalidGenesis},
		{name: "dispute without status", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Disputes[0].Status = types.DISPUTE_STATUS_UNSPECIFIED
		}, wantErr: types.ErrInvalidGenesis},
		{name: "dispute listed twice", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Disputes = append(gs.Disputes, gs.Disputes[0])
		}, wantErr: types.ErrInvalidGenesis},
		{name: "party's review does not name the dispute", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Records[0].Review = nil
		}, wantErr: types.ErrInvalidGenesis},
		{name: "review names a dispute not about the record", malleate: func(gs *types.GenesisState) {
			withDispute(gs)
			gs.Records[0].Review.DisputeIds = append(gs.Records[0].Review.DisputeIds, 9)
		}, wantErr: types.ErrInvalidGenesis},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gs := types.GenesisState{
				Params:    types.DefaultParams(),
				Dealers:   []types.Dealer{{Id: "acme", Active: true}, {Id: "beta", Active: true}},
				Reporters: []types.Reporter{{DealerId: "acme", Address: reporterAddr, Active: true}},
				Records:   []types.Record{record(2, "acme"), record(5, "beta")},
				// 6 is the id the next record will get.
				NextRecordId: 6,
			}
			tc.malleate(&gs)
			err := gs.Validate()
			if tc.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
		})
	}
}

// TestValidateOfAnyDealer: a notary's observation does not know the
// ledger's dealer without chain state; an envelope naming some dealer
// passes (the keeper checks it is the ledger's), one naming none does not.
func TestValidateOfAnyDealer(t *testing.T) {
	in := validInput()
	in.Sealed = sealedEnvelope(t, in.Vin, "some-dealer")
	_, err := in.ValidateOfAnyDealer()
	require.NoError(t, err)
	_, err = in.Validate(sealedDealer)
	require.ErrorIs(t, err, types.ErrInvalidSealed, "not this dealer's")

	noDealer := validInput()
	noDealer.Sealed = sealedEnvelope(t, noDealer.Vin, "")
	noDealer.Sealed.Subject = types.SealedSubject(noDealer.Vin, "")[:len("vehicle/")+len(noDealer.Vin)]
	_, err = noDealer.ValidateOfAnyDealer()
	require.ErrorIs(t, err, types.ErrInvalidSealed)
}
