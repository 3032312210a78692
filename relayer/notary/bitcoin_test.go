package notary_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/txscript"
	"github.com/btcsuite/btcd/wire"
	"github.com/cosmos/cosmos-sdk/types/query"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/hashlock"
	"github.com/vinhub/vinhub/relayer/notary"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	"github.com/vinhub/vinhub/x/notary/types"
)

var btcParams = &chaincfg.SimNetParams

// btcAddress is a fresh P2WPKH address on simnet and its output script.
func btcAddress(t *testing.T) (string, []byte) {
	t.Helper()
	k, err := btcec.NewPrivateKey()
	require.NoError(t, err)
	addr, err := btcutil.NewAddressWitnessPubKeyHash(btcutil.Hash160(k.PubKey().SerializeCompressed()), btcParams)
	require.NoError(t, err)
	pk, err := txscript.PayToAddrScript(addr)
	require.NoError(t, err)
	return addr.EncodeAddress(), pk
}

// opReturn is an OP_RETURN output pushing each of pushes.
func opReturn(t *testing.T, pushes ...string) *wire.TxOut {
	t.Helper()
	b := txscript.NewScriptBuilder().AddOp(txscript.OP_RETURN)
	for _, p := range pushes {
		b.AddData([]byte(p))
	}
	s, err := b.Script()
	require.NoError(t, err)
	return wire.NewTxOut(0, s)
}

// spendingTx spends a made-up outpoint (with witness w) to outs.
func spendingTx(w wire.TxWitness, outs ...*wire.TxOut) *wire.MsgTx {
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: chainhash.HashH([]byte(fmt.Sprint(len(outs), w))), Index: 1}, nil, w))
	for _, o := range outs {
		tx.AddTxOut(o)
	}
	return tx
}

func blockOf(prev chainhash.Hash, stamp time.Time, txs ...*wire.MsgTx) *wire.MsgBlock {
	b := wire.NewMsgBlock(wire.NewBlockHeader(4, &prev, &chainhash.Hash{}, 0, 0))
	b.Header.Timestamp = stamp
	var ids []byte
	for _, tx := range txs {
		_ = b.AddTransaction(tx)
		id := tx.TxHash()
		ids = append(ids, id[:]...)
	}
	// Any commitment to the transactions will do: no proof of work here.
	b.Header.MerkleRoot = chainhash.HashH(ids)
	return b
}

func newBitcoinSource(t *testing.T, chain notary.BitcoinChain, state string, addrs ...string) *notary.BitcoinSource {
	t.Helper()
	s, err := notary.NewBitcoinSource(chain, btcParams, addrs, 2, 0, state)
	require.NoError(t, err)
	return s
}

