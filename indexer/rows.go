package indexer

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"

	"github.com/vinhub/vinhub/sealed"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// Row is one row to insert. Rows are facts: they are inserted, never
// updated, so a block applied once gives the same rows whether it was
// indexed live or by a rebuild.
type Row struct {
	Table string
	Cols  []string
	Vals  []any
	// FirstWins marks a row that several blocks may produce (the first
	// height a VIN appears): a later copy is skipped, not an error.
	FirstWins bool
}

// Value is the value of column col, or nil.
func (r Row) Value(col string) any {
	for i, c := range r.Cols {
		if c == col {
			return r.Vals[i]
		}
	}
	return nil
}

// mapper turns one block into rows.
type mapper struct {
	ctx context.Context
	// state is what the block created, as stored at its height.
	state
	b    Block
	rows []Row
}

func (m *mapper) add(table string, kv ...any) {
	r := Row{Table: table}
	for i := 0; i < len(kv); i += 2 {
		r.Cols = append(r.Cols, kv[i].(string))
		r.Vals = append(r.Vals, kv[i+1])
	}
	m.rows = append(m.rows, r)
}

// fact adds a row keyed by the event's place in the block.
func (m *mapper) fact(table string, index int, kv ...any) {
	m.add(table, append([]any{"height", m.b.Height, "event_index", index}, kv...)...)
}

// Map turns a block into the rows the warehouse stores for it: the block
// itself, one row per fact in the events of its successful transactions
// and of the block's own steps, and one row per failed transaction (whose
// events the chain discards). Events are numbered in block order
// (transactions in order, then the block's own events), which is what
// keys the fact tables. look reads what an event lacks at b.Height.
func Map(ctx context.Context, b Block, look Lookup) ([]Row, error) {
	st, err := readState(ctx, b, look)
	if err != nil {
		return nil, fmt.Errorf("block %d: %w", b.Height, err)
	}
	m := &mapper{ctx: ctx, state: st, b: b}
	failed := 0
	index := 0
	for i, tx := range b.Txs {
		if tx.Code != 0 {
			failed++
			m.refusedTx(i, tx)
			continue
		}
		for _, ev := range tx.Events {
			if err := m.event(index, ev); err != nil {
				return nil, fmt.Errorf("block %d tx %s: %w", b.Height, tx.Hash, err)
			}
			index++
		}
	}
	for _, ev := range b.FinalizeEvents {
		if err := m.event(index, ev); err != nil {
			return nil, fmt.Errorf("block %d: %w", b.Height, err)
		}
		index++
	}
	blockRow := Row{Table: "blocks", Cols: []string{"height", "time", "app_hash", "txs", "failed"},
		Vals: []any{b.Height, b.Time, b.AppHash, len(b.Txs), failed}}
	return append([]Row{blockRow}, m.rows...), nil
}

// refusedTx records a failed transaction: its code, and what its first
// message asked for when that says which asset or loan was concerned.
func (m *mapper) refusedTx(i int, tx Tx) {
	msgType, signer, assetID, loanID := describeTx(tx.Raw)
	m.add("refused_txs", "height", m.b.Height, "tx_index", i, "tx_hash", tx.Hash, "codespace", tx.Codespace,
		"code", int64(tx.Code), "log", tx.Log, "msg_type", msgType, "signer", signer, "asset_id", assetID, "loan_id", loanID)
}

// describeTx reads a transaction's first message without the chain's
// interface registry: its type URL, and for the messages that take a lien
// (a pledge, a purchase on credit, a title locked in an HTLC) who sent it
// and which asset or loan it named. An undecodable tx is described as such.
func describeTx(raw []byte) (msgType string, signer, assetID, loanID any) {
	var txRaw txtypes.TxRaw
	var body txtypes.TxBody
	if txRaw.Unmarshal(raw) != nil || body.Unmarshal(txRaw.BodyBytes) != nil || len(body.Messages) == 0 {
		return "undecodable", nil, nil, nil
	}
	first := body.Messages[0]
	msgType = first.TypeUrl
	switch first.TypeUrl {
	case "/" + proto.MessageName(&assettypes.MsgPledge{}):
		var msg assettypes.MsgPledge
		if msg.Unmarshal(first.Value) == nil {
			return msgType, msg.Owner, nil, int64(msg.LoanId)
		}
	case "/" + proto.MessageName(&assettypes.MsgBuy{}):
		var msg assettypes.MsgBuy
		if msg.Unmarshal(first.Value) == nil {
			return msgType, msg.Buyer, int64(msg.AssetId), optionalID(msg.LoanId)
		}
	case "/" + proto.MessageName(&htlctypes.MsgLock{}):
		var msg htlctypes.MsgLock
		if msg.Unmarshal(first.Value) == nil {
			return msgType, msg.Sender, optionalID(msg.AssetId), nil
		}
	}
	return msgType, nil, nil, nil
}

