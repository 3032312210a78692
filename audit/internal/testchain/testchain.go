// Package testchain is a chain of signed CometBFT headers for the auditor's
// tests: a light client provider over it, and a CometBFT RPC server serving
// it, so that vinaudit runs end to end without a node.
package testchain

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cometbft/cometbft/crypto"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/libs/bytes"
	cmtlog "github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/light/provider"
	"github.com/cometbft/cometbft/light/provider/mock"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmtversion "github.com/cometbft/cometbft/proto/tendermint/version"
	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	rpcserver "github.com/cometbft/cometbft/rpc/jsonrpc/server"
	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"
)

// Chain is a chain's signed headers and validator sets by height.
type Chain struct {
	ID      string
	Headers map[int64]*cmttypes.SignedHeader
	Vals    map[int64]*cmttypes.ValidatorSet
}

// Keys are n new validator keys.
func Keys(n int) []crypto.PrivKey {
	out := make([]crypto.PrivKey, n)
	for i := range out {
		out[i] = ed25519.GenPrivKey()
	}
	return out
}

// New is a chain of n headers signed by one validator set of keys, one a
// minute after start; fork, if not zero, makes the app hashes differ from
// that height on (the same validators signing another history: a fork).
// The same keys and start give the same headers, so a longer chain extends
// a shorter one.
func New(chainID string, keys []crypto.PrivKey, start time.Time, n, fork int64) Chain {
	vs := make([]*cmttypes.Validator, len(keys))
	for i, k := range keys {
		vs[i] = cmttypes.NewValidator(k.PubKey(), 10)
	}
	set := cmttypes.NewValidatorSet(vs)
	c := Chain{ID: chainID, Headers: map[int64]*cmttypes.SignedHeader{}, Vals: map[int64]*cmttypes.ValidatorSet{}}
	var last cmttypes.BlockID
	for h := int64(1); h <= n; h++ {
		app := binary.BigEndian.AppendUint64(nil, uint64(h))
		if fork != 0 && h >= fork {
			app = append(app, 0xf0)
		}
		sum := sha256.Sum256(app)
		header := &cmttypes.Header{
			Version: cmtversion.Consensus{Block: version.BlockProtocol}, ChainID: chainID, Height: h,
			Time: start.Add(time.Duration(h) * time.Minute), LastBlockID: last,
			ValidatorsHash: set.Hash(), NextValidatorsHash: set.Hash(), AppHash: sum[:],
			ConsensusHash: sum[:], LastResultsHash: sum[:], ProposerAddress: set.Validators[0].Address,
		}
		id := cmttypes.BlockID{Hash: header.Hash(), PartSetHeader: cmttypes.PartSetHeader{Total: 1, Hash: sum[:]}}
		c.Headers[h] = &cmttypes.SignedHeader{Header: header, Commit: &cmttypes.Commit{Height: h, Round: 1, BlockID: id, Signatures: sign(chainID, keys, set, header, id)}}
		c.Vals[h] = set
		last = id
	}
	return c
}

// sign is every validator's precommit for the header.
func sign(chainID string, keys []crypto.PrivKey, set *cmttypes.ValidatorSet, header *cmttypes.Header, id cmttypes.BlockID) []cmttypes.CommitSig {
	sigs := make([]cmttypes.CommitSig, len(keys))
	for _, k := range keys {
		idx, _ := set.GetByAddress(k.PubKey().Address())
		vote := &cmttypes.Vote{ValidatorAddress: k.PubKey().Address(), ValidatorIndex: idx, Height: header.Height, Round: 1,
			Timestamp: header.Time, Type: cmtproto.PrecommitType, BlockID: id}
		sig, err := k.Sign(cmttypes.VoteSignBytes(chainID, vote.ToProto()))
		if err != nil {
			panic(err) // ed25519 signing does not fail
		}
		vote.Signature = sig
		sigs[idx] = vote.CommitSig()
	}
	return sigs
}

// Provider serves the chain to a light client.
func (c Chain) Provider() provider.Provider { return mock.New(c.ID, c.Headers, c.Vals) }

// Serve serves the chain's headers over CometBFT RPC (commit, validators)
// until the test ends and returns its URL. Its abci_query never answers
// before the request is given up: a primary that stalls serving proofs.
func (c Chain) Serve(t testing.TB) string {
	mux := http.NewServeMux()
	rpcserver.RegisterRPCFuncs(mux, map[string]*rpcserver.RPCFunc{
		"commit":     rpcserver.NewRPCFunc(c.commit, "height"),
		"validators": rpcserver.NewRPCFunc(c.validators, "height,page,per_page"),
		"abci_query": rpcserver.NewRPCFunc(stall, "path,data,height,prove"),
	}, cmtlog.NewNopLogger())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func (c Chain) height(height *int64) (int64, error) {
	latest := int64(len(c.Headers))
	if height == nil || *height == 0 {
		return latest, nil
	}
	if *height > latest {
		return 0, fmt.Errorf("height %d must be less than or equal to the current blockchain height %d", *height, latest)
	}
	return *height, nil
}

func (c Chain) commit(_ *rpctypes.Context, height *int64) (*ctypes.ResultCommit, error) {
	h, err := c.height(height)
	if err != nil {
		return nil, err
	}
	return &ctypes.ResultCommit{SignedHeader: *c.Headers[h], CanonicalCommit: true}, nil
}

func (c Chain) validators(_ *rpctypes.Context, height *int64, _, _ *int) (*ctypes.ResultValidators, error) {
	h, err := c.height(height)
	if err != nil {
		return nil, err
	}
	vals := c.Vals[h].Validators
	return &ctypes.ResultValidators{BlockHeight: h, Validators: vals, Count: len(vals), Total: len(vals)}, nil
}

func stall(ctx *rpctypes.Context, _ string, _ bytes.HexBytes, _ int64, _ bool) (*ctypes.ResultABCIQuery, error) {
	<-ctx.Context().Done()
	return nil, ctx.Context().Err()
}
