package relayer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	hostkeys "github.com/cosmos/ibc-go/v11/modules/core/24-host"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"

	"github.com/vinhub/vinhub/client"
)

// Misbehaviour watch: every update of a path's light client that the event
// feed sees, and that vinrelay did not submit itself, is checked against
// the tracked chain's own header at the height it added. A client trusting
// a header the chain never produced is fed forged state from then on, so on
// a conflict vinrelay submits the evidence (the forged header and the
// chain's real one, a 07-tendermint Misbehaviour), which freezes the client
// on its host, and halts the path.

// clientUpdate is one consensus height an update_client event of an end's
// client added, with the height of the host block that carried it.
type clientUpdate struct {
	hostHeight int64
	height     clienttypes.Height
	// attempts is how many checks of it failed.
	attempts int
}

// clientUpdates reads the updates of clientID among a block's events. A
// height that does not parse is skipped: ibc-go writes them, and one it
// cannot read is no evidence of anything.
func clientUpdates(b Block, clientID string) []clientUpdate {
	var out []clientUpdate
	for _, ev := range b.Events {
		if ev.Type != clienttypes.EventTypeUpdateClient || ev.Attrs[clienttypes.AttributeKeyClientID] != clientID {
			continue
		}
		for _, s := range strings.Split(ev.Attrs[clienttypes.AttributeKeyConsensusHeights], ",") {
			if h, err := clienttypes.ParseHeight(s); err == nil && !h.IsZero() {
				out = append(out, clientUpdate{hostHeight: b.Height, height: h})
			}
		}
	}
	return out
}

// checkUpdate compares the consensus state host's client of counterparty
// holds at u.height with counterparty's own header there. On a conflict it
// returns the MsgUpdateClient carrying the misbehaviour and an
// ErrConflictingHeader; nil, nil when the update is honest.
func checkUpdate(ctx context.Context, host *Chain, clientID string, counterparty *Chain, u clientUpdate) (sdk.Msg, error) {
	conflict := checkTrusted(ctx, host, clientID, counterparty, u.height)
	if !errors.Is(conflict, ErrConflictingHeader) {
		return nil, conflict // honest (nil), or not checked: a query failed
	}
	cons, err := consensusAt(ctx, host, clientID, u.height)
	if err != nil {
		return nil, fmt.Errorf("%w (reading it again to build the evidence: %v)", conflict, err)
	}
	if u.hostHeight == 0 {
		if u.hostHeight, err = processedAt(ctx, host, clientID, u.height); err != nil {
			return nil, fmt.Errorf("%w (%v)", conflict, err)
		}
	}
	block, err := host.RPC.Block(ctx, &u.hostHeight)
	if err != nil {
		return nil, fmt.Errorf("%w (reading host block %d for the forged header: %v)", conflict, u.hostHeight, err)
	}
	txs := make([][]byte, len(block.Block.Txs))
	for i, tx := range block.Block.Txs {
		txs[i] = tx
	}
	forged, err := forgedHeader(host.Codec(), txs, clientID, cons)
	if err != nil {
		return nil, fmt.Errorf("%w (in host block %d: %v)", conflict, u.hostHeight, err)
	}
	real, vals, err := counterparty.signedHeader(ctx, int64(u.height.RevisionHeight))
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", conflict, err)
	}
	trustedVals, err := counterparty.validators(ctx, int64(forged.TrustedHeight.RevisionHeight)+1)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", conflict, err)
	}
	msg, err := misbehaviourMsg(clientID, forged, real, vals, trustedVals, host.Signer())
	if err != nil {
		return nil, fmt.Errorf("%w (building the evidence: %v)", conflict, err)
	}
	return msg, conflict
}

// processedAt is the height of the host block that stored clientID's
// consensus state at h: ibc-go records it beside the consensus state.
func processedAt(ctx context.Context, host *Chain, clientID string, h clienttypes.Height) (int64, error) {
	v, _, err := client.ProveKey(ctx, host.RPC, ibcexported.StoreKey, hostkeys.FullClientKey(clientID, ibctm.ProcessedHeightKey(h)), 0)
	if err != nil {
		return 0, fmt.Errorf("%s: processed height of %s at %s: %w", host.ID(), clientID, h, err)
	}
	processed, err := clienttypes.ParseHeight(string(v))
	if err != nil {
		return 0, fmt.Errorf("%s: processed height of %s at %s: %w", host.ID(), clientID, h, err)
	}
	return int64(processed.RevisionHeight), nil
}