// optionalID is id, or SQL NULL for 0 (ids start at 1).
func optionalID(id uint64) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// event maps one ABCI event. Events of other modules (bank, IBC core),
// vinhub events no table needs and vinhub events this build does not know
// (a hub upgraded first) are skipped.
func (m *mapper) event(index int, ev abci.Event) error {
	if !strings.HasPrefix(ev.Type, "vinhub.") || proto.MessageType(ev.Type) == nil {
		return nil
	}
	msg, err := sdk.ParseTypedEvent(typedFields(ev))
	if err != nil {
		return fmt.Errorf("event %s: %w", ev.Type, err)
	}
	return m.typed(index, msg)
}

// typed maps one typed event, whether parsed from a block result or
// derived from the genesis state (MapGenesis).
func (m *mapper) typed(index int, msg proto.Message) error {
	switch e := msg.(type) {
	case *vehicletypes.EventRecordAppended:
		return m.record(index, e)
	case *vehicletypes.EventDealerRegistered:
		m.fact("dealer_events", index, "dealer_id", e.DealerId, "event", "registered", "name", e.Name, "account", e.Account)
	case *vehicletypes.EventDealerRevoked:
		m.fact("dealer_events", index, "dealer_id", e.DealerId, "event", "revoked")
	case *vehicletypes.EventReporterAdmitted:
		m.fact("dealer_events", index, "dealer_id", e.DealerId, "event", "reporter admitted", "reporter", e.Reporter)
	case *vehicletypes.EventReporterRevoked:
		m.fact("dealer_events", index, "dealer_id", e.DealerId, "event", "reporter revoked", "reporter", e.Reporter)
	case *vehicletypes.EventDealerBound:
		m.fact("dealer_bindings", index, "dealer_id", e.DealerId, "route", e.Route, "chain_id", e.ChainId, "bound", true)
	case *vehicletypes.EventDealerUnbound:
		m.fact("dealer_bindings", index, "dealer_id", e.DealerId, "route", e.Route, "bound", false)
	case *vehicletypes.EventLienGranted:
		m.lienGranted(e)
	case *vehicletypes.EventLienReleased:
		m.lienReleased(e.LienId, e.Reason, nil)
	case *vehicletypes.EventLienForceReleased:
		m.lienReleased(e.LienId, e.Reason, e.Authority)
	case *vehicletypes.EventLienRefused:
		h := e.RequestedBy
		m.fact("lien_refusals", index, "vin", e.Vin, "requested_chain_id", h.ChainId, "requested_dealer_id", h.DealerId,
			"requested_module", h.Module, "requested_lender", h.Lender, "requested_reference", h.Reference,
			"held_lien_id", optionalID(e.HeldLienId), "code", int64(e.Code), "asset_id", optionalID(e.AssetId))
	case *anchortypes.EventEvidenceAnchored:
		m.add("evidence_anchors", "hash", e.Sha256, "event_index", index, "kind", e.Kind.String(), "vin", nullString(e.Vin),
			"submitter", e.Submitter, "source", nullString(e.Source), "height", m.b.Height, "anchored_at", m.b.Time)
	case *membershiptypes.EventEncryptionKeyRegistered:
		m.fact("encryption_keys", index, "address", e.Address, "version", int64(e.Version), "set_by_governance", e.SetByGovernance)
	case *membershiptypes.EventRoleGranted:
		m.fact("role_events", index, "address", e.Address, "role", e.Role.String(), "granted", true)
	case *membershiptypes.EventRoleRevoked:
		m.fact("role_events", index, "address", e.Address, "role", e.Role.String(), "granted", false)
	default:
		m.financeEvent(index, msg)
	}
	return nil
}

// lookups bounds the state queries one block runs at once.
const lookups = 8

