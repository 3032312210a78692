package notary

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	sdkmath "cosmossdk.io/math"

	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/txscript"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/x/notary/types"
)

// BitcoinAsset is how a Bitcoin payment's asset is spelled in observations,
// sources' limits and loans' foreign repayment terms; amounts are satoshis.
const BitcoinAsset = "btc"

// Positions of a Bitcoin source: height<<34 | transaction<<17 | event, the
// event counted from 1 inside its transaction. Consensus bounds a block to
// fewer than 2^17 transactions and a transaction to fewer than 2^17
// outputs or inputs, so positions never collide.
const (
	btcTxShift    = 17
	btcBlockShift = 34
	// btcBlockDone is the low part of a position that means "the whole
	// block was handled".
	btcBlockDone = 1<<btcBlockShift - 1
	btcEventMax  = 1<<btcTxShift - 1
	// bitcoinBlocksPerRead bounds one poll's reading.
	bitcoinBlocksPerRead = 100
	// bitcoinKeptHashes is how many recent block hashes a source keeps to
	// find where a reorganisation forked: a day of blocks.
	bitcoinKeptHashes = 144
)

// BitcoinChain is the best chain a BitcoinSource reads: adapters/bitcoin's
// Node (btcd RPC), or a fake in tests.
type BitcoinChain interface {
	Tip(ctx context.Context) (int64, error)
	BlockHash(ctx context.Context, height int64) (chainhash.Hash, error)
	Block(ctx context.Context, hash chainhash.Hash) (*wire.MsgBlock, error)
}

// BitcoinSource reads a Bitcoin network's blocks once they have the
// configured confirmations: a payment to a watched address in a
// transaction whose OP_RETURN names a hub loan ("loan:<id>") becomes a
// Payment, and an input spending the HTLC script of adapters/bitcoin with
// the secret in its witness an HtlcSpend. It remembers the hashes of the
// blocks it read, so a block that left the best chain is read again on
// the new one.
type BitcoinSource struct {
	chain     BitcoinChain
	params    *chaincfg.Params
	networkID string
	confs     int64
	start     int64
	// watched maps an output script to the address it pays.
	watched map[string]string
	// Follow, when set, lists more addresses to watch, read at every poll
	// (LoanAccounts: the lenders' addresses of active loans).
	Follow func(context.Context) ([]string, error)
	// hashes are the recently read blocks, by height; state persists them.
	hashes  map[int64]chainhash.Hash
	state   string
	checked bool
}

