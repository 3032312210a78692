package relayer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cometbft/cometbft/light"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"
)

// ErrConflictingHeader means the chain a light client tracks shows a header
// that differs from the one the client already trusts at the same height:
// evidence of misbehaviour. vinrelay reports it and stops relaying the path.
var ErrConflictingHeader = errors.New("conflicting header (misbehaviour)")

// maxClockDrift tolerated between the chains' clocks.
const maxClockDrift = 20 * time.Second

// signedHeader fetches the signed header and validator set of height h.
func (c *Chain) signedHeader(ctx context.Context, h int64) (*cmtproto.SignedHeader, *cmtproto.ValidatorSet, error) {
	commit, err := c.RPC.Commit(ctx, &h)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: commit %d: %w", c.ID(), h, err)
	}
	vals, err := c.validators(ctx, h)
	if err != nil {
		return nil, nil, err
	}
	return commit.SignedHeader.ToProto(), vals, nil
}

func (c *Chain) validators(ctx context.Context, h int64) (*cmtproto.ValidatorSet, error) {
	var all []*cmttypes.Validator
	for page := 1; ; page++ {
		perPage := 100
		res, err := c.RPC.Validators(ctx, &h, &page, &perPage)
		if err != nil {
			return nil, fmt.Errorf("%s: validators %d: %w", c.ID(), h, err)
		}
		all = append(all, res.Validators...)
		if len(all) >= res.Total {
			break
		}
	}
	set, err := cmttypes.NewValidatorSet(all).ToProto()
	if err != nil {
		return nil, fmt.Errorf("%s: validators %d: %w", c.ID(), h, err)
	}
	return set, nil
}

// trustingPeriod of a client tracking this chain.
func (c *Chain) trustingPeriod(ctx context.Context) (time.Duration, time.Duration, error) {
	res, err := stakingtypes.NewQueryClient(c.Conn()).Params(ctx, &stakingtypes.QueryParamsRequest{})
	if err != nil {
		return 0, 0, fmt.Errorf("%s: staking params: %w", c.ID(), err)
	}
	unbonding := res.Params.UnbondingTime
	if c.cfg.TrustingPeriod.Duration > 0 {
		if c.cfg.TrustingPeriod.Duration >= unbonding {
			return 0, 0, fmt.Errorf("%s: trusting_period %s must be shorter than the unbonding period %s", c.ID(), c.cfg.TrustingPeriod, unbonding)
		}
		return c.cfg.TrustingPeriod.Duration, unbonding, nil
	}
	return unbonding * 2 / 3, unbonding, nil
}

// CreateClient creates, on host, a 07-tendermint client of counterparty at
// its latest height and returns the new client id.
func CreateClient(ctx context.Context, host, counterparty *Chain) (string, error) {
	msg, err := newClientMsg(ctx, host, counterparty, nil)
	if err != nil {
		return "", err
	}
	return submitCreateClient(ctx, host, counterparty, msg)
}

// newClientMsg is the MsgCreateClient of a client of counterparty at its
// latest height. With like nil the client's parameters come from the
// counterparty (its unbonding period) and the chain's trusting_period; with
// like set, every parameter ibc-go requires a recovery's substitute to share
// with the subject (trust level, unbonding period, clock drift, proof specs,
// upgrade path) is copied from like, so the new client can replace it.
func newClientMsg(ctx context.Context, host, counterparty *Chain, like *ibctm.ClientState) (*clienttypes.MsgCreateClient, error) {
	h, _, err := counterparty.Latest(ctx)
	if err != nil {
		return nil, err
	}
	sh, _, err := counterparty.signedHeader(ctx, h)
	if err != nil {
		return nil, err
	}
	trusting, unbonding, err := counterparty.trustingPeriod(ctx)
	if err != nil {
		return nil, err
	}
	cs := ibctm.NewClientState(counterparty.ID(), ibctm.DefaultTrustLevel, trusting, unbonding, maxClockDrift,
		counterparty.Height(h), commitmenttypes.GetSDKSpecs(), []string{"upgrade", "upgradedIBCState"})
	if like != nil {
		if cs, err = substituteState(like, trusting, counterparty.ID(), counterparty.Height(h)); err != nil {
			return nil, fmt.Errorf("%s: substitute for a client of %s: %w", host.ID(), counterparty.ID(), err)
		}
	}
	hdr, err := cmttypes.HeaderFromProto(sh.Header)
	if err != nil {
		return nil, err
	}
	cons := ibctm.NewConsensusState(hdr.Time, commitmenttypes.NewMerkleRoot(hdr.AppHash), hdr.NextValidatorsHash)
	return clienttypes.NewMsgCreateClient(cs, cons, host.Signer())
}

