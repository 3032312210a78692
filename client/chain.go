package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	gogogrpc "github.com/cosmos/gogoproto/grpc"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
)

// Chain is a connection to one chain: queries over RPC and transactions
// signed with one key from a keyring.
type Chain struct {
	Config Config
	RPC    *rpchttp.HTTP
	cdc    *codec.ProtoCodec
	kr     keyring.Keyring
	log    *slog.Logger
	obs    Observer

	keyUID   string
	address  sdk.AccAddress
	signer   string
	revision uint64
	// configuredPrice is gas_price, the floor; maxGasPrice the cap (nil:
	// none); gasPrice what txs pay, read from the chain at gasPriceAt.
	configuredPrice sdk.DecCoin
	maxGasPrice     *sdk.DecCoin
	gasPrice        sdk.DecCoin
	gasPriceAt      time.Time

	// mu serialises building and broadcasting, so sequences are handed out
	// in order; waiting for inclusion happens outside it.
	mu  sync.Mutex
	seq sequencer
}

// rpcTimeoutSeconds bounds every RPC call, so a frozen node cannot hang the relayer.
const rpcTimeoutSeconds = 10

// dropAfterBlocks: a transaction not in a block after this many new blocks
// is given up on; the chain state is queried again before any resend.
const dropAfterBlocks = 5

// NewChain connects to a chain's RPC and loads the signing key, stored in
// vinrelay's keyring as KeyName(chain id, key). obs may be nil.
func NewChain(cfg Config, kr keyring.Keyring, cdc *codec.ProtoCodec, log *slog.Logger, obs Observer) (*Chain, error) {
	return NewChainSigner(cfg, kr, KeyName(cfg.ID, cfg.Key), cdc, log, obs)
}

// NewChainSigner is NewChain signing with the keyring entry uid, e.g. a key
// in a node's own keyring (load generators use this).
func NewChainSigner(cfg Config, kr keyring.Keyring, uid string, cdc *codec.ProtoCodec, log *slog.Logger, obs Observer) (*Chain, error) {
	rpc, err := NewRPC(cfg, rpcTimeoutSeconds, log)
	if err != nil {
		return nil, fmt.Errorf("chain %s: rpc %s: %w", cfg.ID, cfg.RPC, err)
	}
	rec, err := kr.Key(uid)
	if errors.Is(err, sdkerrors.ErrKeyNotFound) {
		return nil, fmt.Errorf("chain %s: no key %q in vinrelay's keyring: add it with `vinrelay keys add %s %s` or `vinrelay keys restore %s %s < mnemonic.txt` (with the same --keyring-backend)", cfg.ID, cfg.Key, cfg.ID, cfg.Key, cfg.ID, cfg.Key)
	}
	if err != nil {
		return nil, fmt.Errorf("chain %s: key %q: %w", cfg.ID, cfg.Key, err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return nil, err
	}
	signer, err := sdk.Bech32ifyAddressBytes(cfg.AccountPrefix, addr)
	if err != nil {
		return nil, err
	}
	price, err := sdk.ParseDecCoin(cfg.GasPrice)
	if err != nil {
		return nil, fmt.Errorf("chain %s: gas_price: %w", cfg.ID, err)
	}
	var maxPrice *sdk.DecCoin
	if cfg.MaxGasPrice != "" {
		p, err := sdk.ParseDecCoin(cfg.MaxGasPrice)
		if err != nil {
			return nil, fmt.Errorf("chain %s: max_gas_price: %w", cfg.ID, err)
		}
		maxPrice = &p
	}
	if obs == nil {
		obs = noObserver{}
	}
	return &Chain{Config: cfg, RPC: rpc, cdc: cdc, kr: kr, log: log.With("chain", cfg.ID), obs: obs, keyUID: uid,
		address: addr, signer: signer, configuredPrice: price, maxGasPrice: maxPrice, gasPrice: price,
		revision: clienttypes.ParseChainID(cfg.ID)}, nil
}

// ID is the chain id.
func (c *Chain) ID() string { return c.Config.ID }

// Signer is the relayer's account on this chain.
func (c *Chain) Signer() string { return c.signer }

// Height wraps a block height of this chain in an IBC height.
func (c *Chain) Height(h int64) clienttypes.Height {
	return clienttypes.NewHeight(c.revision, uint64(h))
}

// Conn is a gRPC connection over abci_query at the latest height.
func (c *Chain) Conn() gogogrpc.ClientConn { return abciConn{rpc: c.RPC, chain: c.ID()} }

// Codec is the codec the chain's messages and accounts are encoded with.
func (c *Chain) Codec() *codec.ProtoCodec { return c.cdc }

// Ping checks the RPC answers and serves the configured chain id.
func (c *Chain) Ping(ctx context.Context) (*ctypes.ResultStatus, error) {
	st, err := c.RPC.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("chain %s: rpc %s unreachable: %w", c.ID(), c.Config.RPC, err)
	}
	if st.NodeInfo.Network != c.ID() {
		return nil, fmt.Errorf("chain %s: rpc %s serves chain %q", c.ID(), c.Config.RPC, st.NodeInfo.Network)
	}
	if st.NodeInfo.Other.TxIndex == "off" {
		return nil, fmt.Errorf("chain %s: the node at %s has its tx indexer off: set [tx_index] indexer = \"kv\" in its config.toml (vinrelay finds packets with tx_search)", c.ID(), c.Config.RPC)
	}
	return st, nil
}

