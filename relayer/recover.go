package relayer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"
)

// Errors of a light client no update can move any more: only a governance
// recovery (MsgRecoverClient, drafted by `vinrelay client recover`) brings
// it back.
var (
	ErrClientExpired = errors.New("light client expired")
	ErrClientFrozen  = errors.New("light client frozen")
)

// Refusals of `vinrelay client recover`; each changes nothing on any chain.
var (
	// ErrClientActive: the client is active, there is nothing to recover
	// (ibc-go refuses to recover an active subject anyway).
	ErrClientActive = errors.New("light client is active: nothing to recover")
	// ErrPathNotLinked: the path has no client on the side asked for.
	ErrPathNotLinked = errors.New("path not linked")
	// ErrSubstituteMismatch: no substitute ibc-go would accept for the
	// subject can be built now (e.g. the tracked chain is not past the
	// height the subject trusts, as after a reset).
	ErrSubstituteMismatch = errors.New("no valid substitute")
)

// Recovery is one client's recovery as drafted: the subject (expired or
// frozen) on chain Host, the active substitute created beside it, and the
// governance proposal that has the host substitute one for the other.
type Recovery struct {
	Host, Tracks string
	// Status is the subject's status as its host's IBC module reports it
	// (Expired or Frozen).
	Status              string
	Subject, Substitute string
	SubstituteTrusting  time.Duration
	// VotingPeriod is the host's governance voting period: the substitute
	// must still be active when the proposal executes.
	VotingPeriod time.Duration
	Proposal     Proposal
	msg          *clienttypes.MsgRecoverClient
	deposit      sdk.Coins
}

// Proposal is a governance proposal in the JSON `<daemon> tx gov
// submit-proposal FILE` reads: messages as proto-JSON Anys.
type Proposal struct {
	Messages  []json.RawMessage `json:"messages"`
	Metadata  string            `json:"metadata"`
	Deposit   string            `json:"deposit"`
	Title     string            `json:"title"`
	Summary   string            `json:"summary"`
	Expedited bool              `json:"expedited"`
}

// RecoverSide is one end of a path whose client to recover.
type RecoverSide struct {
	End                PathEnd
	Host, Counterparty *Chain
}

// RecoverSides returns the ends of path p named by side ("a", "b" or "both"),
// each with its host chain (a hosts end A's client) and the chain the
// client tracks.
func RecoverSides(p PathConfig, side string, a, b *Chain) ([]RecoverSide, error) {
	all := []RecoverSide{{p.A, a, b}, {p.B, b, a}}
	var out []RecoverSide
	switch side {
	case "a":
		out = all[:1]
	case "b":
		out = all[1:]
	case "both", "":
		out = all
	default:
		return nil, fmt.Errorf("side %q: want a, b or both", side)
	}
	for _, s := range out {
		if s.End.ClientID == "" {
			return nil, fmt.Errorf("path %s: %w: no client on %s (run `vinrelay paths link %s`)", p.Name, ErrPathNotLinked, s.End.Chain, p.Name)
		}
	}
	return out, nil
}

// subject is a client that needs recovery, as read from its host.
type subject struct {
	RecoverSide
	status string
	state  *ibctm.ClientState
}

