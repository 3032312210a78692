package indexer

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/cosmos/gogoproto/jsonpb"
	"github.com/cosmos/gogoproto/proto"

	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// Genesis is the hub's genesis as the indexer reads it: the facts the
// chain starts with, which no block's events carry (InitChain emits none).
type Genesis struct {
	ChainID string
	Time    time.Time
	// InitialHeight is the chain's first block (1 unless the genesis says otherwise).
	InitialHeight int64
	AppHash       string
	// AppState is each module's section of app_state, as proto JSON.
	AppState map[string]json.RawMessage
}

// Height is the height the genesis is applied at: the one before the
// first block (0 for a chain that starts at 1).
func (g Genesis) Height() int64 { return g.InitialHeight - 1 }

// ParseGenesis reads a genesis document (genesis.json as CometBFT serves it).
func ParseGenesis(doc []byte) (Genesis, error) {
	gd, err := cmttypes.GenesisDocFromJSON(doc)
	if err != nil {
		return Genesis{}, fmt.Errorf("genesis: %w", err)
	}
	g := Genesis{ChainID: gd.ChainID, Time: gd.GenesisTime.UTC(), InitialHeight: gd.InitialHeight,
		AppHash: strings.ToUpper(hex.EncodeToString(gd.AppHash)), AppState: map[string]json.RawMessage{}}
	if len(gd.AppState) > 0 {
		if err := json.Unmarshal(gd.AppState, &g.AppState); err != nil {
			return Genesis{}, fmt.Errorf("genesis app_state: %w", err)
		}
	}
	return g, nil
}

// Genesis reads the node's genesis over genesis_chunked, which every
// CometBFT node serves whatever the size (plain /genesis refuses a genesis
// of more than one 16 MiB chunk, as an exported hub's soon is).
func (s *RPCSource) Genesis(ctx context.Context) (Genesis, error) {
	doc, err := readChunked(ctx, s.rpc.GenesisChunked)
	if err != nil {
		return Genesis{}, fmt.Errorf("hub rpc %s: %w", s.url, err)
	}
	return ParseGenesis(doc)
}

// readChunked joins the genesis chunks get serves, in order.
func readChunked(ctx context.Context, get func(context.Context, uint) (*ctypes.ResultGenesisChunk, error)) ([]byte, error) {
	var doc bytes.Buffer
	total := 1
	for i := 0; i < total; i++ {
		res, err := get(ctx, uint(i))
		if err != nil {
			return nil, fmt.Errorf("genesis chunk %d: %w", i, err)
		}
		if i == 0 {
			total = res.TotalChunks
		}
		if res.ChunkNumber != i || res.TotalChunks != total || total < 1 {
			return nil, fmt.Errorf("genesis chunk %d: node answered chunk %d of %d (expected of %d)", i, res.ChunkNumber, res.TotalChunks, total)
		}
		part, err := base64.StdEncoding.DecodeString(res.Data)
		if err != nil {
			return nil, fmt.Errorf("genesis chunk %d: %w", i, err)
		}
		doc.Write(part)
	}
	return doc.Bytes(), nil
}

// genesisModules are the hub modules whose genesis is indexed, in the order
// their facts are numbered. For each, mapped lists the app_state fields
// turned into facts of the fact tables; every other field (params, notary
// sets, credit profiles, ...) goes to genesis_entries as it is.
var genesisModules = []struct {
	name   string
	mapped []string
	apply  func(*genesisMapper, json.RawMessage) error
}{
	{membershiptypes.ModuleName, []string{"roles", "encryption_keys"}, (*genesisMapper).membership},
	{vehicletypes.ModuleName, []string{"dealers", "reporters", "bindings", "records", "liens"}, (*genesisMapper).vehicle},
	{anchortypes.ModuleName, []string{"anchorings"}, (*genesisMapper).anchor},
	{assettypes.ModuleName, []string{"assets", "loans"}, (*genesisMapper).asset},
	{htlctypes.ModuleName, []string{"htlcs"}, (*genesisMapper).htlc},
	{credittypes.ModuleName, nil, nil},
	{notarytypes.ModuleName, nil, nil},
}

// genesisMapper turns the genesis into rows: each fact as the event the hub
// emits when the fact arises in a block, numbered in genesis order, so the
// genesis facts land in the same tables and views as later ones.
type genesisMapper struct {
	*mapper
	index int
}

// emitAll maps each of events as the next genesis event.
func (g *genesisMapper) emitAll(events []proto.Message) error {
	for _, e := range events {
		if err := g.typed(g.index, e); err != nil {
			return err
		}
		g.index++
	}
	return nil
}