// Balance is the relayer account's balance of denom.
func (c *Chain) Balance(ctx context.Context, denom string) (sdk.Coin, error) {
	res, err := banktypes.NewQueryClient(c.Conn()).Balance(ctx, &banktypes.QueryBalanceRequest{Address: c.signer, Denom: denom})
	if err != nil {
		return sdk.Coin{}, fmt.Errorf("chain %s: balance of %s: %w", c.ID(), c.signer, err)
	}
	if res.Balance == nil {
		return sdk.NewInt64Coin(denom, 0), nil
	}
	return *res.Balance, nil
}

// FeeDenom is the denom fees are paid in (gas_price's).
func (c *Chain) FeeDenom() string { return c.configuredPrice.Denom }

// Latest returns the latest committed height and its block time.
func (c *Chain) Latest(ctx context.Context) (int64, time.Time, error) {
	st, err := c.RPC.Status(ctx)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("chain %s: status: %w", c.ID(), err)
	}
	return st.SyncInfo.LatestBlockHeight, st.SyncInfo.LatestBlockTime, nil
}

// Submit simulates, signs, broadcasts msgs and waits until the transaction
// is committed. A sequence mismatch resyncs the account and retries; running
// out of gas raises the gas adjustment and retries; a transaction whose
// messages were all delivered already returns ErrRedundant. A refusal by
// the chain is an *ABCIError: test it with errors.Is against the module's
// registered error.
func (c *Chain) Submit(ctx context.Context, msgs ...sdk.Msg) (TxResult, error) {
	adjust := c.Config.GasAdjustment
	var lastErr error
	for attempt := 0; attempt < 4; attempt++ {
		start := time.Now()
		hash, err := c.broadcast(ctx, msgs, adjust)
		if err != nil {
			if errors.Is(err, ErrRedundant) || ctx.Err() != nil {
				return TxResult{}, err
			}
			var seqErr *sequenceError
			if errors.As(err, &seqErr) {
				c.obs.TxError(c.ID(), "sequence_mismatch")
				c.log.Warn("account sequence mismatch; resyncing", "expected", seqErr.expected)
				lastErr = err
				continue
			}
			c.obs.TxError(c.ID(), "broadcast")
			return TxResult{}, err
		}
		res, err := c.waitTx(ctx, hash)
		if err != nil {
			if ctx.Err() == nil {
				c.obs.TxError(c.ID(), "not_committed")
			}
			c.resync()
			return TxResult{}, err
		}
		c.obs.TxCommitted(c.ID(), time.Since(start))
		out, refusal := c.outcome(hash, res)
		if refusal == nil {
			return out, nil
		}
		if errors.Is(refusal, sdkerrors.ErrOutOfGas) {
			c.obs.TxError(c.ID(), "out_of_gas")
			adjust *= 1.3
			lastErr = fmt.Errorf("out of gas (used %d of %d)", res.TxResult.GasUsed, res.TxResult.GasWanted)
			c.log.Warn("relay tx ran out of gas; retrying with more", "adjustment", adjust)
			continue
		}
		c.obs.TxError(c.ID(), "tx_failed")
		return TxResult{}, refusal
	}
	if errors.As(lastErr, new(*sequenceError)) {
		return TxResult{}, fmt.Errorf("chain %s: gave up after retries: %w", c.ID(), lastErr)
	}
	return TxResult{}, fmt.Errorf("chain %s: gave up after retries: %w: %w", c.ID(), ErrTooLarge, lastErr)
}