func TestBitcoinPaymentNamingALoan(t *testing.T) {
	lender, lenderPk := btcAddress(t)
	_, otherPk := btcAddress(t)
	stamp := time.Unix(1_800_000_000, 0)
	src := newBitcoinSource(t, nil, "", lender)
	cases := []struct {
		name string
		outs func() []*wire.TxOut
		// memo is the memo of the one payment expected; "" means no event, "!" an invalid one.
		memo string
	}{
		{"paid with OP_RETURN loan:7", func() []*wire.TxOut { return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk), opReturn(t, "loan:7")} }, "loan:7"},
		{"memo before the payment", func() []*wire.TxOut { return []*wire.TxOut{opReturn(t, "loan:7"), wire.NewTxOut(150_000, lenderPk)} }, "loan:7"},
		{"the same loan memo twice", func() []*wire.TxOut {
			return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk), opReturn(t, "loan:7"), opReturn(t, "loan:7")}
		}, "loan:7"},
		{"to another address", func() []*wire.TxOut { return []*wire.TxOut{wire.NewTxOut(150_000, otherPk), opReturn(t, "loan:7")} }, ""},
		{"no OP_RETURN", func() []*wire.TxOut { return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk)} }, ""},
		{"an OP_RETURN that is no loan memo", func() []*wire.TxOut { return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk), opReturn(t, "hello")} }, ""},
		{"an empty OP_RETURN", func() []*wire.TxOut { return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk), opReturn(t)} }, ""},
		{"a memo split over two pushes", func() []*wire.TxOut {
			return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk), opReturn(t, "loan:", "7")}
		}, ""},
		{"loan id with a leading zero", func() []*wire.TxOut { return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk), opReturn(t, "loan:07")} }, "!"},
		{"loan id not a number", func() []*wire.TxOut {
			return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk), opReturn(t, "loan:seven")}
		}, "!"},
		{"loan 0", func() []*wire.TxOut { return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk), opReturn(t, "loan:0")} }, "!"},
		{"two loans named", func() []*wire.TxOut {
			return []*wire.TxOut{wire.NewTxOut(150_000, lenderPk), opReturn(t, "loan:7"), opReturn(t, "loan:8")}
		}, "!"},
		{"zero satoshis", func() []*wire.TxOut { return []*wire.TxOut{wire.NewTxOut(0, lenderPk), opReturn(t, "loan:7")} }, "!"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tx := spendingTx(wire.TxWitness{{1}}, tc.outs()...)
			events := src.Events(blockOf(chainhash.Hash{}, stamp, tx), 321)
			if tc.memo == "" {
				require.Empty(t, events)
				return
			}
			require.Len(t, events, 1)
			e := events[0]
			if tc.memo == "!" {
				require.Error(t, e.Err)
				return
			}
			require.NoError(t, e.Err)
			vout := 0
			for i, o := range tx.TxOut {
				if string(o.PkScript) == string(lenderPk) {
					vout = i
				}
			}
			require.Equal(t, types.Observation{Platform: types.PLATFORM_BITCOIN, NetworkId: btcParams.GenesisHash.String(),
				TxRef: tx.TxHash().String(), Height: 321, Index: uint32(vout), Time: stamp.UTC(),
				Payload: &types.Observation_Payment{Payment: &types.Payment{Asset: notary.BitcoinAsset, Amount: sdkmath.NewInt(150_000),
					To: lender, Memo: tc.memo}}}, e.Observation)
		})
	}
}

// htlcScript is adapters/bitcoin's HTLC script locking secret's hash.
func htlcScript(t *testing.T, secret hashlock.Secret) []byte {
	t.Helper()
	a, err := btcec.NewPrivateKey()
	require.NoError(t, err)
	b, err := btcec.NewPrivateKey()
	require.NoError(t, err)
	script, err := bitcoin.Script(secret.Hash(), a.PubKey(), b.PubKey(), bitcoin.MinLockTime+1)
	require.NoError(t, err)
	return script
}