// NewBitcoinSource reads chain (a network of params) for payments to
// addresses after confs confirmations (at least 1), from height start on.
// state, if not empty, is the file keeping the hashes of the blocks read
// across restarts.
func NewBitcoinSource(chain BitcoinChain, params *chaincfg.Params, addresses []string, confs, start int64, state string) (*BitcoinSource, error) {
	s := &BitcoinSource{chain: chain, params: params, networkID: params.GenesisHash.String(), confs: max(confs, 1),
		start: max(start, 0), watched: map[string]string{}, state: state}
	for _, a := range addresses {
		if err := s.watch(a); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// watch adds address a, written as loans name it (bech32 in lower case).
func (s *BitcoinSource) watch(a string) error {
	addr, err := btcutil.DecodeAddress(a, s.params)
	if err != nil || !addr.IsForNet(s.params) {
		return fmt.Errorf("bitcoin address %q is not an address on %s", a, s.params.Name)
	}
	pk, err := txscript.PayToAddrScript(addr)
	if err != nil {
		return fmt.Errorf("bitcoin address %q: %w", a, err)
	}
	if addr.EncodeAddress() != a {
		return fmt.Errorf("bitcoin address %q: write it as %s, as loans name it", a, addr.EncodeAddress())
	}
	s.watched[string(pk)] = a
	return nil
}

// follow adds Follow's addresses. One that is not an address of this
// network is skipped: a loan's term may name anything that looks like one.
func (s *BitcoinSource) follow(ctx context.Context) error {
	if s.Follow == nil {
		return nil
	}
	addrs, err := s.Follow(ctx)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		_ = s.watch(a)
	}
	return nil
}

// NetworkID is the genesis block hash (RPC byte order): the observations' network_id.
func (s *BitcoinSource) NetworkID() string { return s.networkID }

// Name is "bitcoin/<network id>".
func (s *BitcoinSource) Name() string { return types.SourceID(types.PLATFORM_BITCOIN, s.networkID) }

// Lookback is 0: blocks are read in order; a reorganisation is found by hash.
func (s *BitcoinSource) Lookback() int64 { return 0 }

// Read returns the events of the blocks after position from that have the
// confirmations, and the position read through. If a block read before
// left the best chain, reading starts again where the chains forked, and
// events at or below from are returned too.
func (s *BitcoinSource) Read(ctx context.Context, from int64) ([]Observed, int64, error) {
	if err := s.checkNetwork(ctx); err != nil {
		return nil, 0, err
	}
	if err := s.follow(ctx); err != nil {
		return nil, 0, err
	}
	tip, err := s.chain.Tip(ctx)
	if err != nil {
		return nil, 0, err
	}
	next, rewound, err := s.resume(ctx, from, tip)
	if err != nil {
		return nil, 0, err
	}
	floor := from
	if rewound {
		floor = -1
	}
	last := min(tip-s.confs+1, next+bitcoinBlocksPerRead-1)
	through := from
	var out []Observed
	for h := next; h <= last; h++ {
		hash, err := s.chain.BlockHash(ctx, h)
		if err != nil {
			return nil, 0, err
		}
		block, err := s.chain.Block(ctx, hash)
		if err != nil {
			return nil, 0, err
		}
		if prev, ok := s.hashes[h-1]; ok && block.Header.PrevBlock != prev {
			break // the chain changed under this read; the next one rewinds
		}
		for _, e := range s.Events(block, h) {
			if e.Seq > floor {
				out = append(out, e)
			}
		}
		s.hashes[h] = hash
		through = h<<btcBlockShift | btcBlockDone
	}
	s.trim()
	return out, through, s.save()
}

// checkNetwork refuses a node whose genesis block is not the network's.
func (s *BitcoinSource) checkNetwork(ctx context.Context) error {
	if s.checked {
		return nil
	}
	g, err := s.chain.BlockHash(ctx, 0)
	if err != nil {
		return err
	}
	if g != *s.params.GenesisHash {
		return fmt.Errorf("bitcoin node's genesis block is %s, not %s's %s", g, s.params.Name, s.params.GenesisHash)
	}
	if err := s.load(); err != nil {
		return err
	}
	s.checked = true
	return nil
}

// resume is the height to read next: after the cursor from, or lower
// where the best chain forked from the blocks read before (rewound).
func (s *BitcoinSource) resume(ctx context.Context, from, tip int64) (int64, bool, error) {
	next := s.start
	if from > 0 {
		next = from >> btcBlockShift
		if from&btcBlockDone == btcBlockDone {
			next++
		}
	}
	fork, err := s.forkPoint(ctx, tip)
	if err != nil || fork < 0 || fork >= next {
		return next, false, err
	}
	return fork, true, nil
}

// forkPoint is the lowest height to read again because a block read
// there left the best chain (-1 if none did). Blocks above it are
// forgotten. If every block remembered left, it is the lowest of them:
// a deeper reorganisation than bitcoinKeptHashes is not looked for.
func (s *BitcoinSource) forkPoint(ctx context.Context, tip int64) (int64, error) {
	heights := slices.Sorted(maps.Keys(s.hashes))
	fork := int64(-1)
	for _, h := range slices.Backward(heights) {
		if h <= tip {
			hash, err := s.chain.BlockHash(ctx, h)
			if err != nil {
				return -1, err
			}
			if hash == s.hashes[h] {
				return fork, nil
			}
		}
		delete(s.hashes, h)
		fork = h
	}
	return fork, nil
}

// Events are a block's observations, in the block's order.
func (s *BitcoinSource) Events(block *wire.MsgBlock, height int64) []Observed {
	base := types.Observation{Platform: types.PLATFORM_BITCOIN, NetworkId: s.networkID, Height: uint64(height),
		Time: block.Header.Timestamp.UTC()}
	var out []Observed
	for t, tx := range block.Transactions {
		pos := height<<btcBlockShift | int64(t)<<btcTxShift
		for k, e := range s.txEvents(tx, base) {
			if k >= btcEventMax {
				break // impossible under consensus (see the position layout)
			}
			e.Seq = pos | int64(k+1)
			out = append(out, e)
		}
	}
	return out
}

// txEvents are one transaction's payments to watched addresses naming a
// loan, then its HTLC claims.
func (s *BitcoinSource) txEvents(tx *wire.MsgTx, base types.Observation) []Observed {
	base.TxRef = tx.TxHash().String()
	var out []Observed
	memo, memoErr := loanMemo(tx)
	for i, o := range tx.TxOut {
		to, ok := s.watched[string(o.PkScript)]
		if !ok || (memo == "" && memoErr == nil) {
			continue // not to a watched address, or naming no loan: not a repayment
		}
		obs := base
		obs.Index = uint32(i)
		obs.Payload = &types.Observation_Payment{Payment: &types.Payment{Asset: BitcoinAsset, Amount: sdkmath.NewInt(o.Value),
			To: to, Memo: memo}}
		out = append(out, checked(obs, memoErr, "output", i))
	}
	for j, in := range tx.TxIn {
		spend, err := htlcClaim(in)
		if spend == nil && err == nil {
			continue
		}
		obs := base
		obs.Index = types.BitcoinInputIndex(uint32(j))
		obs.Payload = &types.Observation_HtlcSpend{HtlcSpend: spend}
		out = append(out, checked(obs, err, "input", j))
	}
	return out
}

// checked is obs as an event, invalid with err or if the hub would refuse its form.
func checked(obs types.Observation, err error, part string, i int) Observed {
	if err == nil {
		err = obs.Validate()
	}
	if err != nil {
		err = fmt.Errorf("bitcoin transaction %s %s %d: %w", obs.TxRef, part, i, err)
	}
	return Observed{Observation: obs, Err: err}
}

// loanMemo is the hub loan a transaction names: the data of an OP_RETURN
// output that starts with "loan:" ("" if none does). A malformed loan
// memo, or two naming different loans, are errors: whatever the payer
// meant, no notary may guess.
func loanMemo(tx *wire.MsgTx) (string, error) {
	memo := ""
	for i, o := range tx.TxOut {
		data, ok := nullData(o.PkScript)
		if !ok || !bytes.HasPrefix(data, []byte("loan:")) {
			continue
		}
		if _, ok := types.ParseLoanMemo(string(data)); !ok {
			return "", fmt.Errorf("output %d: OP_RETURN %q is not loan:<id>", i, data)
		}
		if memo != "" && memo != string(data) {
			return "", fmt.Errorf("output %d: a second loan memo %q besides %q", i, data, memo)
		}
		memo = string(data)
	}
	return memo, nil
}

// nullData is the data of an OP_RETURN output script with exactly one
// push after the OP_RETURN (bitcoin.MemoScript's form).
func nullData(script []byte) ([]byte, bool) {
	if len(script) < 2 || script[0] != txscript.OP_RETURN {
		return nil, false
	}
	tok := txscript.MakeScriptTokenizer(0, script[1:])
	if !tok.Next() || tok.Opcode() > txscript.OP_PUSHDATA4 {
		return nil, false
	}
	data := tok.Data()
	if tok.Next() || tok.Err() != nil || len(data) == 0 {
		return nil, false
	}
	return data, true
}

// htlcClaim reads an input that spends adapters/bitcoin's HTLC script:
// a claim is its HtlcSpend (hash, secret, the contract outpoint); a
// refund, or an input spending anything else, is nil.
func htlcClaim(in *wire.TxIn) (*types.HtlcSpend, error) {
	w := in.Witness
	if len(w) < 3 {
		return nil, nil
	}
	st, err := bitcoin.ParseScript(w[len(w)-1])
	if err != nil {
		return nil, nil // not the HTLC template
	}
	secret, err := bitcoin.SecretFromWitness(w, st.Hash)
	switch {
	case errors.Is(err, htlc.ErrRefunded):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &types.HtlcSpend{HashLock: st.Hash.String(), Secret: secret.String(), Contract: in.PreviousOutPoint.String()}, nil
}

// trim forgets all but the latest bitcoinKeptHashes blocks.
func (s *BitcoinSource) trim() {
	heights := slices.Sorted(maps.Keys(s.hashes))
	for _, h := range heights[:max(len(heights)-bitcoinKeptHashes, 0)] {
		delete(s.hashes, h)
	}
}

// load reads the hashes kept by a previous run (none if there is no file).
func (s *BitcoinSource) load() error {
	s.hashes = map[int64]chainhash.Hash{}
	if s.state == "" {
		return nil
	}
	f, err := os.Open(s.state)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		hs, hash, ok := strings.Cut(sc.Text(), " ")
		h, herr := strconv.ParseInt(hs, 10, 64)
		ch, cerr := chainhash.NewHashFromStr(hash)
		if !ok || herr != nil || cerr != nil {
			return fmt.Errorf("%s: line %q is not <height> <block hash>", s.state, sc.Text())
		}
		s.hashes[h] = *ch
	}
	return sc.Err()
}

// save writes the hashes.
func (s *BitcoinSource) save() error {
	if s.state == "" {
		return nil
	}
	var b strings.Builder
	for _, h := range slices.Sorted(maps.Keys(s.hashes)) {
		fmt.Fprintf(&b, "%d %s\n", h, s.hashes[h])
	}
	return writeAtomic(s.state, []byte(b.String()))
}

// Position says where a cursor stands in block terms ("height 870001
// (block 0000…)", or a transaction and event inside it when a block was
// handled halfway): the raw position packs them (height<<34 | …).
func (s *BitcoinSource) Position(pos int64) string {
	height, low := pos>>btcBlockShift, pos&btcBlockDone
	out := fmt.Sprintf("height %d", height)
	if low != btcBlockDone {
		out += fmt.Sprintf(" (transaction %d, event %d of it; the block is not finished)", low>>btcTxShift, low&btcEventMax)
	}
	if s.hashes == nil {
		_ = s.load() // status only: no hash is shown if the file is unreadable
	}
	if hash, ok := s.hashes[height]; ok {
		out += ", block " + hash.String()
	}
	return out
}