// outcome is a committed transaction's result, or its refusal; a refused
// delivery may or may not have consumed the sequence, so it resyncs.
func (c *Chain) outcome(hash []byte, res *ctypes.ResultTx) (TxResult, *ABCIError) {
	if res.TxResult.Code == 0 {
		return TxResult{Hash: fmt.Sprintf("%X", hash), Height: res.Height, GasUsed: res.TxResult.GasUsed, Events: FlattenEvents(res.TxResult.Events)}, nil
	}
	c.resync()
	return TxResult{}, &ABCIError{Chain: c.ID(), Stage: "tx " + fmt.Sprintf("%X", hash), Codespace: res.TxResult.Codespace, Code: res.TxResult.Code, Log: res.TxResult.Log}
}

// Broadcast simulates, signs and broadcasts msgs without waiting for the
// commit, so one sender can put many transactions into one block (the
// local sequence advances with each accepted broadcast); WaitCommitted
// collects each result. A sequence mismatch resyncs and retries.
func (c *Chain) Broadcast(ctx context.Context, msgs ...sdk.Msg) ([]byte, error) {
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		var hash []byte
		if hash, err = c.broadcast(ctx, msgs, c.Config.GasAdjustment); !errors.As(err, new(*sequenceError)) {
			return hash, err
		}
	}
	return nil, fmt.Errorf("chain %s: gave up after retries: %w", c.ID(), err)
}

// WaitCommitted waits for a transaction Broadcast sent and returns its
// result, or its refusal as an *ABCIError.
func (c *Chain) WaitCommitted(ctx context.Context, hash []byte) (TxResult, error) {
	res, err := c.waitTx(ctx, hash)
	if err != nil {
		return TxResult{}, err
	}
	out, refusal := c.outcome(hash, res)
	if refusal != nil {
		return TxResult{}, refusal
	}
	return out, nil
}

// accountBody loads the account (under c.mu, held by the caller) and
// encodes msgs as a transaction body with the configured memo.
func (c *Chain) accountBody(ctx context.Context, msgs []sdk.Msg) ([]byte, error) {
	if err := c.loadAccount(ctx); err != nil {
		return nil, err
	}
	anys := make([]*codectypes.Any, len(msgs))
	for i, m := range msgs {
		a, err := codectypes.NewAnyWithValue(m)
		if err != nil {
			return nil, err
		}
		anys[i] = a
	}
	return (&txtypes.TxBody{Messages: anys, Memo: c.Config.TxMemo()}).Marshal()
}

// SignNext signs msgs with a fixed gas limit and the next local sequence,
// without simulating or broadcasting, and advances the sequence as if the
// transaction was accepted: a load generator pre-signs a run of
// transactions this way so that sending them costs the node nothing but
// their CheckTx.
func (c *Chain) SignNext(ctx context.Context, gas uint64, msgs ...sdk.Msg) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	bodyBz, err := c.accountBody(ctx, msgs)
	if err != nil {
		return nil, err
	}
	tx, err := c.sign(bodyBz, gas)
	if err != nil {
		return nil, err
	}
	c.seq.accepted()
	return tx, nil
}

type sequenceError struct{ expected uint64 }