func TestBitcoinHtlcClaimPublishesTheSecret(t *testing.T) {
	secret, err := hashlock.NewSecret()
	require.NoError(t, err)
	script := htlcScript(t, secret)
	sig := make([]byte, 71)
	_, payee := btcAddress(t)
	src := newBitcoinSource(t, nil, "")
	stamp := time.Unix(1_800_000_000, 0)
	wrong := secret
	wrong[0] ^= 1
	cases := []struct {
		name    string
		witness wire.TxWitness
		// want: "claim", "" (no event) or "!" (an invalid one)
		want string
	}{
		{"claim", wire.TxWitness{sig, secret[:], {1}, script}, "claim"},
		{"claim with a non-minimal true selector (consensus takes it)", wire.TxWitness{sig, secret[:], {2}, script}, "claim"},
		{"refund", wire.TxWitness{sig, {}, script}, ""},
		{"not the HTLC template", wire.TxWitness{sig, secret[:], {1}, append([]byte{txscript.OP_NOP}, script...)}, ""},
		{"a P2WPKH spend", wire.TxWitness{sig, make([]byte, 33)}, ""},
		{"no witness", nil, ""},
		{"a wrong secret", wire.TxWitness{sig, wrong[:], {1}, script}, "!"},
		{"a short secret", wire.TxWitness{sig, secret[:31], {1}, script}, "!"},
		{"five items", wire.TxWitness{sig, sig, secret[:], {1}, script}, "!"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tx := spendingTx(tc.witness, wire.NewTxOut(90_000, payee))
			events := src.Events(blockOf(chainhash.Hash{}, stamp, tx), 400)
			switch tc.want {
			case "":
				require.Empty(t, events)
				return
			case "!":
				require.Len(t, events, 1)
				require.Error(t, events[0].Err)
				return
			}
			require.Len(t, events, 1)
			require.NoError(t, events[0].Err)
			obs := events[0].Observation
			require.Equal(t, types.BitcoinInputIndex(0), obs.Index)
			require.Equal(t, &types.HtlcSpend{HashLock: secret.Hash().String(), Secret: secret.String(),
				Contract: tx.TxIn[0].PreviousOutPoint.String()}, obs.GetHtlcSpend())
		})
	}

	t.Run("a claim and a loan payment in one transaction have distinct source keys", func(t *testing.T) {
		lender, lenderPk := btcAddress(t)
		src := newBitcoinSource(t, nil, "", lender)
		tx := spendingTx(wire.TxWitness{sig, secret[:], {1}, script}, wire.NewTxOut(90_000, lenderPk), opReturn(t, "loan:3"))
		events := src.Events(blockOf(chainhash.Hash{}, stamp, tx), 400)
		require.Len(t, events, 2)
		require.NotEqual(t, events[0].Observation.SourceKey(), events[1].Observation.SourceKey())
		require.Less(t, events[0].Seq, events[1].Seq)
	})
}

// fakeChain is a best chain of blocks on simnet's genesis.
type fakeChain struct {
	blocks []*wire.MsgBlock
	byHash map[chainhash.Hash]*wire.MsgBlock
}

func newFakeChain() *fakeChain {
	c := &fakeChain{byHash: map[chainhash.Hash]*wire.MsgBlock{}}
	c.add(btcParams.GenesisBlock)
	return c
}

func (c *fakeChain) add(b *wire.MsgBlock) {
	c.blocks = append(c.blocks, b)
	c.byHash[b.BlockHash()] = b
}

// mine adds a block carrying txs on the tip.
func (c *fakeChain) mine(txs ...*wire.MsgTx) {
	tip := c.blocks[len(c.blocks)-1]
	c.add(blockOf(tip.BlockHash(), tip.Header.Timestamp.Add(time.Minute), txs...))
}

// reorg drops the blocks above height.
func (c *fakeChain) reorg(height int) { c.blocks = c.blocks[:height+1] }

func (c *fakeChain) Tip(context.Context) (int64, error) { return int64(len(c.blocks) - 1), nil }

func (c *fakeChain) BlockHash(_ context.Context, h int64) (chainhash.Hash, error) {
	if h < 0 || h >= int64(len(c.blocks)) {
		return chainhash.Hash{}, fmt.Errorf("height %d out of range", h)
	}
	return c.blocks[h].BlockHash(), nil
}

func (c *fakeChain) Block(_ context.Context, h chainhash.Hash) (*wire.MsgBlock, error) {
	b, ok := c.byHash[h]
	if !ok {
		return nil, fmt.Errorf("no block %s", h)
	}
	return b, nil
}

// memos are the loan memos of payment events, in order.
func memos(t *testing.T, events []notary.Observed) []string {
	t.Helper()
	var out []string
	for _, e := range events {
		require.NoError(t, e.Err)
		out = append(out, e.Observation.GetPayment().Memo)
	}
	return out
}

