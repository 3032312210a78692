package indexer_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/tmhash"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	hubapp "github.com/vinhub/vinhub/hub/app"
	"github.com/vinhub/vinhub/indexer"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	vehicletestutil "github.com/vinhub/vinhub/x/vehicle/testutil"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// realHub is the hub app itself, started from a genesis by ibctesting's
// InitChain and driven block by block: the genesis, blocks, results and
// state the indexer reads are what the hub commits (a Source without a
// node process).
type realHub struct {
	t       *testing.T
	app     *hubapp.App
	vals    *cmttypes.ValidatorSet
	genesis indexer.Genesis
	blocks  []indexer.Block
	time    time.Time
}

var hubStart = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// startRealHub starts the hub app from its default genesis with accounts
// funded accounts and the sections edit changes.
func startRealHub(t *testing.T, accounts int, edit func(accs []ibctesting.SenderAccount, gen map[string]json.RawMessage, cdc codec.Codec)) (*realHub, []ibctesting.SenderAccount) {
	t.Helper()
	val, _ := cmttypes.RandValidator(false, 100)
	vals := cmttypes.NewValidatorSet([]*cmttypes.Validator{val})
	var accs []ibctesting.SenderAccount
	var genAccs []authtypes.GenesisAccount
	var balances []banktypes.Balance
	for i := range accounts {
		priv := secp256k1.GenPrivKey()
		acc := authtypes.NewBaseAccount(priv.PubKey().Address().Bytes(), priv.PubKey(), uint64(i), 0)
		accs = append(accs, ibctesting.SenderAccount{SenderPrivKey: priv, SenderAccount: acc})
		genAccs = append(genAccs, acc)
		balances = append(balances, banktypes.Balance{Address: acc.GetAddress().String(), Coins: sdk.NewCoins(sdk.NewInt64Coin(sdk.DefaultBondDenom, 1_000_000_000))})
	}
	var app *hubapp.App
	var gen map[string]json.RawMessage
	saved := ibctesting.DefaultTestingAppInit
	defer func() { ibctesting.DefaultTestingAppInit = saved }()
	ibctesting.DefaultTestingAppInit = func() (ibctesting.TestingApp, map[string]json.RawMessage) {
		app = hubapp.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
		gen = app.DefaultGenesis()
		var members membershiptypes.GenesisState
		for _, v := range vals.Validators {
			members.Operators = append(members.Operators, membershiptypes.Operator{Address: sdk.AccAddress(v.Address).String(), Note: "validator"})
		}
		gen[membershiptypes.ModuleName] = app.AppCodec().MustMarshalJSON(&members)
		edit(accs, gen, app.AppCodec())
		return app, gen
	}
	ibctesting.SetupWithGenesisValSet(t, vals, genAccs, chainID, sdk.DefaultPowerReduction, balances...)
	// gen is now the app_state InitChain received (ibctesting completes
	// auth, bank and staking in place); the indexer reads it as a node
	// serves genesis.json.
	state, err := json.Marshal(gen)
	require.NoError(t, err)
	doc, err := cmtjson.Marshal(&cmttypes.GenesisDoc{GenesisTime: hubStart, ChainID: chainID, InitialHeight: 1, AppState: state})
	require.NoError(t, err)
	g, err := indexer.ParseGenesis(doc)
	require.NoError(t, err)
	return &realHub{t: t, app: app, vals: vals, genesis: g, time: hubStart}, accs
}

