package indexer_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmtlog "github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/rpc/core"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	rpcserver "github.com/cometbft/cometbft/rpc/jsonrpc/server"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"

	"github.com/vinhub/vinhub/indexer"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	credittypes "github.com/vinhub/vinhub/x/credit/types"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

const (
	genesisReporter = "cosmos1genesisreporter"
	dealerAccount   = "cosmos1acmeaccount"
)

// protoJSON is a module's genesis section as the hub writes it.
func protoJSON(t *testing.T, gs proto.Message) json.RawMessage {
	t.Helper()
	bz, err := codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).MarshalJSON(gs)
	require.NoError(t, err)
	return bz
}

// genesisState is a hub that starts with dealers (one revoked), reporters,
// a binding, a record, a dealer chain's lien, a regulator with a key, an
// examiner, a pledged car and the notary and credit modules' state.
func genesisState(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	veh := vehicletypes.DefaultGenesis()
	veh.Dealers = []vehicletypes.Dealer{{Id: "acme", Name: "Acme Motors", Active: true, Account: dealerAccount}, {Id: "gone", Name: "Gone Cars"}}
	veh.Reporters = []vehicletypes.Reporter{{DealerId: "acme", Address: genesisReporter, Active: true}}
	veh.Bindings = []vehicletypes.DealerBinding{{DealerId: "acme", Route: vehicletypes.Route{ChannelId: "channel-0"}, ChainId: "dealer-a"}}
	veh.Records = []vehicletypes.Record{{Id: 1, DealerId: "acme", Reporter: genesisReporter, RecordedAt: genesis.Add(-time.Hour),
		Input: vehicletypes.RecordInput{Vin: vin, Kind: vehicletypes.RECORD_KIND_MILEAGE, OdometerKm: 12_000, OccurredAt: genesis.Add(-2 * time.Hour)}}}
	veh.NextRecordId = 2
	dealer := vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: "cosmos1dealerlender", Reference: "7"}
	veh.Liens = []vehicletypes.Lien{{Id: 1, Vin: vin, Holder: dealer, Status: vehicletypes.LIEN_STATUS_ACTIVE, GrantedAt: genesis, AuthorizedBy: owner}}
	veh.NextLienId = 2

	members := membershiptypes.GenesisState{
		Roles:          []membershiptypes.RoleGrant{{Address: regulator, Role: membershiptypes.ROLE_REGULATOR}, {Address: "cosmos1examiner", Role: membershiptypes.ROLE_EXAMINER}},
		EncryptionKeys: []membershiptypes.EncryptionKey{{Address: regulator, Version: 1, PublicKey: make([]byte, 32), SetByGovernance: true}},
	}

	maturity := genesis.Add(720 * time.Hour)
	assets := assettypes.DefaultGenesis()
	assets.Assets = []assettypes.Asset{{Id: 1, Kind: assettypes.ASSET_KIND_WAREHOUSE_RECEIPT, Owner: owner, Status: assettypes.ASSET_STATUS_PLEDGED,
		Valuations: []assettypes.Valuation{{Value: coin(9_000), Examiner: "cosmos1examiner"}}, LoanId: 1}}
	assets.Loans = []assettypes.Loan{{Id: 1, AssetId: 1, Lender: lender, Borrower: owner, Principal: coin(4_000), Status: assettypes.LOAN_STATUS_ACTIVE, Maturity: &maturity}}
	assets.NextAssetId, assets.NextLoanId = 2, 2

	notary := notarytypes.DefaultGenesis()
	notary.Sets = []notarytypes.NotarySet{{Version: 1, Threshold: 2, Members: []notarytypes.Member{{Operator: "cosmos1n1"}, {Operator: "cosmos1n2"}}}}
	credit := credittypes.DefaultGenesis()
	credit.Profiles = []credittypes.CreditProfile{{Address: owner, FirstSeen: genesis, UpdatedAt: genesis, OnTimeCount: 3}}

	return map[string]json.RawMessage{
		vehicletypes.ModuleName: protoJSON(t, veh), membershiptypes.ModuleName: protoJSON(t, &members),
		assettypes.ModuleName: protoJSON(t, assets), notarytypes.ModuleName: protoJSON(t, notary), credittypes.ModuleName: protoJSON(t, credit),
		// Other modules' genesis is not the warehouse's.
		"bank": json.RawMessage(`{"balances":[{"address":"cosmos1owner","coins":[{"denom":"stake","amount":"1"}]}]}`),
	}
}

