package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/relayer"
)

func clientCmd() *ucli.Command {
	return &ucli.Command{Name: "client", Usage: "light clients of a path", Subcommands: []*ucli.Command{recoverCmd()}}
}

// recoverCmd drafts (and optionally submits) the governance recovery of a
// path's expired or frozen clients.
func recoverCmd() *ucli.Command {
	return &ucli.Command{Name: "recover",
		Usage: "recover PATH: for each expired or frozen client of the path, create a substitute client on the same chain " +
			"and write the governance proposal (MsgRecoverClient) that substitutes it, for `<daemon> tx gov submit-proposal FILE`",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "side", Value: "both", Usage: "a (end A's client), b or both"},
			&ucli.StringFlag{Name: "out", Usage: "directory for the proposal files (default HOME/proposals)"},
			&ucli.BoolFlag{Name: "submit", Usage: "also submit each proposal, with its deposit, signed by --from"},
			&ucli.StringFlag{Name: "from", Usage: "with --submit: key (in vinrelay's keyring, for the host chain) that submits and pays the deposit"},
		},
		Action: func(c *ucli.Context) error {
			cfg, p, err := pathArg(c, "PATH")
			if err != nil {
				return err
			}
			if c.Bool("submit") != (c.String("from") != "") {
				return errors.New("client recover: --submit and --from go together (--submit --from KEY)")
			}
			// Refuse a bad --side or an unlinked path before dialling any chain.
			if _, err := relayer.RecoverSides(p, c.String("side"), nil, nil); err != nil {
				return err
			}
			ctx, cancel := signalContext(c)
			defer cancel()
			chains, err := connectChains(ctx, c, cfg, p.A.Chain, p.B.Chain)
			if err != nil {
				return err
			}
			sides, err := relayer.RecoverSides(p, c.String("side"), chains[0], chains[1])
			if err != nil {
				return err
			}
			recs, err := relayer.RecoverClients(ctx, sides)
			for _, rec := range recs {
				if werr := reportRecovery(ctx, c, cfg, rec); werr != nil {
					return errors.Join(err, werr)
				}
			}
			return err
		}}
}

// reportRecovery writes rec's proposal, prints what was done and what is
// left, and with --submit submits the proposal.
func reportRecovery(ctx context.Context, c *ucli.Context, cfg Config, rec relayer.Recovery) error {
	dir := c.String("out")
	if dir == "" {
		dir = filepath.Join(home(c), "proposals")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	file := filepath.Join(dir, fmt.Sprintf("recover-%s-%s-with-%s.json", rec.Host, rec.Subject, rec.Substitute))
	if err := writeJSON(file, rec.Proposal); err != nil {
		return err
	}
	fmt.Printf("chain %s: client %s of %s is %s; substitute client %s created\n", rec.Host, rec.Subject, rec.Tracks, rec.Status, rec.Substitute)
	fmt.Printf("proposal: %s\n", file)
	if rec.VotingPeriod > 0 && rec.SubstituteTrusting <= rec.VotingPeriod {
		fmt.Printf("warning: the substitute trusts %s for %s only, the voting period is %s: it must still be active when the proposal executes (keep it updated)\n",
			rec.Tracks, rec.SubstituteTrusting, rec.VotingPeriod)
	}
	if !c.Bool("submit") {
		fmt.Printf("submit it with: <daemon> tx gov submit-proposal %s --from KEY --chain-id %s\n", file, rec.Host)
		return nil
	}
	ch, err := cfg.Chain(rec.Host)
	if err != nil {
		return err
	}
	ch.Key = c.String("from")
	kr, cdc, err := keys(c)
	if err != nil {
		return err
	}
	proposer, _, err := relayer.OpenChain(ctx, ch, kr, cdc, logger(cfg), nil)
	if err != nil {
		return err
	}
	id, err := relayer.SubmitProposal(ctx, proposer, rec)
	if err != nil {
		return err
	}
	fmt.Printf("proposal %d submitted on %s with deposit %s: once it passes, client %s is active again with the same id\n", id, rec.Host, rec.Proposal.Deposit, rec.Subject)
	return nil
}

// writeJSON writes v indented to a new file (mode 0600).
func writeJSON(path string, v any) error {
	bz, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(bz, '\n'), 0o600)
}