// RecoverClients drafts the recovery of every client of sides that its host
// reports expired or frozen: for each it creates a fresh substitute client
// on the same host (parameters copied from the subject, as ibc-go requires)
// and drafts the MsgRecoverClient proposal. Nothing is created unless every
// named side can be looked at, and at least one needs recovery; an active
// client among several sides is left alone, a single one is refused with
// ErrClientActive.
func RecoverClients(ctx context.Context, sides []RecoverSide) ([]Recovery, error) {
	var todo []subject
	var active []error
	for _, s := range sides {
		sub, err := readSubject(ctx, s)
		if errors.Is(err, ErrClientActive) {
			active = append(active, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		todo = append(todo, sub)
	}
	if len(todo) == 0 {
		return nil, errors.Join(active...)
	}
	out := make([]Recovery, 0, len(todo))
	for _, sub := range todo {
		msg, err := newClientMsg(ctx, sub.Host, sub.Counterparty, sub.state)
		if err != nil {
			return out, err
		}
		id, err := submitCreateClient(ctx, sub.Host, sub.Counterparty, msg)
		if err != nil {
			return out, err
		}
		rec, err := DraftRecovery(ctx, sub.Host, sub.End.ClientID, id)
		if err != nil {
			return out, fmt.Errorf("substitute %s created on %s, proposal not drafted: %w", id, sub.Host.ID(), err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// readSubject reads a side's client and its status by its host's IBC
// module, the same judgement MsgRecoverClient applies.
func readSubject(ctx context.Context, s RecoverSide) (subject, error) {
	status, err := clientStatus(ctx, s.Host, s.End.ClientID)
	if err != nil {
		return subject{}, err
	}
	if status == ibcexported.Active.String() {
		return subject{}, fmt.Errorf("%s: client %s of %s: %w", s.Host.ID(), s.End.ClientID, s.Counterparty.ID(), ErrClientActive)
	}
	if status != ibcexported.Expired.String() && status != ibcexported.Frozen.String() {
		return subject{}, fmt.Errorf("%s: client %s of %s has status %s: only an expired or frozen client can be recovered", s.Host.ID(), s.End.ClientID, s.Counterparty.ID(), status)
	}
	_, cs, err := clientInfo(ctx, s.Host, s.End.ClientID)
	if err != nil {
		return subject{}, err
	}
	if cs.ChainId != s.Counterparty.ID() {
		return subject{}, fmt.Errorf("%s: client %s tracks %s, not %s", s.Host.ID(), s.End.ClientID, cs.ChainId, s.Counterparty.ID())
	}
	return subject{RecoverSide: s, status: status, state: cs}, nil
}

func clientStatus(ctx context.Context, host *Chain, clientID string) (string, error) {
	res, err := clienttypes.NewQueryClient(host.Conn()).ClientStatus(ctx, &clienttypes.QueryClientStatusRequest{ClientId: clientID})
	if err != nil {
		return "", fmt.Errorf("%s: status of client %s: %w", host.ID(), clientID, err)
	}
	return res.Status, nil
}

// substituteState is the client state of a substitute for like, tracking
// chainID from height latest: like's parameters, so that ibc-go's
// IsMatchingClientState accepts it, with trusting as trusting period
// (ibc-go copies the substitute's into the subject).
func substituteState(like *ibctm.ClientState, trusting time.Duration, chainID string, latest clienttypes.Height) (*ibctm.ClientState, error) {
	if trusting >= like.UnbondingPeriod {
		return nil, fmt.Errorf("%w: trusting period %s is not shorter than the subject's unbonding period %s", ErrSubstituteMismatch, trusting, like.UnbondingPeriod)
	}
	if !latest.GT(like.LatestHeight) {
		return nil, fmt.Errorf("%w: %s is at %s, not past the subject's latest height %s", ErrSubstituteMismatch, chainID, latest, like.LatestHeight)
	}
	cs := *like
	cs.ChainId, cs.TrustingPeriod, cs.LatestHeight, cs.FrozenHeight = chainID, trusting, latest, clienttypes.ZeroHeight()
	return &cs, nil
}

// DraftRecovery drafts the proposal that has host's governance recover
// client subject with the (active) client substitute: one MsgRecoverClient
// signed by the gov module account (ibc-go's authority), the deposit
// host's governance asks at least (its min_deposit).
func DraftRecovery(ctx context.Context, host *Chain, subjectID, substituteID string) (Recovery, error) {
	status, err := clientStatus(ctx, host, subjectID)
	if err != nil {
		return Recovery{}, err
	}
	_, sub, err := clientInfo(ctx, host, substituteID)
	if err != nil {
		return Recovery{}, err
	}
	params, err := govv1.NewQueryClient(host.Conn()).Params(ctx, &govv1.QueryParamsRequest{})
	if err != nil {
		return Recovery{}, fmt.Errorf("%s: gov params: %w", host.ID(), err)
	}
	authority, err := sdk.Bech32ifyAddressBytes(host.cfg.AccountPrefix, authtypes.NewModuleAddress(govtypes.ModuleName))
	if err != nil {
		return Recovery{}, err
	}
	msg := clienttypes.NewMsgRecoverClient(authority, subjectID, substituteID)
	msgJSON, err := host.Codec().MarshalInterfaceJSON(msg)
	if err != nil {
		return Recovery{}, err
	}
	deposit := sdk.NewCoins(params.Params.MinDeposit...)
	rec := Recovery{Host: host.ID(), Tracks: sub.ChainId, Status: status, Subject: subjectID, Substitute: substituteID,
		SubstituteTrusting: sub.TrustingPeriod, msg: msg, deposit: deposit,
		Proposal: Proposal{Messages: []json.RawMessage{msgJSON}, Deposit: deposit.String(),
			Title: fmt.Sprintf("Recover IBC client %s of %s", subjectID, sub.ChainId),
			Summary: fmt.Sprintf("Client %s on %s, a light client of %s, is %s: no relayer can update it. This proposal substitutes "+
				"client %s (created at %s of %s with the same parameters) for it: ibc-go copies %s's latest consensus state into %s, "+
				"which stays the client of its connections and channels, so their pending packets can be relayed again.",
				subjectID, host.ID(), sub.ChainId, status, substituteID, sub.LatestHeight, sub.ChainId, substituteID, subjectID)}}
	if vp := params.Params.VotingPeriod; vp != nil {
		rec.VotingPeriod = *vp
	}
	return rec, nil
}

// SubmitProposal submits a drafted recovery as proposer (a key of vinrelay's
// keyring on the host chain) with its deposit and returns the proposal id.
func SubmitProposal(ctx context.Context, proposer *Chain, rec Recovery) (uint64, error) {
	if proposer.ID() != rec.Host {
		return 0, fmt.Errorf("proposal for %s cannot be submitted on %s", rec.Host, proposer.ID())
	}
	msg, err := govv1.NewMsgSubmitProposal([]sdk.Msg{rec.msg}, rec.deposit, proposer.Signer(), rec.Proposal.Metadata,
		rec.Proposal.Title, rec.Proposal.Summary, false)
	if err != nil {
		return 0, err
	}
	res, err := proposer.Submit(ctx, msg)
	if err != nil {
		return 0, fmt.Errorf("%s: submit recovery proposal: %w", proposer.ID(), err)
	}
	var id uint64
	if _, err := fmt.Sscan(res.Attr(govtypes.EventTypeSubmitProposal, govtypes.AttributeKeyProposalID), &id); err != nil {
		return 0, fmt.Errorf("%s: no proposal id in tx %s", proposer.ID(), res.Hash)
	}
	return id, nil
}