func (e *sequenceError) Error() string {
	return fmt.Sprintf("account sequence mismatch, expected %d", e.expected)
}

// broadcast builds, simulates, signs and broadcasts under the account lock.
func (c *Chain) broadcast(ctx context.Context, msgs []sdk.Msg, adjust float64) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	bodyBz, err := c.accountBody(ctx, msgs)
	if err != nil {
		return nil, err
	}
	c.refreshGasPrice(ctx)
	gas, err := c.simulate(ctx, bodyBz)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	limit, err := c.gasLimit(gas, err, adjust)
	if err != nil {
		return nil, c.classify(err)
	}
	if limit > c.Config.MaxGas {
		return nil, fmt.Errorf("chain %s: %w: it needs %d gas, above max_gas %d (vinrelay sends fewer messages; raise max_gas if a single message needs more)", c.ID(), ErrTooLarge, limit, c.Config.MaxGas)
	}
	txBytes, err := c.sign(bodyBz, limit)
	if err != nil {
		return nil, err
	}
	res, err := c.RPC.BroadcastTxSync(ctx, txBytes)
	if err != nil {
		// CometBFT refuses an oversized tx (mempool) or request body (RPC)
		// before the app sees it: a JSON-RPC error with no codespace, so
		// its text is all there is to read.
		if strings.Contains(strings.ToLower(err.Error()), "too large") {
			return nil, fmt.Errorf("chain %s: broadcast: %w: %w", c.ID(), ErrTooLarge, err)
		}
		return nil, fmt.Errorf("chain %s: broadcast: %w", c.ID(), err)
	}
	if res.Code != 0 {
		return nil, c.classify(&ABCIError{Chain: c.ID(), Stage: "CheckTx", Codespace: res.Codespace, Code: res.Code, Log: res.Log})
	}
	c.seq.accepted()
	return res.Hash, nil
}

// classify turns a simulation or CheckTx refusal into the error callers
// branch on: a sequence mismatch (the expected sequence is taken from the
// log, the only place the SDK writes it), a redundant relay, a tx too
// large, or the refusal itself.
func (c *Chain) classify(err error) error {
	var refusal *ABCIError
	if !errors.As(err, &refusal) {
		return fmt.Errorf("chain %s: %w", c.ID(), err)
	}
	switch {
	case errors.Is(refusal, sdkerrors.ErrWrongSequence):
		if exp, ok := ExpectedSequence(refusal); ok {
			c.seq.expect(exp)
			return &sequenceError{expected: exp}
		}
		c.seq.forget()
		return refusal
	case errors.Is(refusal, channeltypes.ErrRedundantTx):
		return fmt.Errorf("%w: %w", ErrRedundant, refusal)
	case errors.Is(refusal, sdkerrors.ErrTxTooLarge):
		return fmt.Errorf("%w: %w", ErrTooLarge, refusal)
	}
	return refusal
}

func (c *Chain) resync() {
	c.mu.Lock()
	c.seq.forget()
	c.mu.Unlock()
}

// loadAccount reads the account number and sequence when not known.
func (c *Chain) loadAccount(ctx context.Context) error {
	if c.seq.known {
		return nil
	}
	res, err := authtypes.NewQueryClient(c.Conn()).Account(ctx, &authtypes.QueryAccountRequest{Address: c.signer})
	if err != nil {
		return fmt.Errorf("chain %s: account %s of key %q: %w (is it funded?)", c.ID(), c.signer, c.Config.Key, err)
	}
	var acc sdk.AccountI
	if err := c.cdc.UnpackAny(res.Account, &acc); err != nil {
		return err
	}
	c.seq.load(acc.GetAccountNumber(), acc.GetSequence())
	return nil
}