// deliver commits a block with one transaction of msgs signed by sender
// and returns it as the indexer reads it.
func (h *realHub) deliver(sender ibctesting.SenderAccount, msgs ...sdk.Msg) indexer.Tx {
	h.t.Helper()
	acc := sender.SenderAccount
	cfg := h.app.TxConfig()
	tx, err := simtestutil.GenSignedMockTx(rand.New(rand.NewSource(int64(len(h.blocks)))), cfg, msgs,
		sdk.Coins{sdk.NewInt64Coin(sdk.DefaultBondDenom, 0)}, simtestutil.DefaultGenTxGas, chainID,
		[]uint64{acc.GetAccountNumber()}, []uint64{acc.GetSequence()}, sender.SenderPrivKey)
	require.NoError(h.t, err)
	raw, err := cfg.TxEncoder()(tx)
	require.NoError(h.t, err)
	h.time = h.time.Add(5 * time.Second)
	height := h.app.LastBlockHeight() + 1
	res, err := h.app.FinalizeBlock(&abci.RequestFinalizeBlock{Height: height, Time: h.time, NextValidatorsHash: h.vals.Hash(), Txs: [][]byte{raw}})
	require.NoError(h.t, err)
	_, err = h.app.Commit()
	require.NoError(h.t, err)
	// The ante handler's sequence bump is committed whether the messages succeed or not.
	require.NoError(h.t, acc.SetSequence(acc.GetSequence()+1))
	r := res.TxResults[0]
	b := indexer.Block{Height: height, Time: h.time, AppHash: strings.ToUpper(hex.EncodeToString(res.AppHash)), FinalizeEvents: res.Events,
		Txs: []indexer.Tx{{Hash: strings.ToUpper(hex.EncodeToString(tmhash.Sum(raw))), Code: r.Code, Codespace: r.Codespace, Log: r.Log, Raw: raw, Events: r.Events}}}
	h.blocks = append(h.blocks, b)
	return b.Txs[0]
}

// mustDeliver is deliver of a transaction that must succeed.
func (h *realHub) mustDeliver(sender ibctesting.SenderAccount, msgs ...sdk.Msg) indexer.Tx {
	h.t.Helper()
	tx := h.deliver(sender, msgs...)
	require.Zero(h.t, tx.Code, tx.Log)
	return tx
}

func (h *realHub) ChainID(context.Context) (string, error) { return chainID, nil }

func (h *realHub) Latest(context.Context) (int64, error) { return h.app.LastBlockHeight(), nil }

func (h *realHub) Genesis(context.Context) (indexer.Genesis, error) { return h.genesis, nil }

func (h *realHub) Block(_ context.Context, height int64) (indexer.Block, error) {
	if height < 1 || height > int64(len(h.blocks)) {
		return indexer.Block{}, fmt.Errorf("no block %d", height)
	}
	return h.blocks[height-1], nil
}

// query asks the hub app what a node's abci_query at height answers.
func (h *realHub) query(path string, req, resp proto.Message, height int64) error {
	data, err := proto.Marshal(req)
	if err != nil {
		return err
	}
	res, err := h.app.Query(context.Background(), &abci.RequestQuery{Path: path, Data: data, Height: height})
	if err != nil {
		return err
	}
	if res.Code != 0 {
		return fmt.Errorf("%s at %d: %s/%d %s", path, height, res.Codespace, res.Code, res.Log)
	}
	return proto.Unmarshal(res.Value, resp)
}

func (h *realHub) Record(_ context.Context, id uint64, height int64) (vehicletypes.Record, error) {
	var res vehicletypes.QueryRecordResponse
	err := h.query("/vinhub.vehicle.v1.Query/Record", &vehicletypes.QueryRecordRequest{Id: id}, &res, height)
	return res.Record, err
}

func (h *realHub) Asset(_ context.Context, id uint64, height int64) (assettypes.Asset, error) {
	var res assettypes.QueryAssetResponse
	err := h.query("/vinhub.asset.v1.Query/Asset", &assettypes.QueryAssetRequest{Id: id}, &res, height)
	return res.Asset, err
}

func (h *realHub) Loan(_ context.Context, id uint64, height int64) (assettypes.Loan, error) {
	var res assettypes.QueryLoanResponse
	err := h.query("/vinhub.asset.v1.Query/Loan", &assettypes.QueryLoanRequest{Id: id}, &res, height)
	return res.Loan, err
}