// state is what a block's events lack, read at the block's height: the
// records its transactions appended, and the assets applied for and loans
// offered (for their sealed envelopes).
type state struct {
	records map[uint64]vehicletypes.Record
	assets  map[uint64]assettypes.Asset
	loans   map[uint64]assettypes.Loan
}

// readState reads what the block's successful transactions created, as
// stored at the block's height, several at a time: a block of record
// batches appends hundreds, and the queries are most of the work.
func readState(ctx context.Context, b Block, look Lookup) (state, error) {
	var recordIDs, assetIDs, loanIDs []uint64
	for _, tx := range b.Txs {
		if tx.Code != 0 {
			continue
		}
		for _, ev := range tx.Events {
			if ev.Type != appendedEvent && ev.Type != appliedEvent && ev.Type != offeredEvent {
				continue
			}
			msg, err := sdk.ParseTypedEvent(typedFields(ev))
			if err != nil {
				return state{}, fmt.Errorf("event %s: %w", ev.Type, err)
			}
			switch e := msg.(type) {
			case *vehicletypes.EventRecordAppended:
				recordIDs = append(recordIDs, e.Id)
			case *assettypes.EventAssetApplied:
				assetIDs = append(assetIDs, e.AssetId)
			case *assettypes.EventLoanOffered:
				loanIDs = append(loanIDs, e.LoanId)
			}
		}
	}
	var st state
	var err error
	if st.records, err = fetch(ctx, recordIDs, b.Height, look.Record); err != nil {
		return state{}, err
	}
	if st.assets, err = fetch(ctx, assetIDs, b.Height, look.Asset); err != nil {
		return state{}, err
	}
	st.loans, err = fetch(ctx, loanIDs, b.Height, look.Loan)
	return st, err
}

var (
	appendedEvent = proto.MessageName(&vehicletypes.EventRecordAppended{})
	appliedEvent  = proto.MessageName(&assettypes.EventAssetApplied{})
	offeredEvent  = proto.MessageName(&assettypes.EventLoanOffered{})
)

// fetch reads each of ids at height with get, at most lookups at once.
func fetch[T any](ctx context.Context, ids []uint64, height int64, get func(context.Context, uint64, int64) (T, error)) (map[uint64]T, error) {
	out := make(map[uint64]T, len(ids))
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	sem := make(chan struct{}, lookups)
	for _, id := range ids {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			v, err := get(ctx, id, height)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			out[id] = v
		}()
	}
	wg.Wait()
	return out, firstErr
}

// typedFields is ev with only the attributes a typed event is made of:
// each field's value in JSON. The SDK adds others that are not JSON, such
// as "mode" (BeginBlock/EndBlock) on events of the block's own steps.
func typedFields(ev abci.Event) abci.Event {
	out := abci.Event{Type: ev.Type}
	for _, a := range ev.Attributes {
		if json.Valid([]byte(a.Value)) {
			out.Attributes = append(out.Attributes, a)
		}
	}
	return out
}

// record stores an appended record with what the event lacks (reporter,
// times, origin, title move, sealed envelope) read from the record at this
// height.
func (m *mapper) record(index int, e *vehicletypes.EventRecordAppended) error {
	rec, ok := m.records[e.Id]
	if !ok {
		return fmt.Errorf("record %d was not read", e.Id)
	}
	flags := make([]string, len(e.Flags))
	for i, f := range e.Flags {
		flags[i] = f.String()
	}
	kv := []any{"record_id", int64(e.Id), "vin", e.Vin, "dealer_id", e.DealerId, "reporter", rec.Reporter,
		"kind", e.Kind.String(), "odometer_km", int64(e.OdometerKm), "flags", flags,
		"occurred_at", nullTime(rec.Input.OccurredAt), "recorded_at", rec.RecordedAt.UTC(), "height", m.b.Height}
	if o := rec.Origin; o != nil {
		kv = append(kv, "origin_chain_id", o.ChainId, "origin_route", o.Route.Key(), "origin_sequence", int64(o.Sequence),
			"origin_dealer_record_id", int64(o.DealerRecordId))
	}
	if o := rec.LedgerOrigin; o != nil {
		kv = append(kv, "ledger_id", o.LedgerId, "ledger_record_ref", o.RecordRef, "attestation_id", o.AttestationId)
	}
	if o := rec.TitleOrigin; o != nil {
		kv = append(kv, "title_module", o.Module, "title_reference", o.Reference, "title_asset_id", int64(o.AssetId),
			"title_from", o.From, "title_to", nullString(o.To), "title_cause", o.Cause.String())
	}
	m.rows = append(m.rows, Row{Table: "vehicles", Cols: []string{"vin", "first_height"}, Vals: []any{e.Vin, m.b.Height}, FirstWins: true})
	m.add("records", kv...)
	m.sealed(index, rec.Input.Sealed, "record_id", int64(e.Id))
	return nil
}