// TestGenesisIndexed: the genesis state is applied as height 0 before the
// first block, in the same tables and views as later facts; a restart does
// not apply it again, a second indexer that started on the empty schema
// too is refused, and the result equals a rebuild.
func TestGenesisIndexed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := startWarehouse(ctx, t)
	h := newFakeHub()
	h.genesis.AppState = genesisState(t)
	h.genesis.AppHash = "E3B0C442"
	// The genesis dealer's reporter records the car again; the dealer chain's
	// genesis lien is released.
	h.commit(okTx(t, "G1", h.record(2, "acme", 13_000, nil)))
	dealer := vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: "cosmos1dealerlender", Reference: "7"}
	h.commit(okTx(t, "G2", &vehicletypes.EventLienReleased{LienId: 1, Vin: vin, Holder: dealer, Reason: "paid off"}))

	store, err := indexer.OpenStore(ctx, w.dsn, "live")
	require.NoError(t, err)
	defer store.Close()
	first, err := indexer.New(ctx, h, store, 1, nil, quiet)
	require.NoError(t, err)
	late, err := indexer.New(ctx, h, store, 1, nil, quiet)
	require.NoError(t, err)
	require.NoError(t, first.CatchUp(ctx, 0), "the genesis is applied even before the first block")
	require.Equal(t, int64(0), w.int(ctx, t, `SELECT height FROM live.index_state`))
	require.ErrorIs(t, late.CatchUp(ctx, 1), indexer.ErrConcurrentWriter, "the genesis is applied once")

	var gtime time.Time
	var appHash string
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT time, app_hash FROM live.blocks WHERE height = 0 AND txs = 0`).Scan(&gtime, &appHash))
	require.Equal(t, genesis, gtime.UTC())
	require.Equal(t, "E3B0C442", appHash)

	dealers := w.strings(ctx, t, `SELECT dealer_id || ' ' || event || coalesce(' ' || name, '') || coalesce(' ' || nullif(account, ''), '') || coalesce(' ' || reporter, '')
		FROM live.dealer_events WHERE height = 0 ORDER BY event_index`)
	require.Equal(t, []string{"acme registered Acme Motors " + dealerAccount, "gone registered Gone Cars", "gone revoked",
		"acme reporter admitted " + genesisReporter}, dealers)
	require.Equal(t, []string{"acme channel/channel-0 dealer-a"},
		w.strings(ctx, t, `SELECT dealer_id || ' ' || route || ' ' || chain_id FROM live.dealer_bindings WHERE height = 0 AND bound`))
	require.Equal(t, []string{regulator + " ROLE_REGULATOR", "cosmos1examiner ROLE_EXAMINER"},
		w.strings(ctx, t, `SELECT address || ' ' || role FROM live.role_events WHERE height = 0 AND granted ORDER BY event_index`))
	var keyVersion int64
	var isRegulator bool
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT current_version, regulator FROM live.encryption_key_holders WHERE address = $1`, regulator).
		Scan(&keyVersion, &isRegulator))
	require.Equal(t, int64(1), keyVersion)
	require.True(t, isRegulator, "the genesis role makes the genesis key a regulator's")

	require.Equal(t, []string{"1 " + vin + " acme " + genesisReporter + " 12000"},
		w.strings(ctx, t, `SELECT record_id || ' ' || vin || ' ' || dealer_id || ' ' || reporter || ' ' || odometer_km FROM live.records WHERE height = 0`))
	require.Equal(t, int64(0), w.int(ctx, t, `SELECT first_height FROM live.vehicles WHERE vin = $1`, vin))
	require.Equal(t, []string{"dealer-a/acme cosmos1dealerlender " + vin},
		w.strings(ctx, t, `SELECT holder || ' ' || lender || ' ' || array_to_string(vins, ',') FROM live.active_liens_by_holder`))
	require.Equal(t, []string{lender + " 4000"}, w.strings(ctx, t, `SELECT lender || ' ' || open_principal FROM live.loan_book`),
		"the genesis loan is pledged")
	require.Equal(t, []string{"applied", "approved", "pledged"}, w.strings(ctx, t, `SELECT event FROM live.asset_events WHERE asset_id = 1 ORDER BY event_index`))

	require.Equal(t, int64(2), w.int(ctx, t, `SELECT (value->>'threshold')::bigint FROM live.genesis_entries WHERE module = 'notary' AND field = 'sets'`))
	require.Equal(t, int64(3), w.int(ctx, t, `SELECT (value->>'on_time_count')::bigint FROM live.genesis_entries WHERE module = 'credit' AND field = 'profiles'`))
	require.Equal(t, int64(1), w.int(ctx, t, `SELECT count(*) FROM live.genesis_entries WHERE module = 'vehicle' AND field = 'params'`))
	require.Zero(t, w.int(ctx, t, `SELECT count(*) FROM live.genesis_entries WHERE field IN ('dealers', 'records', 'liens', 'roles', 'loans') OR module = 'bank'`),
		"facts are in their tables, other modules are not indexed")
	genesisRows := w.int(ctx, t, `SELECT (SELECT count(*) FROM live.dealer_events) + (SELECT count(*) FROM live.genesis_entries) + (SELECT count(*) FROM live.records)`)

	// A restart resumes after the genesis and adds the blocks only.
	resumed, err := indexer.New(ctx, h, store, 1, nil, quiet)
	require.NoError(t, err)
	require.NoError(t, resumed.CatchUp(ctx, int64(len(h.blocks))))
	require.Equal(t, genesisRows+1, w.int(ctx, t, `SELECT (SELECT count(*) FROM live.dealer_events) + (SELECT count(*) FROM live.genesis_entries) + (SELECT count(*) FROM live.records)`),
		"the blocks add their record and nothing of the genesis again")
	require.Equal(t, int64(len(h.blocks)+1), w.int(ctx, t, `SELECT count(*) FROM live.blocks`))
	require.Equal(t, []string{"0 lien granted", "1 record", "2 lien released"},
		w.strings(ctx, t, `SELECT height || ' ' || fact FROM live.vehicle_timeline WHERE vin = $1 AND (fact <> 'record' OR height > 0) ORDER BY height`, vin),
		"the genesis lien and its release in one timeline")
	require.Zero(t, w.int(ctx, t, `SELECT count(*) FROM live.active_liens`))

	w.index(ctx, t, h, "again", int64(len(h.blocks)))
	diff, err := store.Diff(ctx, "again")
	require.NoError(t, err)
	require.Empty(t, diff, "the live index equals a rebuild from genesis")

	// A warehouse started at a later height has no genesis (it could not
	// be complete anyway).
	later, err := indexer.OpenStore(ctx, w.dsn, "later")
	require.NoError(t, err)
	defer later.Close()
	ix, err := indexer.New(ctx, h, later, 2, nil, quiet)
	require.NoError(t, err)
	require.NoError(t, ix.CatchUp(ctx, 2))
	require.Equal(t, []string{"2"}, w.strings(ctx, t, `SELECT height::text FROM later.blocks`))
}