func submitCreateClient(ctx context.Context, host, counterparty *Chain, msg *clienttypes.MsgCreateClient) (string, error) {
	res, err := host.Submit(ctx, msg)
	if err != nil {
		return "", fmt.Errorf("create client of %s on %s: %w", counterparty.ID(), host.ID(), err)
	}
	id := res.Attr(clienttypes.EventTypeCreateClient, clienttypes.AttributeKeyClientID)
	if id == "" {
		return "", fmt.Errorf("create client on %s: no client id in tx %s", host.ID(), res.Hash)
	}
	return id, nil
}

// ClientInfo is what `status` shows about a light client.
type ClientInfo struct {
	ClientID       string
	Tracks         string
	LatestHeight   clienttypes.Height
	TrustingPeriod time.Duration
	// Left is how long until the client expires without an update, by the
	// host's latest block time HostTime.
	Left     time.Duration
	HostTime time.Time
	Frozen   bool
}

// clientInfo reads a client on host and its latest consensus state.
func clientInfo(ctx context.Context, host *Chain, clientID string) (ClientInfo, *ibctm.ClientState, error) {
	q := clienttypes.NewQueryClient(host.Conn())
	res, err := q.ClientState(ctx, &clienttypes.QueryClientStateRequest{ClientId: clientID})
	if err != nil {
		return ClientInfo{}, nil, fmt.Errorf("%s: client %s: %w", host.ID(), clientID, err)
	}
	var state ibcexported.ClientState
	if err := host.Codec().UnpackAny(res.ClientState, &state); err != nil {
		return ClientInfo{}, nil, fmt.Errorf("%s: client %s: %w", host.ID(), clientID, err)
	}
	cs, ok := state.(*ibctm.ClientState)
	if !ok {
		return ClientInfo{}, nil, fmt.Errorf("%s: client %s is a %s client, not 07-tendermint", host.ID(), clientID, state.ClientType())
	}
	cons, err := consensusAt(ctx, host, clientID, cs.LatestHeight)
	if err != nil {
		return ClientInfo{}, nil, err
	}
	_, now, err := host.Latest(ctx)
	if err != nil {
		return ClientInfo{}, nil, err
	}
	return ClientInfo{ClientID: clientID, Tracks: cs.ChainId, LatestHeight: cs.LatestHeight, TrustingPeriod: cs.TrustingPeriod,
		Left: timeLeft(cs, cons, now), HostTime: now, Frozen: !cs.FrozenHeight.IsZero()}, cs, nil
}

// timeLeft is how long a client trusting cons has before it expires, by
// its host's block time now: ibc-go judges expiry by block time, so a
// host whose clock (or block production) lags keeps a client alive longer
// than the relayer's own clock would say.
func timeLeft(cs *ibctm.ClientState, cons *ibctm.ConsensusState, now time.Time) time.Duration {
	return cons.Timestamp.Add(cs.TrustingPeriod).Sub(now)
}

func consensusAt(ctx context.Context, host *Chain, clientID string, h clienttypes.Height) (*ibctm.ConsensusState, error) {
	res, err := clienttypes.NewQueryClient(host.Conn()).ConsensusState(ctx, &clienttypes.QueryConsensusStateRequest{
		ClientId: clientID, RevisionNumber: h.RevisionNumber, RevisionHeight: h.RevisionHeight})
	if err != nil {
		return nil, fmt.Errorf("%s: consensus state of %s at %s: %w", host.ID(), clientID, h, err)
	}
	var state ibcexported.ConsensusState
	if err := host.Codec().UnpackAny(res.ConsensusState, &state); err != nil {
		return nil, err
	}
	cons, ok := state.(*ibctm.ConsensusState)
	if !ok {
		return nil, fmt.Errorf("%s: consensus state of %s is %s, not 07-tendermint", host.ID(), clientID, state.ClientType())
	}
	return cons, nil
}