// TestRealHubRefusedDoublePledge: a dealer chain's lien on a car comes
// with the hub's genesis; the owner has the car approved, is offered a
// loan and pledges it. The hub itself refuses the pledge (vehicle/31,
// ErrLienHeld) and its result carries no vinhub event (the failed
// transaction's EventLienRefused is discarded). Indexed from the genesis
// and the hub's real blocks, refused_double_pledges names the owner, the
// lender, the genesis lien that held the car and the transaction.
func TestRealHubRefusedDoublePledge(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	car := vehicletestutil.VIN(77)
	h, accs := startRealHub(t, 6, func(accs []ibctesting.SenderAccount, gen map[string]json.RawMessage, cdc codec.Codec) {
		owner, examiner, lender, reporter, dealerLender := accs[0], accs[1], accs[2], accs[3], accs[4]
		var members membershiptypes.GenesisState
		cdc.MustUnmarshalJSON(gen[membershiptypes.ModuleName], &members)
		members.Roles = []membershiptypes.RoleGrant{{Address: addr(examiner), Role: membershiptypes.ROLE_EXAMINER, Note: "valuer"},
			{Address: addr(lender), Role: membershiptypes.ROLE_LENDER, Note: "bank"}}
		gen[membershiptypes.ModuleName] = cdc.MustMarshalJSON(&members)
		veh := vehicletypes.DefaultGenesis()
		veh.Dealers = []vehicletypes.Dealer{{Id: "acme", Name: "Acme Motors", Active: true}}
		veh.Reporters = []vehicletypes.Reporter{{DealerId: "acme", Address: addr(reporter), Active: true}}
		veh.Liens = []vehicletypes.Lien{{Id: 1, Vin: car, Status: vehicletypes.LIEN_STATUS_ACTIVE, GrantedAt: hubStart, AuthorizedBy: addr(owner),
			Holder: vehicletypes.LienHolder{ChainId: "dealer-a", DealerId: "acme", Lender: addr(dealerLender), Reference: "7"}}}
		veh.NextLienId = 2
		gen[vehicletypes.ModuleName] = cdc.MustMarshalJSON(veh)
	})
	owner, examiner, lender, reporter := accs[0], accs[1], accs[2], accs[3]
	h.mustDeliver(reporter, &vehicletypes.MsgRecordEvents{Reporter: addr(reporter), DealerId: "acme", Records: []vehicletypes.RecordInput{
		{Vin: car, Kind: vehicletypes.RECORD_KIND_MILEAGE, OdometerKm: 30_000, OccurredAt: h.time.Add(-time.Hour)}}})
	h.mustDeliver(owner, &assettypes.MsgApply{Owner: addr(owner), Kind: assettypes.ASSET_KIND_VEHICLE, Description: "2019 Honda Accord",
		EvidenceHashes: []string{strings.Repeat("ab", 32)}, Vin: car})
	h.mustDeliver(examiner, &assettypes.MsgApprove{Examiner: addr(examiner), AssetId: 1, Valuation: coin(50_000), EvidenceHash: strings.Repeat("cd", 32)})
	h.mustDeliver(lender, &assettypes.MsgOfferLoan{Lender: addr(lender), AssetId: 1, Borrower: addr(owner), Principal: coin(10_000),
		InterestRateBps: 1_000, Term: 30 * 24 * time.Hour})

	refused := h.deliver(owner, &assettypes.MsgPledge{Owner: addr(owner), LoanId: 1})
	require.Equal(t, vehicletypes.ErrLienHeld.Codespace(), refused.Codespace, refused.Log)
	require.Equal(t, vehicletypes.ErrLienHeld.ABCICode(), refused.Code, refused.Log)
	require.NotEmpty(t, refused.Events, "the ante handler's events (fee, sequence, signature) stay")
	for _, ev := range refused.Events {
		require.False(t, strings.HasPrefix(ev.Type, "vinhub."), "a failed transaction keeps no module event: %s", ev.Type)
	}
	refusedAt := h.app.LastBlockHeight()

	// The same code refuses what asks for no lien: a transfer and a cash
	// purchase of the car. A purchase on credit asks for one.
	buyer := accs[5]
	notPledges := []indexer.Tx{h.deliver(owner, &assettypes.MsgTransfer{Owner: addr(owner), AssetId: 1, Recipient: addr(buyer)})}
	h.mustDeliver(owner, &assettypes.MsgList{Owner: addr(owner), AssetId: 1, Price: coin(30_000)})
	notPledges = append(notPledges, h.deliver(buyer, &assettypes.MsgBuy{Buyer: addr(buyer), AssetId: 1, Price: coin(30_000)}))
	h.mustDeliver(lender, &assettypes.MsgOfferLoan{Lender: addr(lender), AssetId: 1, Borrower: addr(buyer), Principal: coin(10_000),
		InterestRateBps: 1_000, Term: 30 * 24 * time.Hour})
	onCredit := h.deliver(buyer, &assettypes.MsgBuy{Buyer: addr(buyer), AssetId: 1, Price: coin(30_000), LoanId: 2})
	for _, tx := range append(notPledges, onCredit) {
		require.Equal(t, []any{vehicletypes.ErrLienHeld.Codespace(), vehicletypes.ErrLienHeld.ABCICode()}, []any{tx.Codespace, tx.Code}, tx.Log)
	}
	last := h.app.LastBlockHeight()

	w := startWarehouse(ctx, t)
	store, err := indexer.OpenStore(ctx, w.dsn, "wh")
	require.NoError(t, err)
	defer store.Close()
	ix, err := indexer.New(ctx, h, store, 1, nil, quiet)
	require.NoError(t, err)
	require.NoError(t, ix.CatchUp(ctx, last))

	require.Equal(t, []string{
		fmt.Sprintf("hub %d %s %s 1 %s", refusedAt, addr(owner), addr(lender), refused.Hash),
		fmt.Sprintf("hub %d %s %s 1 %s", last, addr(buyer), addr(lender), onCredit.Hash),
	}, w.strings(ctx, t, `SELECT concat_ws(' ', path, height, requested_by, lender, held_lien_id, tx_hash) FROM wh.refused_double_pledges
		WHERE vin = $1 ORDER BY height`, car),
		"who tried to pledge the car or buy it on credit, for which lender, and the lien that held it; not the transfer nor the cash purchase")
	require.Equal(t, int64(4), w.int(ctx, t, `SELECT count(*) FROM wh.refused_txs WHERE codespace = 'vehicle' AND code = 31`),
		"every refusal is in refused_txs")
	held := int64(1)
	var holder string
	var grantedAt int64
	require.NoError(t, w.sql.QueryRow(ctx, `SELECT holder_chain_id || '/' || holder_dealer_id, granted_height FROM wh.liens WHERE lien_id = $1`, held).
		Scan(&holder, &grantedAt))
	require.Equal(t, []any{"dealer-a/acme", int64(0)}, []any{holder, grantedAt}, "the lien came with the genesis")
	require.Equal(t, []string{"/" + proto.MessageName(&assettypes.MsgPledge{}) + " 1"},
		w.strings(ctx, t, `SELECT msg_type || ' ' || loan_id FROM wh.refused_txs WHERE height = $1`, refusedAt))
	require.Equal(t, []string{"acme registered Acme Motors", "acme reporter admitted " + addr(reporter)},
		w.strings(ctx, t, `SELECT dealer_id || ' ' || event || coalesce(' ' || name, '') || coalesce(' ' || reporter, '') FROM wh.dealer_events
			WHERE height = 0 ORDER BY event_index`), "the hub's own genesis, as the indexer reads it")
	require.Equal(t, int64(1), w.int(ctx, t, `SELECT count(*) FROM wh.genesis_entries WHERE module = 'asset' AND field = 'params' AND value ? 'max_term'`))
	require.Zero(t, w.int(ctx, t, `SELECT count(*) FROM wh.genesis_entries WHERE module NOT IN ('vehicle', 'membership', 'anchor', 'asset', 'htlc', 'credit', 'notary')`),
		"bank, staking and the other modules' genesis are not the warehouse's")
	require.Equal(t, []string{"1 " + addr(reporter) + " 30000"}, w.strings(ctx, t, `SELECT height || ' ' || reporter || ' ' || odometer_km FROM wh.records WHERE vin = $1`, car),
		"the record as the hub stored it at its height")
	require.Equal(t, []string{"applied", "approved", "listed"}, w.strings(ctx, t, `SELECT event FROM wh.asset_events WHERE asset_id = 1 ORDER BY height`),
		"the refused transactions wrote nothing")
	require.Equal(t, []string{"1 offered", "2 offered"}, w.strings(ctx, t, `SELECT loan_id || ' ' || status FROM wh.loan_state ORDER BY loan_id`))
}

func addr(a ibctesting.SenderAccount) string { return a.SenderAccount.GetAddress().String() }