// forgedHeader finds, among a block's raw transactions, the 07-tendermint
// header of a MsgUpdateClient of clientID whose consensus state is cons.
func forgedHeader(cdc codec.Codec, txs [][]byte, clientID string, cons *ibctm.ConsensusState) (*ibctm.Header, error) {
	for _, raw := range txs {
		var tx txtypes.TxRaw
		var body txtypes.TxBody
		if tx.Unmarshal(raw) != nil || body.Unmarshal(tx.BodyBytes) != nil {
			continue // not a Cosmos SDK tx: not ours to read
		}
		for _, a := range body.Messages {
			if a.TypeUrl != sdk.MsgTypeURL(&clienttypes.MsgUpdateClient{}) {
				continue
			}
			var m clienttypes.MsgUpdateClient
			if cdc.Unmarshal(a.Value, &m) != nil || m.ClientId != clientID || m.ClientMessage == nil {
				continue
			}
			var cm ibcexported.ClientMessage
			if cdc.UnpackAny(m.ClientMessage, &cm) != nil {
				continue
			}
			if h, ok := cm.(*ibctm.Header); ok && sameConsensus(h.ConsensusState(), cons) {
				return h, nil
			}
		}
	}
	return nil, fmt.Errorf("no MsgUpdateClient of %s with app hash %X found", clientID, cons.Root.GetHash())
}

func sameConsensus(a, b *ibctm.ConsensusState) bool {
	return bytes.Equal(a.Root.GetHash(), b.Root.GetHash()) && bytes.Equal(a.NextValidatorsHash, b.NextValidatorsHash) && a.Timestamp.Equal(b.Timestamp)
}

// misbehaviourMsg is the MsgUpdateClient that freezes clientID: a
// 07-tendermint Misbehaviour of the forged header and the chain's real
// header at the same height, the real one trusted from the height the
// forged one claimed to be trusted from (trustedVals: the validators the
// chain had at that height + 1).
func misbehaviourMsg(clientID string, forged *ibctm.Header, real *cmtproto.SignedHeader, vals, trustedVals *cmtproto.ValidatorSet, signer string) (sdk.Msg, error) {
	honest := &ibctm.Header{SignedHeader: real, ValidatorSet: vals, TrustedHeight: forged.TrustedHeight, TrustedValidators: trustedVals}
	mis := ibctm.NewMisbehaviour(clientID, forged, honest)
	if err := mis.ValidateBasic(); err != nil {
		return nil, err
	}
	return clienttypes.NewMsgUpdateClient(clientID, mis, signer)
}

// Evidence is submitted up to evidenceAttempts times, evidenceRetry apart,
// unless the chain refuses it: a node unreachable for a moment must not
// cost the only chance to freeze the client.
const (
	evidenceAttempts = 3
	evidenceRetry    = 2 * time.Second
)

// refused reports whether the chain itself refused a tx (it would again).
func refused(err error) bool {
	var refusal *client.ABCIError
	return errors.As(err, &refusal)
}

// submitEvidence submits a misbehaviour msg on end k and returns the error
// that halts the path: conflict, saying whether the client is now frozen.
func (r *PathRelayer) submitEvidence(ctx context.Context, k int, msg sdk.Msg, conflict error) error {
	x := r.io[k]
	res, err := x.Submit(ctx, msg)
	for attempt := 1; err != nil && attempt < evidenceAttempts && !refused(err) && ctx.Err() == nil; attempt++ {
		r.log.Warn("submitting misbehaviour evidence failed; retrying", "chain", x.ID(), "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(evidenceRetry):
		}
		res, err = x.Submit(ctx, msg)
	}
	if err != nil {
		r.m.Misbehaviour.WithLabelValues(r.cfg.Name, x.ID(), "submit_failed").Inc()
		return fmt.Errorf("%w; submitting the misbehaviour failed: %v", conflict, err)
	}
	r.m.Misbehaviour.WithLabelValues(r.cfg.Name, x.ID(), "submitted").Inc()
	return fmt.Errorf("%w; misbehaviour submitted in tx %s at height %d: the client is frozen", conflict, res.Hash, res.Height)
}

