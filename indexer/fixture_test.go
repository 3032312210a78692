package indexer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"

	"github.com/vinhub/vinhub/indexer"
	"github.com/vinhub/vinhub/sealed"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

const (
	chainID = "vinhub-test-1"
	lender  = "cosmos1lender"
	owner   = "cosmos1owner"
)

var (
	vin     = vehicletestutil.VIN(1)
	genesis = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
)

type abciEvent = abci.Event

// typed is a typed event as the chain emits it in a block result.
func typed(t *testing.T, msg proto.Message) abci.Event {
	t.Helper()
	ev, err := sdk.TypedEventToEvent(msg)
	require.NoError(t, err)
	ev.Attributes = append(ev.Attributes, abci.EventAttribute{Key: "msg_index", Value: "0"})
	return abci.Event(ev)
}

// okTx is a successful transaction emitting events.
func okTx(t *testing.T, hash string, events ...proto.Message) indexer.Tx {
	t.Helper()
	tx := indexer.Tx{Hash: hash}
	for _, e := range events {
		tx.Events = append(tx.Events, typed(t, e))
	}
	return tx
}

// refusedTx is a transaction of msg the chain refused with err; the events
// it emitted before failing are in the result, as a node would never show
// them, to prove they are ignored.
func refusedTx(t *testing.T, hash string, msg proto.Message, codespace string, code uint32, events ...proto.Message) indexer.Tx {
	t.Helper()
	anyMsg, err := codectypes.NewAnyWithValue(msg)
	require.NoError(t, err)
	body, err := (&txtypes.TxBody{Messages: []*codectypes.Any{anyMsg}}).Marshal()
	require.NoError(t, err)
	raw, err := (&txtypes.TxRaw{BodyBytes: body}).Marshal()
	require.NoError(t, err)
	tx := okTx(t, hash, events...)
	tx.Raw, tx.Code, tx.Codespace, tx.Log = raw, code, codespace, "refused"
	return tx
}

func coin(n int64) sdk.Coin { return sdk.NewCoin("stake", sdkmath.NewInt(n)) }

// fakeHub is a hub of made-up blocks: a Source for the indexer.
type fakeHub struct {
	mu      sync.Mutex
	genesis indexer.Genesis
	blocks  []indexer.Block
	records map[uint64]vehicletypes.Record
	// assets and loans are those the story gives a sealed envelope; any
	// other is read as stored without one.
	assets map[uint64]assettypes.Asset
	loans  map[uint64]assettypes.Loan
	// down makes every call fail, as an unreachable node.
	down bool
}

func newFakeHub() *fakeHub {
	return &fakeHub{genesis: indexer.Genesis{ChainID: chainID, Time: genesis, InitialHeight: 1, AppHash: "", AppState: map[string]json.RawMessage{}},
		records: map[uint64]vehicletypes.Record{}, assets: map[uint64]assettypes.Asset{}, loans: map[uint64]assettypes.Loan{}}
}

func (h *fakeHub) Genesis(context.Context) (indexer.Genesis, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down {
		return indexer.Genesis{}, fmt.Errorf("hub down")
	}
	return h.genesis, nil
}

// commit appends a block with txs at the next height.
func (h *fakeHub) commit(txs ...indexer.Tx) {
	h.mu.Lock()
	defer h.mu.Unlock()
	height := int64(len(h.blocks) + 1)
	h.blocks = append(h.blocks, indexer.Block{Height: height, Time: genesis.Add(time.Duration(height) * time.Second),
		AppHash: fmt.Sprintf("%064X", height), Txs: txs})
}

func (h *fakeHub) ChainID(context.Context) (string, error) {
	if h.down {
		return "", fmt.Errorf("hub down")
	}
	return chainID, nil
}

func (h *fakeHub) Latest(context.Context) (int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down {
		return 0, fmt.Errorf("hub down")
	}
	return int64(len(h.blocks)), nil
}

func (h *fakeHub) Block(_ context.Context, height int64) (indexer.Block, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down || height < 1 || height > int64(len(h.blocks)) {
		return indexer.Block{}, fmt.Errorf("no block %d", height)
	}
	return h.blocks[height-1], nil
}

func (h *fakeHub) Record(_ context.Context, id uint64, height int64) (vehicletypes.Record, error) {
	rec, ok := h.records[id]
	if !ok || rec.RecordedHeight > height {
		return vehicletypes.Record{}, fmt.Errorf("record %d not found at height %d", id, height)
	}
	return rec, nil
}

func (h *fakeHub) Asset(_ context.Context, id uint64, _ int64) (assettypes.Asset, error) {
	if a, ok := h.assets[id]; ok {
		return a, nil
	}
	return assettypes.Asset{Id: id}, nil
}

func (h *fakeHub) Loan(_ context.Context, id uint64, _ int64) (assettypes.Loan, error) {
	if l, ok := h.loans[id]; ok {
		return l, nil
	}
	return assettypes.Loan{Id: id}, nil
}