// updateTo returns the MsgUpdateClients that move host's client of
// counterparty to height target, none if the client is already there or
// beyond (then the returned height is the client's, which proofs must use).
// Before trusting anything it checks that the header the client trusts
// matches the counterparty's own header at that height. Expiry and every
// header's verification are judged by host's latest block time, as ibc-go
// judges them, never by the local clock.
func updateTo(ctx context.Context, host *Chain, clientID string, counterparty *Chain, target int64) ([]sdk.Msg, int64, error) {
	info, cs, err := clientInfo(ctx, host, clientID)
	if err != nil {
		return nil, 0, err
	}
	if info.Frozen {
		return nil, 0, fmt.Errorf("%s: client %s of %s: %w: it needs governance recovery (`vinrelay client recover PATH`)", host.ID(), clientID, counterparty.ID(), ErrClientFrozen)
	}
	if info.Left <= 0 {
		return nil, 0, fmt.Errorf("%s: client %s of %s: %w %s ago by the chain's time: it needs governance recovery (`vinrelay client recover PATH`)", host.ID(), clientID, counterparty.ID(), ErrClientExpired, -info.Left)
	}
	trusted := int64(cs.LatestHeight.RevisionHeight)
	if trusted >= target {
		return nil, trusted, nil
	}
	if err := checkTrusted(ctx, host, clientID, counterparty, cs.LatestHeight); err != nil {
		return nil, 0, err
	}
	cons, err := consensusAt(ctx, host, clientID, cs.LatestHeight)
	if err != nil {
		return nil, 0, err
	}
	headers, err := updateHeaders(ctx, counterparty, cs, cons, target, info.HostTime)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: client %s of %s: %w", host.ID(), clientID, counterparty.ID(), err)
	}
	msgs := make([]sdk.Msg, len(headers))
	for i, hdr := range headers {
		if msgs[i], err = clienttypes.NewMsgUpdateClient(clientID, hdr, host.Signer()); err != nil {
			return nil, 0, err
		}
	}
	return msgs, target, nil
}

// headerSource serves a chain's signed headers and validator sets: the
// chain's RPC, or a test's chain in memory.
type headerSource interface {
	signedHeader(ctx context.Context, h int64) (*cmtproto.SignedHeader, *cmtproto.ValidatorSet, error)
	validators(ctx context.Context, h int64) (*cmtproto.ValidatorSet, error)
}

// updateHeaders returns the headers that move a client (state cs, trusting
// cons at its latest height) to target, each one verifiable by ibc-go from
// the one before. One header when enough of the trusted validators still
// sign at target; when the validator set changed by more than the client's
// trust level, the CometBFT light client's bisection: try target, and on
// "new validator set can't be trusted" halve the step, until a header
// verifies; trust it and go on from there to target. now is the host's
// latest block time (or a header's, if newer): expiry is never judged by
// the local clock.
func updateHeaders(ctx context.Context, src headerSource, cs *ibctm.ClientState, cons *ibctm.ConsensusState, target int64, now time.Time) ([]*ibctm.Header, error) {
	// What ibc-go verifies against: the consensus state's fields only.
	from := &cmttypes.SignedHeader{Header: &cmttypes.Header{ChainID: cs.ChainId, Height: int64(cs.LatestHeight.RevisionHeight),
		Time: cons.Timestamp, NextValidatorsHash: cons.NextValidatorsHash}}
	blocks := map[int64]*cmttypes.LightBlock{}
	var out []*ibctm.Header
	for from.Height < target {
		trustedVals, err := src.validators(ctx, from.Height+1)
		if err != nil {
			return nil, err
		}
		next, err := verifiedStep(ctx, src, blocks, from, trustedVals, target, cs, now)
		if err != nil {
			return nil, err
		}
		sh, vals, err := protoLightBlock(next)
		if err != nil {
			return nil, err
		}
		out = append(out, &ibctm.Header{SignedHeader: sh, ValidatorSet: vals,
			TrustedHeight: clienttypes.NewHeight(cs.LatestHeight.RevisionNumber, uint64(from.Height)), TrustedValidators: trustedVals})
		from = next.SignedHeader
	}
	return out, nil
}