// checkAttempts: an update whose check keeps failing (a query error, e.g.
// a node that pruned the height) is given up after this many steps.
const checkAttempts = 5

// watchUpdates checks the client updates of end k seen since the last
// step that vinrelay did not submit; on a conflict it submits the evidence
// and returns an ErrConflictingHeader, which halts the path. An update
// that cannot be checked yet is retried at the next steps without holding
// up relaying: vinrelay's own updates are trusted only from the client's
// latest consensus state, which it checks before each update.
func (r *PathRelayer) watchUpdates(ctx context.Context, k int) error {
	r.mu.Lock()
	updates := r.updates[k]
	r.updates[k] = nil
	r.mu.Unlock()
	var retry []clientUpdate
	for _, u := range updates {
		if r.ownUpdate(k, u.height) {
			continue
		}
		msg, err := r.io[k].checkUpdate(ctx, u)
		switch {
		case msg != nil:
			return r.submitEvidence(ctx, k, msg, err)
		case errors.Is(err, ErrConflictingHeader):
			r.m.Misbehaviour.WithLabelValues(r.cfg.Name, r.io[k].ID(), "no_evidence").Inc()
			return err
		case err != nil && ctx.Err() == nil:
			u.attempts++
			if u.attempts < checkAttempts {
				retry = append(retry, u)
				continue
			}
			r.m.Errors.WithLabelValues(r.io[k].ID(), "update_unchecked").Inc()
			r.log.Warn("client update could not be checked for misbehaviour; giving up on it", "chain", r.io[k].ID(),
				"host_height", u.hostHeight, "consensus_height", u.height, "err", err)
		}
	}
	r.requeue(k, retry)
	return nil
}

// latestConflict handles a conflict found at the latest height end k's
// client trusts (before updating or refreshing it, whoever submitted it):
// the evidence is built from that update's host block and submitted. The
// returned error halts the path either way.
func (r *PathRelayer) latestConflict(ctx context.Context, k int, conflict error) error {
	info, err := r.io[k].client(ctx)
	if err != nil {
		return fmt.Errorf("%w (reading the client to build the evidence: %v)", conflict, err)
	}
	msg, err := r.io[k].checkUpdate(ctx, clientUpdate{height: info.LatestHeight})
	if msg == nil {
		r.m.Misbehaviour.WithLabelValues(r.cfg.Name, r.io[k].ID(), "no_evidence").Inc()
		return fmt.Errorf("%w (no evidence built: %v)", conflict, err)
	}
	return r.submitEvidence(ctx, k, msg, err)
}

// ownUpdate reports whether vinrelay itself moved end k's client to h. It
// forgets h and every lower height: updates show up in host block order, so
// a lower one still remembered came from a tx that failed.
func (r *PathRelayer) ownUpdate(k int, h clienttypes.Height) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	own := r.own[k][h]
	maps.DeleteFunc(r.own[k], func(o clienttypes.Height, _ bool) bool { return o.LTE(h) })
	return own
}

// requeue puts updates that could not be checked (a query failed) back
// in front of those seen since.
func (r *PathRelayer) requeue(k int, updates []clientUpdate) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.updates[k] = append(append([]clientUpdate{}, updates...), r.updates[k]...)
}

// recordOwn remembers the heights vinrelay's own update msgs move end k's
// client to, so the watch does not check them.
func (r *PathRelayer) recordOwn(k int, msgs []sdk.Msg) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		if u, ok := m.(*clienttypes.MsgUpdateClient); ok {
			if h, ok := u.ClientMessage.GetCachedValue().(*ibctm.Header); ok {
				r.own[k][h.GetHeight().(clienttypes.Height)] = true
			}
		}
	}
}
