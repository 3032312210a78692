package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/relayer"
)

// swapCmd is `vinrelay swap`: an atomic swap between the hub and a foreign
// rail, run by each party from its own vinrelay home (own keys, own config).
func swapCmd() *ucli.Command {
	return &ucli.Command{
		Name:  "swap",
		Usage: "atomic swaps of hub titles or coins against Stellar or Bitcoin payments (docs/swaps.md)",
		Subcommands: []*ucli.Command{
			swapAccountsCmd(), swapPlanCmd(), swapInitiateCmd(), swapParticipateCmd(),
			swapClaimCmd(), swapRefundCmd(), swapWatchCmd(), swapStatusCmd(),
		},
	}
}

var swapTimeoutFlag = &ucli.DurationFlag{Name: "timeout", Value: 5 * time.Minute, Usage: "give up after"}

// swapAction loads the config, the rails and the swap document named by
// the command's only argument, and runs step with a bounded context.
func swapAction(step func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, path string) error) ucli.ActionFunc {
	return func(c *ucli.Context) error {
		a, err := args(c, "SWAP.json")
		if err != nil {
			return err
		}
		s, err := swap.Load(a[0])
		if err != nil {
			return err
		}
		ctx, cancel := signalContext(c)
		defer cancel()
		ctx, cancelT := context.WithTimeout(ctx, c.Duration("timeout"))
		defer cancelT()
		rails, err := openRails(c)
		if err != nil {
			return err
		}
		return step(c, ctx, &s, rails, a[0])
	}
}

func swapAccountsCmd() *ucli.Command {
	return &ucli.Command{Name: "accounts", Usage: "print this party's address on every configured rail (give them to the counterparty for the plan)",
		Action: func(c *ucli.Context) error {
			rails, err := openRails(c)
			if err != nil {
				return err
			}
			for name, r := range rails {
				fmt.Printf("%s\t%s\n", name, r.Account())
			}
			return nil
		}}
}

func swapPlanCmd() *ucli.Command {
	leg := func(role string) []ucli.Flag {
		return []ucli.Flag{
			&ucli.StringFlag{Name: role + "-rail", Required: true, Usage: "hub, stellar or bitcoin"},
			&ucli.StringFlag{Name: role + "-sender", Required: true, Usage: "who locks this leg (an address on that rail)"},
			&ucli.StringFlag{Name: role + "-recipient", Required: true, Usage: "who can claim this leg"},
			&ucli.StringFlag{Name: role + "-amount", Required: true, Usage: "hub: 100stake or asset:7; stellar: lumens (25.5); bitcoin: satoshis"},
			&ucli.DurationFlag{Name: role + "-finality", Usage: "override the rail's finality from the config"},
		}
	}
	flags := append(leg("initiator"), leg("responder")...)
	flags = append(flags,
		&ucli.DurationFlag{Name: "window", Value: 30 * time.Minute, Usage: "how long the responder's leg stays open"},
		&ucli.StringFlag{Name: "out", Required: true, Usage: "swap document to write"})
	return &ucli.Command{Name: "plan", Flags: flags,
		Usage: "agree both legs and pick safe expiries: the initiator (who draws the secret) locks first and expires last",
		Action: func(c *ucli.Context) error {
			cfg, err := load(c)
			if err != nil {
				return err
			}
			spec := func(role string) (swap.LegSpec, error) {
				s := swap.LegSpec{Rail: c.String(role + "-rail"), Sender: c.String(role + "-sender"),
					Recipient: c.String(role + "-recipient"), Amount: c.String(role + "-amount"), Finality: c.Duration(role + "-finality")}
				amount, err := normalizeAmount(s.Rail, s.Amount)
				if err != nil {
					return s, fmt.Errorf("--%s-amount: %w", role, err)
				}
				s.Amount = amount
				if s.Finality == 0 {
					f, err := railFinality(cfg.Swap, s.Rail)
					if err != nil {
						return s, fmt.Errorf("--%s-rail: %w (or pass --%s-finality)", role, err, role)
					}
					s.Finality = f
				}
				return s, nil
			}
			ini, err := spec("initiator")
			if err != nil {
				return err
			}
			resp, err := spec("responder")
			if err != nil {
				return err
			}
			s, err := swap.NewPlan(time.Now(), ini, resp, cfg.Swap.RelayerDelay.Duration, c.Duration("window"))
			if err != nil {
				return err
			}
			if err := s.Save(c.String("out")); err != nil {
				return err
			}
			fmt.Printf("wrote %s: the %s leg expires %s, the %s leg %s (margin %s)\n", c.String("out"),
				s.Initiator.Rail, stamp(s.Initiator.Terms.Expiry), s.Responder.Rail, stamp(s.Responder.Terms.Expiry), s.Plan().Margin())
			return nil
		}}
}

func secretFileFlag() ucli.Flag {
	return &ucli.StringFlag{Name: "secret-file", Usage: "where the initiator keeps the secret (default SWAP.json.secret)"}
}

func secretPath(c *ucli.Context, doc string) string {
	if p := c.String("secret-file"); p != "" {
		return p
	}
	return doc + ".secret"
}