// MapGenesis turns the genesis into the rows the warehouse stores for it,
// at g.Height(): a blocks row (genesis time, initial app hash, no txs),
// the genesis facts as rows of the fact tables, and the rest of each hub
// module's genesis in genesis_entries. Modules of other chains' apps
// (bank, staking, IBC) are not indexed.
func MapGenesis(ctx context.Context, g Genesis) ([]Row, error) {
	m := &mapper{ctx: ctx, b: Block{Height: g.Height(), Time: g.Time, AppHash: g.AppHash}, state: state{
		records: map[uint64]vehicletypes.Record{}, assets: map[uint64]assettypes.Asset{}, loans: map[uint64]assettypes.Loan{}}}
	gm := &genesisMapper{mapper: m}
	for _, mod := range genesisModules {
		raw, ok := g.AppState[mod.name]
		if !ok {
			continue
		}
		if mod.apply != nil {
			if err := mod.apply(gm, raw); err != nil {
				return nil, fmt.Errorf("genesis %s: %w", mod.name, err)
			}
		}
		if err := m.genesisEntries(mod.name, raw, mod.mapped); err != nil {
			return nil, fmt.Errorf("genesis %s: %w", mod.name, err)
		}
	}
	blockRow := Row{Table: "blocks", Cols: []string{"height", "time", "app_hash", "txs", "failed"},
		Vals: []any{g.Height(), g.Time, g.AppHash, 0, 0}}
	return append([]Row{blockRow}, m.rows...), nil
}

// genesisEntries stores the fields of a module's genesis that no fact table
// takes: one row per list element (position in the list), one per other
// field (position 0). Empty lists give no row.
func (m *mapper) genesisEntries(module string, raw json.RawMessage, mapped []string) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return err
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if slices.Contains(mapped, name) {
			continue
		}
		var list []json.RawMessage
		if json.Unmarshal(fields[name], &list) != nil {
			list = []json.RawMessage{fields[name]}
		}
		for i, v := range list {
			m.add("genesis_entries", "module", module, "field", name, "position", i, "value", string(v))
		}
	}
	return nil
}

// decodeSection reads a module's genesis section. Fields this build does
// not know (a hub upgraded first) are skipped, as unknown events are.
func decodeSection(raw json.RawMessage, gs proto.Message) error {
	return (&jsonpb.Unmarshaler{AllowUnknownFields: true}).Unmarshal(bytes.NewReader(raw), gs)
}

func (g *genesisMapper) membership(raw json.RawMessage) error {
	var gs membershiptypes.GenesisState
	if err := decodeSection(raw, &gs); err != nil {
		return err
	}
	var events []proto.Message
	for _, r := range gs.Roles {
		events = append(events, &membershiptypes.EventRoleGranted{Address: r.Address, Role: r.Role})
	}
	for _, k := range gs.EncryptionKeys {
		events = append(events, &membershiptypes.EventEncryptionKeyRegistered{Address: k.Address, Version: k.Version, SetByGovernance: k.SetByGovernance})
	}
	return g.emitAll(events)
}

func (g *genesisMapper) vehicle(raw json.RawMessage) error {
	var gs vehicletypes.GenesisState
	if err := decodeSection(raw, &gs); err != nil {
		return err
	}
	var events []proto.Message
	for _, d := range gs.Dealers {
		events = append(events, &vehicletypes.EventDealerRegistered{DealerId: d.Id, Name: d.Name, Account: d.Account})
		if !d.Active {
			events = append(events, &vehicletypes.EventDealerRevoked{DealerId: d.Id})
		}
	}
	for _, r := range gs.Reporters {
		events = append(events, &vehicletypes.EventReporterAdmitted{DealerId: r.DealerId, Reporter: r.Address})
		if !r.Active {
			events = append(events, &vehicletypes.EventReporterRevoked{DealerId: r.DealerId, Reporter: r.Address})
		}
	}
	for _, b := range gs.Bindings {
		events = append(events, &vehicletypes.EventDealerBound{DealerId: b.DealerId, Route: b.Route.Key(), ChainId: b.ChainId})
	}
	for _, r := range gs.Records {
		g.records[r.Id] = r
		codes := make([]vehicletypes.FlagCode, len(r.Flags))
		for i, f := range r.Flags {
			codes[i] = f.Code
		}
		events = append(events, &vehicletypes.EventRecordAppended{Id: r.Id, Vin: r.Input.Vin, DealerId: r.DealerId, Kind: r.Input.Kind,
			OdometerKm: r.Input.OdometerKm, Flags: codes})
	}
	for _, l := range gs.Liens {
		events = append(events, &vehicletypes.EventLienGranted{LienId: l.Id, Vin: l.Vin, Holder: l.Holder, AuthorizedBy: l.AuthorizedBy})
		switch {
		case l.IsActive():
		case l.ReleasedBy != "":
			events = append(events, &vehicletypes.EventLienForceReleased{LienId: l.Id, Vin: l.Vin, Holder: l.Holder, Reason: l.ReleaseReason, Authority: l.ReleasedBy})
		default:
			events = append(events, &vehicletypes.EventLienReleased{LienId: l.Id, Vin: l.Vin, Holder: l.Holder, Reason: l.ReleaseReason})
		}
	}
	return g.emitAll(events)
}