func TestBitcoinSourceWaitsForConfirmationsAndRewindsOnReorg(t *testing.T) {
	ctx := context.Background()
	lender, lenderPk := btcAddress(t)
	pay := func(loan int) *wire.MsgTx {
		return spendingTx(wire.TxWitness{{byte(loan)}}, wire.NewTxOut(10_000, lenderPk), opReturn(t, types.LoanMemo(uint64(loan))))
	}
	chain := newFakeChain()
	state := filepath.Join(t.TempDir(), "bitcoin.blocks")
	src := newBitcoinSource(t, chain, state, lender)

	chain.mine(pay(1)) // height 1: one confirmation, not two
	events, through, err := src.Read(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, events, "nothing before 2 confirmations")
	require.Less(t, through, int64(1)<<34, "read through the genesis block only")

	chain.mine(pay(2)) // height 2
	events, through, err = src.Read(ctx, through)
	require.NoError(t, err)
	require.Equal(t, []string{"loan:1"}, memos(t, events), "height 1 has 2 confirmations now, height 2 has 1")
	first := events[0]

	// A poll whose attestation failed reads the same event again, the same.
	again, _, err := src.Read(ctx, 0)
	require.NoError(t, err)
	require.Equal(t, first, again[0])

	// Heights 2 and 3 are replaced: loan 2's payment moves to height 3 on
	// the new chain and loan 3 is paid at height 2.
	chain.reorg(1)
	chain.mine(pay(3))
	chain.mine(pay(2))
	chain.mine()
	events, through2, err := src.Read(ctx, through)
	require.NoError(t, err)
	require.Equal(t, []string{"loan:3", "loan:2"}, memos(t, events))
	require.EqualValues(t, 3, events[1].Observation.Height)

	// Another reorg replaces heights 2-4 while the notary is down: a
	// restarted source (same state file) finds the fork by hash.
	chain.reorg(1)
	chain.mine(pay(4))
	chain.mine()
	chain.mine()
	restarted := newBitcoinSource(t, chain, state, lender)
	events, _, err = restarted.Read(ctx, through2)
	require.NoError(t, err)
	require.Equal(t, []string{"loan:4"}, memos(t, events), "the new height 2 is read again after the restart")
	require.EqualValues(t, 2, events[0].Observation.Height)
}

func TestBitcoinSourceRefusesAnotherNetwork(t *testing.T) {
	src, err := notary.NewBitcoinSource(newFakeChain(), &chaincfg.RegressionNetParams, nil, 1, 0, "")
	require.NoError(t, err)
	_, _, err = src.Read(context.Background(), 0)
	require.ErrorContains(t, err, "genesis")

	_, err = notary.NewBitcoinSource(nil, btcParams, []string{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}, 1, 0, "")
	require.ErrorContains(t, err, "not an address on simnet", "a mainnet address on simnet")
}

func TestBitcoinConfigValidate(t *testing.T) {
	lender, _ := btcAddress(t)
	hub := func(string) error { return nil }
	base := notary.DefaultConfig()
	base.Hub, base.Key = "hub", "op"
	node := bitcoin.NodeConfig{RPC: "127.0.0.1:18556", Net: "simnet", NoTLS: true}
	for _, tc := range []struct {
		name string
		bc   []notary.BitcoinConfig
		err  string
	}{
		{"valid", []notary.BitcoinConfig{{NodeConfig: node, Addresses: []string{lender}, Confirmations: 3}}, ""},
		{"no rpc", []notary.BitcoinConfig{{NodeConfig: bitcoin.NodeConfig{Net: "simnet"}}}, "needs rpc"},
		{"unknown net", []notary.BitcoinConfig{{NodeConfig: bitcoin.NodeConfig{RPC: node.RPC, Net: "litecoin"}}}, "litecoin"},
		{"negative confirmations", []notary.BitcoinConfig{{NodeConfig: node, Confirmations: -1}}, "negative"},
		{"an address of another network", []notary.BitcoinConfig{{NodeConfig: node, Addresses: []string{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}}}, "not an address on simnet"},
		{"an address in upper case", []notary.BitcoinConfig{{NodeConfig: node, Addresses: []string{strings.ToUpper(lender)}}}, "write it as"},
		{"a network twice", []notary.BitcoinConfig{{NodeConfig: node}, {NodeConfig: node}}, "twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			cfg.Bitcoin = tc.bc
			err := cfg.Validate(hub)
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.err)
		})
	}
}