// record makes record id of vin at the next height and the event the chain
// emits for it.
func (h *fakeHub) record(id uint64, dealer string, km uint64, origin *vehicletypes.Origin, flags ...vehicletypes.FlagCode) *vehicletypes.EventRecordAppended {
	height := int64(len(h.blocks) + 1)
	rec := vehicletypes.Record{Id: id, DealerId: dealer, Reporter: "cosmos1reporter",
		Input:          vehicletypes.RecordInput{Vin: vin, Kind: vehicletypes.RECORD_KIND_MILEAGE, OdometerKm: km, OccurredAt: genesis},
		RecordedHeight: height, RecordedAt: genesis.Add(time.Duration(height) * time.Second), Origin: origin}
	for _, f := range flags {
		rec.Flags = append(rec.Flags, vehicletypes.RecordFlag{Code: f})
	}
	h.records[id] = rec
	return &vehicletypes.EventRecordAppended{Id: id, Vin: vin, DealerId: dealer, Kind: rec.Input.Kind, OdometerKm: km, Flags: flags}
}

// financeStory commits a car's life on the hub: records (one flagged, one
// over IBC), an asset, a loan pledged and repaid, a second pledged and
// defaulted, a dealer's lien refused over IBC and a hub pledge refused
// because the VIN is liened.
func financeStory(t *testing.T, h *fakeHub) {
	t.Helper()
	origin := &vehicletypes.Origin{ChainId: "dealer-a", Route: vehicletypes.Route{ChannelId: "channel-0"}, Sequence: 7, DealerRecordId: 3}
	h.commit(okTx(t, "A1", h.record(1, "acme", 50_000, nil)))
	h.commit(okTx(t, "A2", h.record(2, "bayside", 40_000, origin, vehicletypes.FLAG_CODE_ODOMETER_ROLLBACK)))
	h.commit(okTx(t, "A3",
		&assettypes.EventAssetApplied{AssetId: 1, Kind: assettypes.ASSET_KIND_VEHICLE, Owner: owner, Vin: vin},
		&assettypes.EventAssetApproved{AssetId: 1, Examiner: "cosmos1examiner", Value: coin(20_000)}))
	hubHolder := func(loan string) vehicletypes.LienHolder {
		return vehicletypes.LienHolder{Module: "asset", Lender: lender, Reference: loan}
	}
	h.commit(okTx(t, "A4", &assettypes.EventLoanOffered{LoanId: 1, AssetId: 1, Lender: lender, Borrower: owner, Principal: coin(10_000)}),
		okTx(t, "A5", &vehicletypes.EventLienGranted{LienId: 1, Vin: vin, Holder: hubHolder("loan/1")},
			&assettypes.EventAssetPledged{AssetId: 1, LoanId: 1, Borrower: owner, Lender: lender, LienId: 1, Maturity: genesis.Add(720 * time.Hour)}))
	// A dealer asks for the VIN over IBC: refused, the event survives.
	dealer := vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: "dealer1lender", Reference: "9"}
	h.commit(okTx(t, "A6", &vehicletypes.EventLienRefused{Vin: vin, RequestedBy: dealer, HeldLienId: 1, Holder: hubHolder("loan/1"),
		Code: vehicletypes.ErrLienHeld.ABCICode()}))
	h.commit(okTx(t, "A7", &vehicletypes.EventLienReleased{LienId: 1, Vin: vin, Holder: hubHolder("loan/1"), Reason: "repaid"},
		&assettypes.EventLoanRepaid{LoanId: 1, AssetId: 1, Borrower: owner, Amount: coin(10_010)}))
	h.commit(okTx(t, "A8", &vehicletypes.EventLienGranted{LienId: 2, Vin: vin, Holder: dealer, AuthorizedBy: owner}))
	// The owner pledges again while the dealer holds the VIN: the tx fails.
	h.commit(okTx(t, "A9", &assettypes.EventLoanOffered{LoanId: 2, AssetId: 1, Lender: lender, Borrower: owner, Principal: coin(5_000)}),
		refusedTx(t, "B1", &assettypes.MsgPledge{Owner: owner, LoanId: 2}, vehicletypes.ErrLienHeld.Codespace(), vehicletypes.ErrLienHeld.ABCICode(),
			&vehicletypes.EventLienRefused{Vin: vin, RequestedBy: hubHolder("loan/2"), Code: vehicletypes.ErrLienHeld.ABCICode()}))
	h.commit(okTx(t, "B2", &vehicletypes.EventLienReleased{LienId: 2, Vin: vin, Holder: dealer, Reason: "paid off"}))
	h.commit(okTx(t, "B3", &vehicletypes.EventLienGranted{LienId: 3, Vin: vin, Holder: hubHolder("loan/2")},
		&assettypes.EventAssetPledged{AssetId: 1, LoanId: 2, Borrower: owner, Lender: lender, LienId: 3, Maturity: genesis.Add(time.Hour)}))
	h.commit(okTx(t, "B4", &assettypes.EventLoanDefaulted{LoanId: 2, AssetId: 1, Borrower: owner, Lender: lender},
		&vehicletypes.EventLienReleased{LienId: 3, Vin: vin, Holder: hubHolder("loan/2"), Reason: "defaulted"}))
	// A warehouse receipt financed and still open: the loan book's one loan.
	h.commit(okTx(t, "B5", &assettypes.EventAssetApplied{AssetId: 2, Kind: assettypes.ASSET_KIND_WAREHOUSE_RECEIPT, Owner: owner},
		&assettypes.EventLoanOffered{LoanId: 3, AssetId: 2, Lender: lender, Borrower: owner, Principal: coin(7_000)},
		&assettypes.EventAssetPledged{AssetId: 2, LoanId: 3, Borrower: owner, Lender: lender, Maturity: genesis.Add(time.Hour)}))
}