// TestGenesisOverNodeRPC: RPCSource reads the genesis from CometBFT's own
// genesis_chunked handler (the node's RPC code, served here without a
// node) as the document it serves.
func TestGenesisOverNodeRPC(t *testing.T) {
	state, err := json.Marshal(genesisState(t))
	require.NoError(t, err)
	env := &core.Environment{GenDoc: &cmttypes.GenesisDoc{GenesisTime: genesis, ChainID: chainID, InitialHeight: 1, AppHash: []byte{0x01}, AppState: state}}
	require.NoError(t, env.InitGenesisChunks())
	mux := http.NewServeMux()
	rpcserver.RegisterRPCFuncs(mux, map[string]*rpcserver.RPCFunc{"genesis_chunked": env.GetRoutes()["genesis_chunked"]}, cmtlog.NewNopLogger())
	node := httptest.NewServer(mux)
	defer node.Close()

	src, err := indexer.NewRPCSource(node.URL)
	require.NoError(t, err)
	g, err := src.Genesis(context.Background())
	require.NoError(t, err)
	require.Equal(t, chainID, g.ChainID)
	require.Equal(t, int64(0), g.Height())
	require.Equal(t, "01", g.AppHash)
	require.Equal(t, genesis, g.Time)
	for module, section := range genesisState(t) {
		require.JSONEq(t, string(section), string(g.AppState[module]), module)
	}

	node.Close()
	_, err = src.Genesis(context.Background())
	require.ErrorContains(t, err, "genesis chunk 0", "a node that does not answer")
}