// simulate asks the node for the gas msgs use. It runs through the ABCI
// path app/simulate rather than the gRPC tx service: the gRPC service
// turns a refusal into a status error and loses the module's codespace
// and code, app/simulate keeps them.
func (c *Chain) simulate(ctx context.Context, bodyBz []byte) (uint64, error) {
	authBz, err := c.authInfo(0)
	if err != nil {
		return 0, err
	}
	raw, err := (&txtypes.TxRaw{BodyBytes: bodyBz, AuthInfoBytes: authBz, Signatures: [][]byte{{}}}).Marshal()
	if err != nil {
		return 0, err
	}
	res, err := c.RPC.ABCIQuery(ctx, "/app/simulate", raw)
	if err != nil {
		return 0, fmt.Errorf("simulate: %w", err)
	}
	if res.Response.Code != 0 {
		return 0, &ABCIError{Chain: c.ID(), Stage: "simulation", Codespace: res.Response.Codespace, Code: res.Response.Code, Log: res.Response.Log}
	}
	// sdk.SimulationResponse in proto JSON (original field names, 64-bit
	// integers as strings).
	var sim struct {
		GasInfo struct {
			GasUsed uint64 `json:"gas_used,string"`
		} `json:"gas_info"`
	}
	if err := json.Unmarshal(res.Response.Value, &sim); err != nil {
		return 0, fmt.Errorf("simulate: unreadable response: %w", err)
	}
	return sim.GasInfo.GasUsed, nil
}

// authInfo encodes the signer (our key, SIGN_MODE_DIRECT, the current
// sequence) and the fee for gas.
func (c *Chain) authInfo(gas uint64) ([]byte, error) {
	rec, err := c.kr.Key(c.keyUID)
	if err != nil {
		return nil, err
	}
	pub, err := rec.GetPubKey()
	if err != nil {
		return nil, err
	}
	pubAny, err := codectypes.NewAnyWithValue(pub)
	if err != nil {
		return nil, err
	}
	feeAmt := c.gasPrice.Amount.MulInt64(int64(gas)).Ceil().TruncateInt()
	return (&txtypes.AuthInfo{
		SignerInfos: []*txtypes.SignerInfo{{
			PublicKey: pubAny,
			ModeInfo:  &txtypes.ModeInfo{Sum: &txtypes.ModeInfo_Single_{Single: &txtypes.ModeInfo_Single{Mode: signing.SignMode_SIGN_MODE_DIRECT}}},
			Sequence:  c.seq.next,
		}},
		Fee: &txtypes.Fee{Amount: sdk.NewCoins(sdk.NewCoin(c.gasPrice.Denom, feeAmt)), GasLimit: gas},
	}).Marshal()
}

// sign produces the raw transaction signed in SIGN_MODE_DIRECT.
func (c *Chain) sign(bodyBz []byte, gas uint64) ([]byte, error) {
	authBz, err := c.authInfo(gas)
	if err != nil {
		return nil, err
	}
	doc := txtypes.SignDoc{BodyBytes: bodyBz, AuthInfoBytes: authBz, ChainId: c.ID(), AccountNumber: c.seq.accNum}
	signBytes, err := doc.Marshal()
	if err != nil {
		return nil, err
	}
	sig, _, err := c.kr.Sign(c.keyUID, signBytes, signing.SignMode_SIGN_MODE_DIRECT)
	if err != nil {
		return nil, fmt.Errorf("chain %s: sign with key %q: %w", c.ID(), c.Config.Key, err)
	}
	return (&txtypes.TxRaw{BodyBytes: bodyBz, AuthInfoBytes: authBz, Signatures: [][]byte{sig}}).Marshal()
}

// waitTx polls until the transaction is in a block; one still missing
// dropAfterBlocks blocks later is reported as ErrDropped.
func (c *Chain) waitTx(ctx context.Context, hash []byte) (*ctypes.ResultTx, error) {
	start, _, err := c.Latest(ctx)
	if err != nil {
		return nil, err
	}
	for i := 0; ; i++ {
		res, err := c.RPC.Tx(ctx, hash, false)
		if err == nil {
			return res, nil
		}
		if i%10 == 9 {
			if h, _, herr := c.Latest(ctx); herr == nil && h >= start+dropAfterBlocks {
				return nil, fmt.Errorf("chain %s: tx %X not in a block after %d blocks: %w", c.ID(), hash, dropAfterBlocks, ErrDropped)
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