func swapInitiateCmd() *ucli.Command {
	return &ucli.Command{Name: "initiate", ArgsUsage: "SWAP.json", Flags: []ucli.Flag{secretFileFlag(), swapTimeoutFlag},
		Usage: "draw the secret, keep it in the secret file, lock the initiator's leg; then send SWAP.json to the counterparty",
		Action: swapAction(func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, path string) error {
			sp := secretPath(c, path)
			if _, err := os.Stat(sp); err == nil {
				return fmt.Errorf("%s already exists: a secret is never reused; plan a new swap", sp)
			}
			secret, err := htlc.NewSecret()
			if err != nil {
				return err
			}
			if err := swap.SaveSecret(sp, secret); err != nil {
				return err
			}
			if err := swap.Initiate(ctx, s, rails, secret, relayDelay(c), time.Now()); err != nil {
				return err
			}
			if err := s.Save(path); err != nil {
				return err
			}
			fmt.Printf("locked %s on %s as %s under hash %s (secret in %s); send %s to the counterparty\n",
				s.Initiator.Terms.Amount, s.Initiator.Rail, s.Initiator.Contract.Ref, s.Hash, sp, path)
			return nil
		})}
}

func swapParticipateCmd() *ucli.Command {
	return &ucli.Command{Name: "participate", ArgsUsage: "SWAP.json", Flags: []ucli.Flag{swapTimeoutFlag},
		Usage: "check the initiator's leg on its rail, then lock the responder's leg under the same hash; send SWAP.json back",
		Action: swapAction(func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, path string) error {
			if err := swap.Participate(ctx, s, rails, relayDelay(c), time.Now()); err != nil {
				return err
			}
			if err := s.Save(path); err != nil {
				return err
			}
			fmt.Printf("checked %s on %s; locked %s on %s as %s; send %s back to the initiator and run `vinrelay swap watch %s`\n",
				s.Initiator.Contract.Ref, s.Initiator.Rail, s.Responder.Terms.Amount, s.Responder.Rail, s.Responder.Contract.Ref, path, path)
			return nil
		})}
}

func swapClaimCmd() *ucli.Command {
	return &ucli.Command{Name: "claim", ArgsUsage: "SWAP.json",
		Flags: []ucli.Flag{secretFileFlag(), &ucli.StringFlag{Name: "secret", Usage: "hex secret (default: the secret file if it exists, else read from the other leg's claim)"}, swapTimeoutFlag},
		Usage: "claim the leg payable to you (the initiator's claim reveals the secret)",
		Action: swapAction(func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, path string) error {
			secret, err := claimSecret(c, path)
			if err != nil {
				return err
			}
			tx, err := swap.Claim(ctx, s, rails, secret)
			if err != nil {
				return err
			}
			fmt.Printf("claimed: tx %s\n", tx)
			return nil
		})}
}

// claimSecret is --secret, else the secret file if there is one, else nil
// (read from the other leg).
func claimSecret(c *ucli.Context, doc string) (*htlc.Secret, error) {
	if v := c.String("secret"); v != "" {
		s, err := htlc.ParseSecret(v)
		if err != nil {
			return nil, fmt.Errorf("--secret: %w", err)
		}
		return &s, nil
	}
	sp := secretPath(c, doc)
	if _, err := os.Stat(sp); err != nil {
		return nil, nil
	}
	s, err := swap.LoadSecret(sp)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", sp, err)
	}
	return &s, nil
}

func swapRefundCmd() *ucli.Command {
	return &ucli.Command{Name: "refund", ArgsUsage: "SWAP.json", Flags: []ucli.Flag{swapTimeoutFlag},
		Usage: "take back your own leg after its expiry",
		Action: swapAction(func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, _ string) error {
			tx, err := swap.Refund(ctx, s, rails)
			if errors.Is(err, htlc.ErrRefunded) {
				fmt.Println("already refunded (the hub refunds expired locks at the end of the block)")
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Printf("refunded: tx %s\n", tx)
			return nil
		})}
}

func swapWatchCmd() *ucli.Command {
	return &ucli.Command{Name: "watch", ArgsUsage: "SWAP.json",
		Flags: []ucli.Flag{&ucli.DurationFlag{Name: "timeout", Value: 24 * time.Hour, Usage: "give up after (keep it below your leg's expiry)"}},
		Usage: "wait for the secret on the other leg's rail and claim your leg with it as soon as it appears",
		Action: swapAction(func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, _ string) error {
			done, err := swap.Watch(ctx, s, rails)
			if err != nil {
				return err
			}
			fmt.Printf("secret %s seen; claimed: tx %s\n", done.Secret, done.ClaimTx)
			return nil
		})}
}

func swapStatusCmd() *ucli.Command {
	return &ucli.Command{Name: "status", ArgsUsage: "SWAP.json", Flags: []ucli.Flag{swapTimeoutFlag},
		Usage: "both legs as their rails report them (JSON)",
		Action: swapAction(func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, _ string) error {
			out, err := json.MarshalIndent(swap.Status(ctx, s, rails), "", "  ")
			if err != nil {
				return err
			}
			fmt.Println(string(out))
			return nil
		})}
}

// relayDelay is this party's configured relayer delay (the config was
// loaded and validated by openRails).
func relayDelay(c *ucli.Context) time.Duration {
	cfg, err := load(c)
	if err != nil {
		return 0
	}
	return cfg.Swap.RelayerDelay.Duration
}

func railFinality(sc relayer.SwapConfig, rail string) (time.Duration, error) {
	switch {
	case rail == "hub" && sc.Hub != nil:
		return sc.Hub.Finality.Duration, nil
	case rail == "stellar" && sc.Stellar != nil:
		return sc.Stellar.Finality.Duration, nil
	case rail == "bitcoin" && sc.Bitcoin != nil:
		return sc.Bitcoin.Finality.Duration, nil
	}
	return 0, fmt.Errorf("rail %q is not configured in [swap]", rail)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