// sealed stores what a sealed envelope shows everyone: its per-field
// commitments and the (account, key version) pairs it is encrypted to.
// Neither the ciphertext nor the wrapped keys are stored: they are useless
// without a recipient's private key and a warehouse is read by many.
// owner is the column and id of what carries the envelope.
func (m *mapper) sealed(index int, env *sealed.Envelope, owner string, id int64) {
	if env == nil {
		return
	}
	for _, c := range env.Commitments {
		m.fact("sealed_commitments", index, "subject", env.Subject, "envelope_version", int64(env.Version), owner, id,
			"field", c.Name, "commitment", hex.EncodeToString(c.Digest))
	}
	for _, r := range env.Recipients {
		m.fact("sealed_recipients", index, "subject", env.Subject, owner, id, "address", r.Address, "key_version", int64(r.KeyVersion))
	}
}

func (m *mapper) lienGranted(e *vehicletypes.EventLienGranted) {
	h := e.Holder
	m.add("liens", "lien_id", int64(e.LienId), "vin", e.Vin, "holder_chain_id", h.ChainId, "holder_dealer_id", h.DealerId,
		"holder_module", h.Module, "holder_lender", h.Lender, "holder_reference", h.Reference, "authorized_by", e.AuthorizedBy,
		"granted_height", m.b.Height, "granted_at", m.b.Time)
}

func (m *mapper) lienReleased(id uint64, reason string, forcedBy any) {
	m.add("lien_releases", "lien_id", int64(id), "reason", reason, "forced_by", forcedBy,
		"released_height", m.b.Height, "released_at", m.b.Time)
}

// financeEvent maps x/asset, x/credit, x/htlc and x/notary events.
func (m *mapper) financeEvent(index int, msg proto.Message) {
	switch e := msg.(type) {
	case *assettypes.EventAssetApplied:
		var vin any
		if e.Vin != "" {
			vin = e.Vin
		}
		m.add("assets", "asset_id", int64(e.AssetId), "kind", e.Kind.String(), "owner", e.Owner, "vin", vin, "applied_height", m.b.Height)
		m.assetEvent(index, e.AssetId, "applied", e.Owner, nil, nil, 0, "")
		m.sealed(index, m.assets[e.AssetId].Sealed, "asset_id", int64(e.AssetId))
	case *assettypes.EventAssetApproved:
		m.assetEvent(index, e.AssetId, "approved", e.Examiner, nil, &e.Value, 0, "")
	case *assettypes.EventAssetRejected:
		m.assetEvent(index, e.AssetId, "rejected", e.Examiner, nil, nil, 0, e.Reason)
	case *assettypes.EventAssetRevalued:
		m.assetEvent(index, e.AssetId, "revalued", e.Examiner, nil, &e.NewValue, 0, "")
	case *assettypes.EventAssetFrozen:
		event := "unfrozen"
		if e.Frozen {
			event = "frozen"
		}
		m.assetEvent(index, e.AssetId, event, e.By, nil, nil, 0, e.Reason)
	case *assettypes.EventAssetListed:
		m.assetEvent(index, e.AssetId, "listed", e.Owner, nil, e.Price, 0, "")
	case *assettypes.EventAssetSold:
		m.assetEvent(index, e.AssetId, "sold", e.Seller, e.Buyer, &e.Price, e.LoanId, "")
	case *assettypes.EventAssetTransferred:
		m.assetEvent(index, e.AssetId, "transferred", e.From, e.To, nil, 0, "")
	case *assettypes.EventAssetRedeemed:
		m.assetEvent(index, e.AssetId, "redeemed", e.Owner, nil, nil, 0, e.Fee.String())
	case *assettypes.EventLoanOffered:
		m.add("loans", "loan_id", int64(e.LoanId), "asset_id", int64(e.AssetId), "lender", e.Lender, "borrower", e.Borrower,
			"principal", e.Principal.Amount.String(), "denom", e.Principal.Denom, "offered_height", m.b.Height)
		m.loanEvent(index, e.LoanId, "offered", &e.Principal)
		m.sealed(index, m.loans[e.LoanId].Sealed, "loan_id", int64(e.LoanId))
	case *assettypes.EventLoanCancelled:
		m.loanEvent(index, e.LoanId, "cancelled", nil)
	case *assettypes.EventAssetPledged:
		m.assetEvent(index, e.AssetId, "pledged", e.Borrower, e.Lender, nil, e.LoanId, "")
		m.loanEvent(index, e.LoanId, "pledged", nil, "lien_id", optionalID(e.LienId), "maturity", e.Maturity.UTC())
	case *assettypes.EventLoanRepaid:
		m.loanEvent(index, e.LoanId, "repaid", &e.Amount, "late", e.Late, "attestation_id", nullString(e.AttestationId))
	case *assettypes.EventForeignRepayment:
		m.loanEvent(index, e.LoanId, "foreign payment", &e.Credited, "attestation_id", nullString(e.AttestationId))
	case *assettypes.EventLoanDefaulted:
		m.loanEvent(index, e.LoanId, "defaulted", nil)
	case *credittypes.EventScoreChanged:
		m.fact("credit_score_changes", index, "address", e.Address, "old_score", int64(e.Old), "new_score", int64(e.New),
			"reason", e.Reason, "detail", e.Detail)
	default:
		m.settlementEvent(index, msg)
	}
}

