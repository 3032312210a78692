package indexer_test

import (
	"context"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/indexer"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// tableRows are the rows of table in rows.
func tableRows(rows []indexer.Row, table string) []indexer.Row {
	var out []indexer.Row
	for _, r := range rows {
		if r.Table == table {
			out = append(out, r)
		}
	}
	return out
}

func mapBlock(t *testing.T, h *fakeHub, height int64) []indexer.Row {
	t.Helper()
	b, err := h.Block(context.Background(), height)
	require.NoError(t, err)
	rows, err := indexer.Map(context.Background(), b, h)
	require.NoError(t, err)
	return rows
}

func TestMapRecords(t *testing.T) {
	h := newFakeHub()
	financeStory(t, h)

	rows := mapBlock(t, h, 1)
	require.Equal(t, "blocks", rows[0].Table)
	require.Equal(t, []any{int64(1), genesis.Add(time.Second), h.blocks[0].AppHash, 1, 0}, rows[0].Vals)
	vehicles := tableRows(rows, "vehicles")
	require.Len(t, vehicles, 1)
	require.True(t, vehicles[0].FirstWins, "every record of a VIN offers its first height; the first one stays")
	records := tableRows(rows, "records")
	require.Len(t, records, 1)
	rec := records[0]
	require.Equal(t, int64(1), rec.Value("record_id"))
	require.Equal(t, "RECORD_KIND_MILEAGE", rec.Value("kind"))
	require.Equal(t, int64(50_000), rec.Value("odometer_km"))
	require.Equal(t, "cosmos1reporter", rec.Value("reporter"), "read from the record at the block's height")
	require.Equal(t, []string{}, rec.Value("flags"))
	require.Nil(t, rec.Value("origin_chain_id"), "a hub record has no IBC origin")

	rec = tableRows(mapBlock(t, h, 2), "records")[0]
	require.Equal(t, []string{"FLAG_CODE_ODOMETER_ROLLBACK"}, rec.Value("flags"))
	require.Equal(t, "dealer-a", rec.Value("origin_chain_id"))
	require.Equal(t, "channel/channel-0", rec.Value("origin_route"))
	require.Equal(t, int64(7), rec.Value("origin_sequence"))
	require.Equal(t, int64(3), rec.Value("origin_dealer_record_id"))
}

func TestMapLiensAndRefusals(t *testing.T) {
	h := newFakeHub()
	financeStory(t, h)

	granted := tableRows(mapBlock(t, h, 4), "liens")
	require.Len(t, granted, 1)
	require.Equal(t, "asset", granted[0].Value("holder_module"))
	require.Equal(t, "loan/1", granted[0].Value("holder_reference"))
	require.Equal(t, int64(4), granted[0].Value("granted_height"))

	refusals := tableRows(mapBlock(t, h, 5), "lien_refusals")
	require.Len(t, refusals, 1, "an IBC refusal is a committed answer: its event is indexed")
	require.Equal(t, "acme", refusals[0].Value("requested_dealer_id"))
	require.Equal(t, int64(1), refusals[0].Value("held_lien_id"))
	require.Equal(t, int64(vehicletypes.ErrLienHeld.ABCICode()), refusals[0].Value("code"))

	released := tableRows(mapBlock(t, h, 6), "lien_releases")
	require.Len(t, released, 1)
	require.Equal(t, "repaid", released[0].Value("reason"))
	require.Nil(t, released[0].Value("forced_by"))

	rows := mapBlock(t, h, 8)
	require.Empty(t, tableRows(rows, "lien_refusals"), "a failed tx's events are not facts")
	refused := tableRows(rows, "refused_txs")
	require.Len(t, refused, 1)
	r := refused[0]
	require.Equal(t, 1, r.Value("tx_index"))
	require.Equal(t, "vehicle", r.Value("codespace"))
	require.Equal(t, int64(vehicletypes.ErrLienHeld.ABCICode()), r.Value("code"))
	require.Equal(t, "/vinhub.asset.v1.MsgPledge", r.Value("msg_type"))
	require.Equal(t, owner, r.Value("signer"))
	require.Equal(t, int64(2), r.Value("loan_id"))
	require.Equal(t, 1, rows[0].Value("failed"))
}

func TestMapFinance(t *testing.T) {
	h := newFakeHub()
	financeStory(t, h)

	rows := mapBlock(t, h, 4)
	loans := tableRows(rows, "loans")
	require.Len(t, loans, 1)
	require.Equal(t, "10000", loans[0].Value("principal"))
	require.Equal(t, "stake", loans[0].Value("denom"))
	events := tableRows(rows, "loan_events")
	require.Len(t, events, 2)
	require.Equal(t, "offered", events[0].Value("event"))
	require.Equal(t, "pledged", events[1].Value("event"))
	require.Equal(t, int64(1), events[1].Value("lien_id"))
	// Events are numbered in block order across transactions.
	require.Equal(t, 0, events[0].Value("event_index"))
	require.Equal(t, 2, events[1].Value("event_index"))

	events = tableRows(mapBlock(t, h, 11), "loan_events")
	require.Len(t, events, 1)
	require.Equal(t, "defaulted", events[0].Value("event"))
}

func TestMapScoresAndHTLCs(t *testing.T) {
	h := newFakeHub()
	expiry := genesis.Add(time.Hour)
	h.commit(okTx(t, "C1",
		&credittypes.EventScoreChanged{Address: owner, Old: 500, New: 530, Reason: "repayment", Detail: "loan 1 on time"},
		&htlctypes.EventLocked{Id: "h1", Sender: owner, Recipient: lender, HashLock: "ab", Expiry: expiry, AssetId: 1}))
	claimed := typed(t, &htlctypes.EventClaimed{Id: "h1", Claimer: lender, Recipient: lender, HashLock: "ab", Secret: "cd"})
	// The SDK marks a block step's events with a mode that is not JSON.
	claimed.Attributes = append(claimed.Attributes, abci.EventAttribute{Key: "mode", Value: "EndBlock"})
	h.blocks[0].FinalizeEvents = []abciEvent{claimed}

	rows := mapBlock(t, h, 1)
	scores := tableRows(rows, "credit_score_changes")
	require.Len(t, scores, 1)
	require.Equal(t, int64(530), scores[0].Value("new_score"))
	htlcs := tableRows(rows, "htlc_events")
	require.Len(t, htlcs, 2)
	require.Equal(t, "locked", htlcs[0].Value("event"))
	require.Equal(t, int64(1), htlcs[0].Value("asset_id"))
	require.Equal(t, expiry, htlcs[0].Value("expiry"))
	require.Equal(t, "claimed", htlcs[1].Value("event"))
	require.Equal(t, "cd", htlcs[1].Value("secret"), "the revealed secret is what lets the other rail be claimed")
	require.Equal(t, 2, htlcs[1].Value("event_index"), "block events follow the transactions'")
}

// A record whose state cannot be read at its height fails the block: it
// is retried, never stored without its origin.
func TestMapRecordLookupFails(t *testing.T) {
	h := newFakeHub()
	ev := h.record(1, "acme", 10, nil)
	delete(h.records, 1)
	h.commit(okTx(t, "D1", ev))
	b, err := h.Block(context.Background(), 1)
	require.NoError(t, err)
	_, err = indexer.Map(context.Background(), b, h)
	require.ErrorContains(t, err, "record 1 not found at height 1")
}

// Events of other modules, and vinhub events this build does not know (a
// hub upgraded before vinindex), are skipped, not fatal: they still count
// in the numbering, so an upgraded vinindex's rebuild keeps the same keys.
func TestMapSkipsOtherEvents(t *testing.T) {
	h := newFakeHub()
	tx := okTx(t, "E1", &assettypes.EventLoanCancelled{LoanId: 4, Lender: lender})
	tx.Events = append([]abciEvent{{Type: "transfer"}, {Type: "vinhub.future.v1.EventNew"}}, tx.Events...)
	h.commit(tx)
	events := tableRows(mapBlock(t, h, 1), "loan_events")
	require.Len(t, events, 1)
	require.Equal(t, 2, events[0].Value("event_index"), "every event counts for the numbering")
}

// Every failed transaction is kept with its code, whatever it was: a
// purchase on credit names its asset and loan, bytes that are no
// transaction are said to be so.
func TestMapRefusedTxs(t *testing.T) {
	h := newFakeHub()
	buy := refusedTx(t, "F1", &assettypes.MsgBuy{Buyer: "cosmos1buyer", AssetId: 5, Price: coin(1), LoanId: 6},
		vehicletypes.ErrLienHeld.Codespace(), vehicletypes.ErrLienHeld.ABCICode())
	junk := indexer.Tx{Hash: "F2", Code: 2, Codespace: "sdk", Log: "tx parse error", Raw: []byte{0xff, 0x01}}
	h.commit(buy, junk)
	refused := tableRows(mapBlock(t, h, 1), "refused_txs")
	require.Len(t, refused, 2)
	require.Equal(t, "cosmos1buyer", refused[0].Value("signer"))
	require.Equal(t, int64(5), refused[0].Value("asset_id"))
	require.Equal(t, int64(6), refused[0].Value("loan_id"))
	require.Equal(t, "undecodable", refused[1].Value("msg_type"))
	require.Equal(t, "sdk", refused[1].Value("codespace"))
}

// A first anchoring is one row with everything its event says; an
// anchoring of a hash anchored before emits nothing on the hub and writes
// nothing here.
func TestMapEvidenceAnchors(t *testing.T) {
	h := newFakeHub()
	financeStory(t, h)
	sealedStory(t, h)

	anchors := tableRows(mapBlock(t, h, 14), "evidence_anchors")
	require.Len(t, anchors, 1)
	a := anchors[0]
	require.Equal(t, anchoredHash, a.Value("hash"))
	require.Equal(t, "EVIDENCE_KIND_RECORD_EVIDENCE", a.Value("kind"))
	require.Equal(t, vin, a.Value("vin"))
	require.Equal(t, "cosmos1reporter", a.Value("submitter"))
	require.Equal(t, "vehicle/record/3", a.Value("source"))
	require.Equal(t, int64(14), a.Value("height"))
	require.Equal(t, genesis.Add(14*time.Second), a.Value("anchored_at"))
	require.Equal(t, 1, a.Value("event_index"))

	rows := mapBlock(t, h, 15)
	require.Len(t, rows, 1, "the repeat anchoring: the block row and nothing else")

	h.commit(okTx(t, "S7", &anchortypes.EventEvidenceAnchored{Sha256: "00", Kind: anchortypes.EVIDENCE_KIND_DOCUMENT, Submitter: owner}))
	a = tableRows(mapBlock(t, h, int64(len(h.blocks))), "evidence_anchors")[0]
	require.Nil(t, a.Value("vin"), "a document about no vehicle")
	require.Nil(t, a.Value("source"), "anchored by MsgAnchorEvidence itself")
}

// A sealed record gives one row per committed field and per recipient key:
// digests and key ids only, never the ciphertext or a wrapped key.
func TestMapSealedCommitments(t *testing.T) {
	h := newFakeHub()
	financeStory(t, h)
	sealedStory(t, h)

	rows := mapBlock(t, h, 14)
	commitments := tableRows(rows, "sealed_commitments")
	require.Len(t, commitments, 2)
	for i, want := range []struct{ field, digest string }{{"owner", "aa01"}, {"price", "bb02"}} {
		c := commitments[i]
		require.Equal(t, want.field, c.Value("field"))
		require.Equal(t, want.digest, c.Value("commitment"))
		require.Equal(t, int64(3), c.Value("record_id"))
		require.Equal(t, "vehicle/"+vin, c.Value("subject"))
		require.Equal(t, int64(1), c.Value("envelope_version"))
		require.Equal(t, 0, c.Value("event_index"), "keyed by the record's event")
	}
	recipients := tableRows(rows, "sealed_recipients")
	require.Len(t, recipients, 2)
	require.Equal(t, []any{"cosmos1reporter", int64(1)}, []any{recipients[0].Value("address"), recipients[0].Value("key_version")})
	require.Equal(t, []any{regulator, int64(1)}, []any{recipients[1].Value("address"), recipients[1].Value("key_version")})
	for _, r := range rows {
		for _, v := range r.Vals {
			if s, ok := v.(string); ok {
				require.NotContains(t, s, "secret sale price", "table %s", r.Table)
			}
		}
	}

	require.Empty(t, tableRows(mapBlock(t, h, 1), "sealed_commitments"), "an open record commits nothing")
	require.Empty(t, tableRows(mapBlock(t, h, 4), "sealed_commitments"), "an open loan offer commits nothing")

	// An application and a loan offer, each read at its height for its envelope.
	rows = mapBlock(t, h, 18)
	commitments = tableRows(rows, "sealed_commitments")
	require.Len(t, commitments, 2)
	require.Equal(t, []any{int64(3), nil, "identity", "01"}, []any{commitments[0].Value("asset_id"), commitments[0].Value("loan_id"),
		commitments[0].Value("field"), commitments[0].Value("commitment")})
	require.Equal(t, []any{nil, int64(4), "terms", "loan/3/" + buyer}, []any{commitments[1].Value("asset_id"), commitments[1].Value("loan_id"),
		commitments[1].Value("field"), commitments[1].Value("subject")})
	require.Len(t, tableRows(rows, "sealed_recipients"), 3)
}

// An ownership record keeps its title move (module, reference, asset,
// from, to, cause) in the record's row.
func TestMapOwnershipRecords(t *testing.T) {
	h := newFakeHub()
	financeStory(t, h)
	sealedStory(t, h)

	rec := tableRows(mapBlock(t, h, 16), "records")[0]
	require.Equal(t, "RECORD_KIND_OWNERSHIP_TRANSFER", rec.Value("kind"))
	require.Equal(t, "asset", rec.Value("title_module"))
	require.Equal(t, "asset/1", rec.Value("title_reference"))
	require.Equal(t, int64(1), rec.Value("title_asset_id"))
	require.Equal(t, owner, rec.Value("title_from"))
	require.Equal(t, buyer, rec.Value("title_to"))
	require.Equal(t, "TITLE_CAUSE_SALE", rec.Value("title_cause"))
	require.Equal(t, "", rec.Value("reporter"), "the hub wrote it: no reporter")

	require.Nil(t, tableRows(mapBlock(t, h, 1), "records")[0].Value("title_cause"), "a dealer's record moves no title")
}

// Encryption key registrations and rotations, and role grants (which say
// whose key is a regulator's), are facts of their events.
func TestMapEncryptionKeys(t *testing.T) {
	h := newFakeHub()
	financeStory(t, h)
	sealedStory(t, h)

	rows := mapBlock(t, h, 13)
	roles := tableRows(rows, "role_events")
	require.Len(t, roles, 1)
	require.Equal(t, []any{regulator, "ROLE_REGULATOR", true}, []any{roles[0].Value("address"), roles[0].Value("role"), roles[0].Value("granted")})
	keys := tableRows(rows, "encryption_keys")
	require.Len(t, keys, 2)
	require.Equal(t, []any{regulator, int64(1), true, 1}, []any{keys[0].Value("address"), keys[0].Value("version"),
		keys[0].Value("set_by_governance"), keys[0].Value("event_index")})
	require.Equal(t, []any{owner, int64(1), false, 2}, []any{keys[1].Value("address"), keys[1].Value("version"),
		keys[1].Value("set_by_governance"), keys[1].Value("event_index")})

	rotated := tableRows(mapBlock(t, h, 17), "encryption_keys")
	require.Len(t, rotated, 1)
	require.Equal(t, int64(2), rotated[0].Value("version"))

	h.commit(okTx(t, "S8", &membershiptypes.EventRoleRevoked{Address: regulator, Role: membershiptypes.ROLE_REGULATOR}))
	revoked := tableRows(mapBlock(t, h, int64(len(h.blocks))), "role_events")
	require.Equal(t, false, revoked[0].Value("granted"))
}