// openLoans answers OpenLoans with loans, two per page.
type openLoans struct {
	assettypes.QueryClient
	loans []assettypes.Loan
}

func (q openLoans) OpenLoans(_ context.Context, req *assettypes.QueryOpenLoansRequest, _ ...grpc.CallOption) (*assettypes.QueryLoansResponse, error) {
	from := 0
	if len(req.Pagination.Key) > 0 {
		from = int(req.Pagination.Key[0])
	}
	to := min(from+2, len(q.loans))
	res := &assettypes.QueryLoansResponse{Loans: q.loans[from:to], Pagination: &query.PageResponse{}}
	if to < len(q.loans) {
		res.Pagination.NextKey = []byte{byte(to)}
	}
	return res, nil
}

func TestBitcoinSourceFollowsActiveLoansTerms(t *testing.T) {
	ctx := context.Background()
	net := btcParams.GenesisHash.String()
	followed, followedPk := btcAddress(t)
	_, otherPk := btcAddress(t)
	term := func(platform, network, account string) assettypes.ForeignRepayment {
		return assettypes.ForeignRepayment{Platform: platform, NetworkId: network, Asset: "btc", Account: account}
	}
	q := openLoans{loans: []assettypes.Loan{
		{Id: 1, ForeignRepayments: []assettypes.ForeignRepayment{term("stellar", net, "GLENDER")}},
		{Id: 2, ForeignRepayments: []assettypes.ForeignRepayment{term("bitcoin", "00"+net[2:], "sb1qothernetwork")}},
		{Id: 3, ForeignRepayments: []assettypes.ForeignRepayment{term("bitcoin", net, "not-an-address")}},
		{Id: 4, ForeignRepayments: []assettypes.ForeignRepayment{term("bitcoin", net, followed)}},
	}}
	accounts, err := notary.LoanAccounts(q, types.PLATFORM_BITCOIN, net)(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"not-an-address", followed}, accounts, "every page, this platform and network only")

	chain := newFakeChain()
	src := newBitcoinSource(t, chain, "")
	src.Follow = notary.LoanAccounts(q, types.PLATFORM_BITCOIN, net)
	chain.mine(
		spendingTx(wire.TxWitness{{1}}, wire.NewTxOut(5_000, followedPk), opReturn(t, "loan:4")),
		spendingTx(wire.TxWitness{{2}}, wire.NewTxOut(5_000, otherPk), opReturn(t, "loan:4")),
	)
	chain.mine()
	events, _, err := src.Read(ctx, 0)
	require.NoError(t, err)
	require.Len(t, events, 1, "the payment to the followed lender's address only; a malformed term is skipped")
	require.Equal(t, followed, events[0].Observation.GetPayment().To)

	src.Follow = func(context.Context) ([]string, error) { return nil, errors.New("hub unreachable") }
	_, _, err = src.Read(ctx, 0)
	require.ErrorContains(t, err, "hub unreachable", "a poll that cannot learn the loans' addresses fails and is retried")
}

// TestBitcoinPositionForStatus: `notary status` shows a Bitcoin cursor as
// the block height (and the block's hash when the source kept it), not as
// the packed position.
func TestBitcoinPositionForStatus(t *testing.T) {
	state := filepath.Join(t.TempDir(), "blocks")
	hash := chaincfg.SimNetParams.GenesisHash.String()
	require.NoError(t, os.WriteFile(state, []byte("5 "+hash+"\n"), 0o600))
	src, err := notary.NewBitcoinSource(nil, &chaincfg.SimNetParams, nil, 1, 0, state)
	require.NoError(t, err)
	require.Equal(t, "height 5, block "+hash, src.Position(5<<34|(1<<34-1)))
	require.Equal(t, "height 6 (transaction 2, event 1 of it; the block is not finished)", src.Position(6<<34|2<<17|1))
}