// settlementEvent maps x/htlc and x/notary events.
func (m *mapper) settlementEvent(index int, msg proto.Message) {
	switch e := msg.(type) {
	case *htlctypes.EventLocked:
		m.fact("htlc_events", index, "htlc_id", e.Id, "event", "locked", "sender", e.Sender, "recipient", e.Recipient,
			"amount", nullString(e.Amount.String()), "asset_id", optionalID(e.AssetId), "hash_lock", e.HashLock, "expiry", e.Expiry.UTC())
	case *htlctypes.EventClaimed:
		m.fact("htlc_events", index, "htlc_id", e.Id, "event", "claimed", "sender", e.Claimer, "recipient", e.Recipient,
			"hash_lock", e.HashLock, "secret", e.Secret)
	case *htlctypes.EventRefunded:
		m.fact("htlc_events", index, "htlc_id", e.Id, "event", "refunded", "sender", e.Sender, "automatic", e.Automatic)
	case *notarytypes.EventAttested:
		m.fact("attestation_events", index, "attestation_id", e.Id, "source_key", e.SourceKey, "event", "signed",
			"operator", e.Operator, "signatures", int64(e.Signatures), "threshold", int64(e.Threshold))
	case *notarytypes.EventFinal:
		m.fact("attestation_events", index, "attestation_id", e.Id, "source_key", e.SourceKey, "event", "final",
			"status", e.Status.String(), "result", e.Result)
	case *notarytypes.EventResolved:
		m.fact("attestation_events", index, "attestation_id", e.Id, "source_key", e.SourceKey, "event", "resolved",
			"status", e.Status.String(), "result", e.Result)
	}
}

// assetEvent adds a row to an asset's status history.
func (m *mapper) assetEvent(index int, assetID uint64, event string, actor, counterparty any, amount *sdk.Coin, loanID uint64, detail string) {
	kv := []any{"asset_id", int64(assetID), "event", event, "actor", actor, "counterparty", counterparty,
		"loan_id", optionalID(loanID), "detail", nullString(detail)}
	kv = append(kv, coinCols(amount)...)
	m.fact("asset_events", index, kv...)
}

// loanEvent adds a row to a loan's history; extra are further column/value pairs.
func (m *mapper) loanEvent(index int, loanID uint64, event string, amount *sdk.Coin, extra ...any) {
	kv := append([]any{"loan_id", int64(loanID), "event", event}, coinCols(amount)...)
	m.fact("loan_events", index, append(kv, extra...)...)
}

func coinCols(c *sdk.Coin) []any {
	if c == nil || c.Denom == "" {
		return nil
	}
	return []any{"amount", c.Amount.String(), "denom", c.Denom}
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}