const (
	regulator = "cosmos1regulator"
	buyer     = "cosmos1buyer"
	// anchoredHash is the evidence hash the sealed story anchors (hex, as
	// EventEvidenceAnchored carries it).
	anchoredHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
)

// sealedStory continues financeStory with the facts of issues 14 and 15:
// a regulator's key and role, a sealed record, its evidence anchored (and
// anchored again, which the hub answers without an event), the title of
// asset 1 sold on the hub and the regulator's key rotated.
func sealedStory(t *testing.T, h *fakeHub) {
	t.Helper()
	h.commit(okTx(t, "S1", &membershiptypes.EventRoleGranted{Address: regulator, Role: membershiptypes.ROLE_REGULATOR},
		&membershiptypes.EventEncryptionKeyRegistered{Address: regulator, Version: 1, SetByGovernance: true}),
		okTx(t, "S2", &membershiptypes.EventEncryptionKeyRegistered{Address: owner, Version: 1}))

	id := uint64(len(h.records) + 1)
	ev := h.record(id, "acme", 61_000, nil)
	rec := h.records[id]
	rec.Input.Sealed = &sealed.Envelope{Version: 1, Subject: "vehicle/" + vin, Ciphertext: []byte("secret sale price"),
		Recipients: []sealed.Recipient{{Address: "cosmos1reporter", KeyVersion: 1, WrappedKey: []byte("k1")},
			{Address: regulator, KeyVersion: 1, WrappedKey: []byte("k2")}},
		Commitments: []sealed.Commitment{{Name: "owner", Digest: []byte{0xaa, 0x01}}, {Name: "price", Digest: []byte{0xbb, 0x02}}}}
	h.records[id] = rec
	h.commit(okTx(t, "S3", ev, &anchortypes.EventEvidenceAnchored{Sha256: anchoredHash, Kind: anchortypes.EVIDENCE_KIND_RECORD_EVIDENCE,
		Vin: vin, Submitter: "cosmos1reporter", Source: fmt.Sprintf("vehicle/record/%d", id)}))
	// The same document anchored again: the tx succeeds, the hub writes and emits nothing.
	h.commit(okTx(t, "S4"))

	id++
	ev = h.record(id, "", 0, nil)
	ev.Kind = vehicletypes.RECORD_KIND_OWNERSHIP_TRANSFER
	rec = h.records[id]
	rec.DealerId, rec.Reporter = "", ""
	rec.Input.Kind = vehicletypes.RECORD_KIND_OWNERSHIP_TRANSFER
	rec.TitleOrigin = &vehicletypes.TitleOrigin{Module: "asset", Reference: "asset/1", AssetId: 1, From: owner, To: buyer,
		Cause: vehicletypes.TITLE_CAUSE_SALE}
	h.records[id] = rec
	h.commit(okTx(t, "S5", &assettypes.EventAssetSold{AssetId: 1, Seller: owner, Buyer: buyer, Price: coin(18_000)}, ev))

	h.commit(okTx(t, "S6", &membershiptypes.EventEncryptionKeyRegistered{Address: regulator, Version: 2}))

	// The buyer applies with a sealed identity and is offered a sealed loan.
	h.assets[3] = assettypes.Asset{Id: 3, Sealed: &sealed.Envelope{Version: 1, Subject: "asset-application/" + buyer,
		Recipients:  []sealed.Recipient{{Address: regulator, KeyVersion: 2}},
		Commitments: []sealed.Commitment{{Name: "identity", Digest: []byte{0x01}}}}}
	h.loans[4] = assettypes.Loan{Id: 4, Sealed: &sealed.Envelope{Version: 1, Subject: "loan/3/" + buyer,
		Recipients:  []sealed.Recipient{{Address: lender, KeyVersion: 1}, {Address: regulator, KeyVersion: 2}},
		Commitments: []sealed.Commitment{{Name: "terms", Digest: []byte{0x02}}}}}
	h.commit(okTx(t, "S9", &assettypes.EventAssetApplied{AssetId: 3, Kind: assettypes.ASSET_KIND_WAREHOUSE_RECEIPT, Owner: buyer}),
		okTx(t, "S10", &assettypes.EventLoanOffered{LoanId: 4, AssetId: 3, Lender: lender, Borrower: buyer, Principal: coin(1_000)}))
}