func (g *genesisMapper) anchor(raw json.RawMessage) error {
	var gs anchortypes.GenesisState
	if err := decodeSection(raw, &gs); err != nil {
		return err
	}
	var events []proto.Message
	for _, a := range gs.Anchorings {
		events = append(events, &anchortypes.EventEvidenceAnchored{Sha256: hex.EncodeToString(a.Sha256), Kind: a.Kind, Vin: a.Vin,
			Submitter: a.Submitter, Source: a.Source})
	}
	return g.emitAll(events)
}

// asset maps each asset to its application and the steps its state shows
// (valuation, rejection, freeze, listing, redemption), and each loan to its
// offer and what became of it, so loan_state and loan_book read genesis
// loans as they read later ones.
func (g *genesisMapper) asset(raw json.RawMessage) error {
	var gs assettypes.GenesisState
	if err := decodeSection(raw, &gs); err != nil {
		return err
	}
	var events []proto.Message
	for _, a := range gs.Assets {
		g.assets[a.Id] = a
		events = append(events, &assettypes.EventAssetApplied{AssetId: a.Id, Kind: a.Kind, Owner: a.Owner, Vin: a.Vin})
		if n := len(a.Valuations); n > 0 {
			v := a.Valuations[n-1]
			events = append(events, &assettypes.EventAssetApproved{AssetId: a.Id, Examiner: v.Examiner, Value: v.Value})
		}
		if a.Status == assettypes.ASSET_STATUS_REJECTED {
			events = append(events, &assettypes.EventAssetRejected{AssetId: a.Id, Reason: a.RejectReason})
		}
		if a.Frozen {
			events = append(events, &assettypes.EventAssetFrozen{AssetId: a.Id, By: a.FrozenBy, Frozen: true, Reason: a.FreezeReason})
		}
		if a.ListPrice != nil {
			events = append(events, &assettypes.EventAssetListed{AssetId: a.Id, Owner: a.Owner, Price: a.ListPrice})
		}
		if a.Status == assettypes.ASSET_STATUS_REDEEMED {
			events = append(events, &assettypes.EventAssetRedeemed{AssetId: a.Id, Owner: a.Owner})
		}
	}
	for _, l := range gs.Loans {
		g.loans[l.Id] = l
		events = append(events, loanEvents(l)...)
	}
	return g.emitAll(events)
}

// loanEvents are the events a loan's life so far emitted.
func loanEvents(l assettypes.Loan) []proto.Message {
	events := []proto.Message{&assettypes.EventLoanOffered{LoanId: l.Id, AssetId: l.AssetId, Lender: l.Lender, Borrower: l.Borrower, Principal: l.Principal}}
	switch l.Status {
	case assettypes.LOAN_STATUS_CANCELLED:
		return append(events, &assettypes.EventLoanCancelled{LoanId: l.Id, Lender: l.Lender})
	case assettypes.LOAN_STATUS_ACTIVE, assettypes.LOAN_STATUS_REPAID, assettypes.LOAN_STATUS_DEFAULTED:
		pledged := &assettypes.EventAssetPledged{AssetId: l.AssetId, LoanId: l.Id, Borrower: l.Borrower, Lender: l.Lender, LienId: l.LienId}
		if l.Maturity != nil {
			pledged.Maturity = *l.Maturity
		}
		events = append(events, pledged)
	}
	switch l.Status {
	case assettypes.LOAN_STATUS_REPAID:
		repaid := &assettypes.EventLoanRepaid{LoanId: l.Id, AssetId: l.AssetId, Borrower: l.Borrower, Late: l.Late}
		if l.Repaid != nil {
			repaid.Amount = *l.Repaid
		}
		events = append(events, repaid)
	case assettypes.LOAN_STATUS_DEFAULTED:
		events = append(events, &assettypes.EventLoanDefaulted{LoanId: l.Id, AssetId: l.AssetId, Borrower: l.Borrower, Lender: l.Lender})
	}
	return events
}

func (g *genesisMapper) htlc(raw json.RawMessage) error {
	var gs htlctypes.GenesisState
	if err := decodeSection(raw, &gs); err != nil {
		return err
	}
	var events []proto.Message
	for _, h := range gs.Htlcs {
		events = append(events, &htlctypes.EventLocked{Id: h.Id, Sender: h.Sender, Recipient: h.Recipient, Amount: h.Amount,
			AssetId: h.AssetId, HashLock: h.HashLock, Expiry: h.Expiry})
		switch h.State {
		case htlctypes.HTLC_STATE_CLAIMED:
			events = append(events, &htlctypes.EventClaimed{Id: h.Id, Claimer: h.ClosedBy, Recipient: h.Recipient, HashLock: h.HashLock, Secret: h.Secret})
		case htlctypes.HTLC_STATE_REFUNDED:
			events = append(events, &htlctypes.EventRefunded{Id: h.Id, Sender: h.Sender})
		}
	}
	return g.emitAll(events)
}