// TestGenesisMappedFieldsExist: every genesis field indexed as facts is a
// field of its module's genesis JSON (a misspelt name would index the
// field twice, as facts and in genesis_entries).
func TestGenesisMappedFieldsExist(t *testing.T) {
	defaults := map[string]proto.Message{vehicletypes.ModuleName: vehicletypes.DefaultGenesis(), membershiptypes.ModuleName: &membershiptypes.GenesisState{},
		anchortypes.ModuleName: &anchortypes.GenesisState{}, assettypes.ModuleName: assettypes.DefaultGenesis(), htlctypes.ModuleName: &htlctypes.GenesisState{},
		credittypes.ModuleName: credittypes.DefaultGenesis(), notarytypes.ModuleName: notarytypes.DefaultGenesis()}
	mapped := indexer.GenesisMappedFields()
	require.Len(t, mapped, len(defaults))
	for module, fields := range mapped {
		gs, ok := defaults[module]
		require.True(t, ok, module)
		var section map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(protoJSON(t, gs), &section))
		for _, f := range fields {
			require.Contains(t, section, f, "%s.%s", module, f)
		}
	}
}

// TestGenesisOfAnotherChainRefused: a node whose genesis names another
// chain than its status is refused before anything is written.
func TestGenesisOfAnotherChainRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := startWarehouse(ctx, t)
	h := newFakeHub()
	h.genesis.ChainID = "other-1"
	h.genesis.AppState = genesisState(t)
	store, err := indexer.OpenStore(ctx, w.dsn, "wh")
	require.NoError(t, err)
	defer store.Close()
	ix, err := indexer.New(ctx, h, store, 1, nil, quiet)
	require.NoError(t, err)
	require.ErrorContains(t, ix.CatchUp(ctx, 0), `genesis is of "other-1"`)
	require.Zero(t, w.int(ctx, t, `SELECT count(*) FROM wh.index_state`))
	require.Zero(t, w.int(ctx, t, `SELECT (SELECT count(*) FROM wh.blocks) + (SELECT count(*) FROM wh.dealer_events) + (SELECT count(*) FROM wh.genesis_entries)`),
		"nothing written")
}

// strings is the first column of q's rows.
func (w *warehouse) strings(ctx context.Context, t *testing.T, q string, args ...any) []string {
	t.Helper()
	rows, err := w.sql.Query(ctx, q, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

// TestGenesisChunks: a genesis served in several chunks (as a node serves
// one over 16 MiB) reads as the document; a node whose chunks disagree is
// an error, as is a genesis of another shape.
func TestGenesisChunks(t *testing.T) {
	state, err := json.Marshal(genesisState(t))
	require.NoError(t, err)
	doc, err := cmtjson.Marshal(&cmttypes.GenesisDoc{GenesisTime: genesis, ChainID: chainID, InitialHeight: 5, AppHash: []byte{0xab, 0xcd}, AppState: state})
	require.NoError(t, err)
	size := len(doc)/3 + 1
	var chunks []string
	for i := 0; i < len(doc); i += size {
		chunks = append(chunks, base64.StdEncoding.EncodeToString(doc[i:min(i+size, len(doc))]))
	}
	require.Len(t, chunks, 3)
	serve := func(total int) func(context.Context, uint) (*ctypes.ResultGenesisChunk, error) {
		return func(_ context.Context, i uint) (*ctypes.ResultGenesisChunk, error) {
			if int(i) >= len(chunks) {
				return nil, fmt.Errorf("there are %d chunks, %d is invalid", len(chunks)-1, i)
			}
			return &ctypes.ResultGenesisChunk{ChunkNumber: int(i), TotalChunks: total, Data: chunks[i]}, nil
		}
	}
	got, err := indexer.ReadChunked(context.Background(), serve(3))
	require.NoError(t, err)
	g, err := indexer.ParseGenesis(got)
	require.NoError(t, err)
	require.Equal(t, chainID, g.ChainID)
	require.Equal(t, genesis, g.Time)
	require.Equal(t, int64(4), g.Height(), "a chain starting at 5 has its genesis at 4")
	require.Equal(t, "ABCD", g.AppHash)
	require.JSONEq(t, string(genesisState(t)[vehicletypes.ModuleName]), string(g.AppState[vehicletypes.ModuleName]))

	_, err = indexer.ReadChunked(context.Background(), serve(4))
	require.ErrorContains(t, err, "genesis chunk 3", "a node that announces more chunks than it has")
	_, err = indexer.ParseGenesis(got[:len(got)/2])
	require.Error(t, err, "half a genesis")
}
