package testnet

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
)

// PassProposal submits a GovProposal-style tx command (e.g. "vehicle",
// "register-dealer", ...) as the validator, votes yes with the validator and
// waits until the proposal has passed. On a single-validator chain the
// validator's vote decides.
func (n *Node) PassProposal(ctx context.Context, title string, txArgs ...string) (uint64, error) {
	return passProposal(ctx, []*Node{n}, title, txArgs...)
}

// PassProposal is Node.PassProposal on a chain of several validators: node 0
// submits, and every node's validator votes yes through its own node.
func (c *Chain) PassProposal(ctx context.Context, title string, txArgs ...string) (uint64, error) {
	return passProposal(ctx, c.Nodes, title, txArgs...)
}

// proposalAttempts bounds how often a proposal is submitted again when its
// votes reached the chain after its (short, test-sized) voting period ended.
const proposalAttempts = 3

// passProposal submits through voters[0] and votes yes as each voter's
// validator. On a loaded machine a vote may land after a short voting period
// has ended (gov's ErrInactiveProposal); the proposal, which then fails for
// lack of quorum, is submitted again.
func passProposal(ctx context.Context, voters []*Node, title string, txArgs ...string) (uint64, error) {
	for attempt := 1; ; attempt++ {
		id, err := submitAndPass(ctx, voters, title, txArgs...)
		if !errors.Is(err, errVoteTooLate) || attempt == proposalAttempts {
			return id, err
		}
	}
}

// errVoteTooLate: a yes vote reached the chain after the voting period.
var errVoteTooLate = errors.New("vote landed after the voting period")

func submitAndPass(ctx context.Context, voters []*Node, title string, txArgs ...string) (uint64, error) {
	n := voters[0]
	args := append(txArgs, "--deposit", "1000"+n.Denom, "--title", title, "--summary", title)
	res, err := n.Tx(ctx, ValidatorKey, args...)
	if err != nil {
		return 0, err
	}
	if res.Code != 0 {
		return 0, fmt.Errorf("submit proposal %q: code %d: %s", title, res.Code, res.RawLog)
	}
	var props struct {
		Proposals []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"proposals"`
	}
	if err := n.Query(ctx, &props, "gov", "proposals"); err != nil {
		return 0, err
	}
	if len(props.Proposals) == 0 {
		return 0, fmt.Errorf("proposal %q not found after submission", title)
	}
	return awaitPassed(ctx, voters, props.Proposals[len(props.Proposals)-1].ID, title)
}

// PassSubmitted has every validator of the chain vote yes on proposal id,
// submitted by someone else (e.g. `vinrelay client recover --submit`), and
// waits until it has passed.
func (c *Chain) PassSubmitted(ctx context.Context, id uint64) error {
	_, err := awaitPassed(ctx, c.Nodes, fmt.Sprint(id), fmt.Sprintf("proposal %d", id))
	return err
}

// awaitPassed votes yes as every voter's validator on proposal id and
// waits until it has passed.
func awaitPassed(ctx context.Context, voters []*Node, id, title string) (uint64, error) {
	n := voters[0]
	if err := voteYes(ctx, voters, id); err != nil {
		return 0, err
	}
	for {
		var p struct {
			Proposal struct {
				Status        string `json:"status"`
				FailedReason  string `json:"failed_reason"`
				VotingEndTime string `json:"voting_end_time"`
			} `json:"proposal"`
		}
		if err := n.Query(ctx, &p, "gov", "proposal", id); err != nil {
			return 0, err
		}
		switch p.Proposal.Status {
		case "PROPOSAL_STATUS_PASSED":
			var pid uint64
			_, err := fmt.Sscan(id, &pid)
			return pid, err
		case "PROPOSAL_STATUS_REJECTED", "PROPOSAL_STATUS_FAILED":
			return 0, fmt.Errorf("proposal %s %q: %s %s", id, title, p.Proposal.Status, p.Proposal.FailedReason)
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("proposal %s still %s: %w", id, p.Proposal.Status, ctx.Err())
		case <-time.After(time.Second):
		}
	}
}

// voteYes has every voter's validator vote yes at once, so that all votes
// land within a short voting period.
func voteYes(ctx context.Context, voters []*Node, id string) error {
	errs := make([]error, len(voters))
	var wg sync.WaitGroup
	for i, v := range voters {
		wg.Go(func() {
			// Fixed gas: a vote refused as too late then reaches a block and
			// comes back with gov's registered code, not as a simulation error.
			res, err := v.Tx(ctx, ValidatorKey, "gov", "vote", id, "yes", "--gas", "200000")
			switch {
			case err == nil && res.Codespace == govtypes.ModuleName && res.Code == govtypes.ErrInactiveProposal.ABCICode():
				err = errVoteTooLate
			case err == nil && res.Code != 0:
				err = fmt.Errorf("code %d: %s", res.Code, res.RawLog)
			}
			if err != nil {
				errs[i] = fmt.Errorf("vote on proposal %s through %s: %w", id, v.Home, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
