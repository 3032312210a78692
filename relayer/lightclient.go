package relayer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

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
	h, _, err := counterparty.Latest(ctx)
	if err != nil {
		return "", err
	}
	sh, _, err := counterparty.signedHeader(ctx, h)
	if err != nil {
		return "", err
	}
	trusting, unbonding, err := counterparty.trustingPeriod(ctx)
	if err != nil {
		return "", err
	}
	cs := ibctm.NewClientState(counterparty.ID(), ibctm.DefaultTrustLevel, trusting, unbonding, maxClockDrift,
		counterparty.Height(h), commitmenttypes.GetSDKSpecs(), []string{"upgrade", "upgradedIBCState"})
	hdr, err := cmttypes.HeaderFromProto(sh.Header)
	if err != nil {
		return "", err
	}
	cons := ibctm.NewConsensusState(hdr.Time, commitmenttypes.NewMerkleRoot(hdr.AppHash), hdr.NextValidatorsHash)
	msg, err := clienttypes.NewMsgCreateClient(cs, cons, host.Signer())
	if err != nil {
		return "", err
	}
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

// attr returns the first value of key in an event of type typ.
// ClientInfo is what `status` shows about a light client.
type ClientInfo struct {
	ClientID       string
	Tracks         string
	LatestHeight   clienttypes.Height
	TrustingPeriod time.Duration
	// Left is how long until the client expires without an update.
	Left   time.Duration
	Frozen bool
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
	left := time.Until(cons.Timestamp.Add(cs.TrustingPeriod))
	return ClientInfo{ClientID: clientID, Tracks: cs.ChainId, LatestHeight: cs.LatestHeight, TrustingPeriod: cs.TrustingPeriod,
		Left: left, Frozen: !cs.FrozenHeight.IsZero()}, cs, nil
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

// updateTo returns the MsgUpdateClient that moves host's client of
// counterparty to height target, or nil if the client is already there or
// beyond (then the returned height is the client's, which proofs must use).
// Before trusting anything it checks that the header the client trusts
// matches the counterparty's own header at that height.
func updateTo(ctx context.Context, host *Chain, clientID string, counterparty *Chain, target int64) (sdk.Msg, int64, error) {
	info, cs, err := clientInfo(ctx, host, clientID)
	if err != nil {
		return nil, 0, err
	}
	if info.Frozen {
		return nil, 0, fmt.Errorf("%s: client %s of %s is frozen: it needs governance recovery (MsgRecoverClient)", host.ID(), clientID, counterparty.ID())
	}
	if info.Left <= 0 {
		return nil, 0, fmt.Errorf("%s: client %s of %s expired %s ago: it needs governance recovery (MsgRecoverClient)", host.ID(), clientID, counterparty.ID(), -info.Left)
	}
	trusted := int64(cs.LatestHeight.RevisionHeight)
	if trusted >= target {
		return nil, trusted, nil
	}
	if err := checkTrusted(ctx, host, clientID, counterparty, cs.LatestHeight); err != nil {
		return nil, 0, err
	}
	sh, vals, err := counterparty.signedHeader(ctx, target)
	if err != nil {
		return nil, 0, err
	}
	trustedVals, err := counterparty.validators(ctx, trusted+1)
	if err != nil {
		return nil, 0, err
	}
	hdr := &ibctm.Header{SignedHeader: sh, ValidatorSet: vals, TrustedHeight: cs.LatestHeight, TrustedValidators: trustedVals}
	msg, err := clienttypes.NewMsgUpdateClient(clientID, hdr, host.Signer())
	return msg, target, err
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