// verifiedStep finds the highest header up to target (halving the step
// each time the trusted validators no longer carry the trust level) that
// verifies from the trusted header.
func verifiedStep(ctx context.Context, src headerSource, blocks map[int64]*cmttypes.LightBlock, from *cmttypes.SignedHeader,
	trustedProto *cmtproto.ValidatorSet, target int64, cs *ibctm.ClientState, now time.Time,
) (*cmttypes.LightBlock, error) {
	trustedVals, err := cmttypes.ValidatorSetFromProto(trustedProto)
	if err != nil {
		return nil, fmt.Errorf("validators at %d: %w", from.Height+1, err)
	}
	for to := target; ; to = from.Height + (to-from.Height)/2 {
		lb, err := lightBlock(ctx, src, blocks, to)
		if err != nil {
			return nil, err
		}
		// ibc-go verifies at the time of the block that includes the update,
		// later than the host's latest: a header newer than that is not
		// "from the future" yet, and expiry is judged no more leniently.
		at := now
		if lb.Time.After(at) {
			at = lb.Time
		}
		err = light.Verify(from, trustedVals, lb.SignedHeader, lb.ValidatorSet, cs.TrustingPeriod, at, cs.MaxClockDrift, cs.TrustLevel.ToTendermint())
		var tooNew light.ErrNewValSetCantBeTrusted
		switch {
		case err == nil:
			return lb, nil
		case errors.As(err, &tooNew) && to > from.Height+1:
			continue
		case errors.As(err, new(light.ErrOldHeaderExpired)):
			return nil, fmt.Errorf("trusted height %d: %w by the chain's time %s: it needs governance recovery (`vinrelay client recover PATH`): %w", from.Height, ErrClientExpired, now.UTC(), err)
		default:
			return nil, fmt.Errorf("header %d does not verify from trusted height %d: %w", to, from.Height, err)
		}
	}
}

// lightBlock is height h's signed header and validators, fetched once.
func lightBlock(ctx context.Context, src headerSource, blocks map[int64]*cmttypes.LightBlock, h int64) (*cmttypes.LightBlock, error) {
	if lb := blocks[h]; lb != nil {
		return lb, nil
	}
	sh, vals, err := src.signedHeader(ctx, h)
	if err != nil {
		return nil, err
	}
	lb, err := cmttypes.LightBlockFromProto(&cmtproto.LightBlock{SignedHeader: sh, ValidatorSet: vals})
	if err != nil {
		return nil, fmt.Errorf("header %d: %w", h, err)
	}
	blocks[h] = lb
	return lb, nil
}

func protoLightBlock(lb *cmttypes.LightBlock) (*cmtproto.SignedHeader, *cmtproto.ValidatorSet, error) {
	p, err := lb.ToProto()
	if err != nil {
		return nil, nil, err
	}
	return p.SignedHeader, p.ValidatorSet, nil
}

// checkTrusted compares the consensus state a client holds at h with the
// counterparty's header at h.
func checkTrusted(ctx context.Context, host *Chain, clientID string, counterparty *Chain, h clienttypes.Height) error {
	cons, err := consensusAt(ctx, host, clientID, h)
	if err != nil {
		return err
	}
	height := int64(h.RevisionHeight)
	res, err := counterparty.RPC.Header(ctx, &height)
	if err != nil {
		return fmt.Errorf("%s: header %d: %w", counterparty.ID(), height, err)
	}
	if err := compareTrusted(cons, res.Header); err != nil {
		host.m.Errors.WithLabelValues(host.ID(), "misbehaviour").Inc()
		return fmt.Errorf("client %s on %s, %s at %s: %w", clientID, host.ID(), counterparty.ID(), h, err)
	}
	return nil
}

// compareTrusted reports ErrConflictingHeader when a client's consensus
// state is not the one the chain's own header at that height commits to.
func compareTrusted(cons *ibctm.ConsensusState, hdr *cmttypes.Header) error {
	if !bytes.Equal(cons.Root.GetHash(), hdr.AppHash) || !bytes.Equal(cons.NextValidatorsHash, hdr.NextValidatorsHash) || !cons.Timestamp.Equal(hdr.Time) {
		return fmt.Errorf("%w: the client trusts app hash %X, next validators %X, time %s; the chain's header has %X, %X, %s",
			ErrConflictingHeader, cons.Root.GetHash(), cons.NextValidatorsHash, cons.Timestamp.UTC(), hdr.AppHash, hdr.NextValidatorsHash, hdr.Time.UTC())
	}
	return nil
}
