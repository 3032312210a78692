package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/hashlock"
)

// swapCmd is `vinrelay swap`: an atomic swap between the hub and a foreign
// rail, run by each party from its own vinrelay home (own keys, own config).
func swapCmd() *ucli.Command {
	return &ucli.Command{
		Name:  "swap",
		Usage: "atomic swaps of hub titles or coins against Stellar or Bitcoin payments (docs/swaps.md)",
		Subcommands: []*ucli.Command{
			swapAccountsCmd(), swapPlanCmd(), swapInitiateCmd(), swapParticipateCmd(),
			swapClaimCmd(), swapRefundCmd(), swapWatchCmd(), swapStatusCmd(), swapImportKeyCmd(),
			swapMergeEscrowCmd(),
		},
	}
}

var swapTimeoutFlag = &ucli.DurationFlag{Name: "timeout", Value: 5 * time.Minute, Usage: "give up after"}

// consentFlags say what a party agreed to, for a document its home has not
// seen before (see swap.Consent).
var consentFlags = []ucli.Flag{
	&ucli.StringFlag{Name: "give", Usage: "what you agreed to lock (e.g. 250 on stellar, asset:7 on the hub); required the first time this home sees the document"},
	&ucli.StringFlag{Name: "get", Usage: "what you agreed to receive; required the first time this home sees the document"},
	&ucli.DurationFlag{Name: "max-lock", Value: 48 * time.Hour, Usage: "refuse to lock your leg for longer than this"},
}

// swapAction loads the config, the rails and the swap document named by
// the command's only argument, reconciles it with this home's own copy
// (see agreed) and runs step with a bounded context.
func swapAction(needConsent bool, step func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, path string, delay time.Duration) error) ucli.ActionFunc {
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
		cfg, rails, err := configuredRails(c)
		if err != nil {
			return err
		}
		if s, err = agreed(c, s, rails, a[0], needConsent); err != nil {
			return err
		}
		return step(c, ctx, &s, rails, a[0], cfg.Swap.RelayerDelay.Duration)
	}
}

// ownCopy is where this home keeps its own copy of a swap document: the
// terms as this party agreed them, which a document sent back by the
// counterparty may only add contracts to.
func ownCopy(c *ucli.Context, doc string) string {
	return filepath.Join(home(c), "swaps", filepath.Base(doc))
}

// agreed reconciles a received document with this home's own copy
// (swap.Accept), or, the first time, checks it against --give/--get
// (swap.Consent) when needConsent; the result becomes the own copy.
func agreed(c *ucli.Context, s swap.Swap, rails swap.Rails, doc string, needConsent bool) (swap.Swap, error) {
	own, err := swap.Load(ownCopy(c, doc))
	switch {
	case err == nil:
		if s, err = swap.Accept(own, s); err != nil {
			return s, fmt.Errorf("%s differs from what you agreed (%s): %w", doc, ownCopy(c, doc), err)
		}
	case !errors.Is(err, os.ErrNotExist):
		return s, err
	case !needConsent:
		return s, nil
	default:
		if c.String("give") == "" || c.String("get") == "" {
			return s, fmt.Errorf("this vinrelay home has not seen %s before: pass --give and --get with what you agreed (e.g. --give 250 --get asset:7)", doc)
		}
	}
	if c.String("give") != "" || c.String("get") != "" {
		consent := swap.Consent{Give: c.String("give"), Get: c.String("get"), MaxLock: c.Duration("max-lock")}
		if err := s.CheckConsent(rails, consent, normalizeAmount, time.Now()); err != nil {
			return s, err
		}
	}
	return s, saveOwn(c, s, doc)
}

// saveOwn writes this home's own copy of the document.
func saveOwn(c *ucli.Context, s swap.Swap, doc string) error {
	if err := os.MkdirAll(filepath.Dir(ownCopy(c, doc)), 0o700); err != nil {
		return err
	}
	return s.Save(ownCopy(c, doc))
}

// saveBoth writes the document to send on and this home's own copy.
func saveBoth(c *ucli.Context, s swap.Swap, doc string) error {
	if err := s.Save(doc); err != nil {
		return err
	}
	return saveOwn(c, s, doc)
}

func swapAccountsCmd() *ucli.Command {
	return &ucli.Command{Name: "accounts", Usage: "print this party's address on every configured rail (give them to the counterparty for the plan)",
		Action: func(c *ucli.Context) error {
			_, rails, err := configuredRails(c)
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
			cfg, rails, err := configuredRails(c)
			if err != nil {
				return err
			}
			delay := cfg.Swap.RelayerDelay.Duration
			spec := func(role string) (swap.LegSpec, error) {
				s := swap.LegSpec{Rail: c.String(role + "-rail"), Sender: c.String(role + "-sender"),
					Recipient: c.String(role + "-recipient"), Finality: c.Duration(role + "-finality")}
				rail, ok := rails[s.Rail]
				if !ok {
					return s, fmt.Errorf("--%s-rail: rail %q is not configured in [swap] (both parties need both rails)", role, s.Rail)
				}
				amount, err := normalizeAmount(s.Rail, c.String(role+"-amount"))
				if err != nil {
					return s, fmt.Errorf("--%s-amount: %w", role, err)
				}
				s.Amount = amount
				if s.Finality == 0 {
					s.Finality = rail.Finality()
				}
				s.LateClaim = rail.LateClaim(delay)
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
			s, err := swap.NewPlan(time.Now(), ini, resp, delay, c.Duration("window"))
			if err != nil {
				return err
			}
			if err := saveBoth(c, s, c.String("out")); err != nil {
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
	return &ucli.Command{Name: "initiate", ArgsUsage: "SWAP.json", Flags: append([]ucli.Flag{secretFileFlag(), swapTimeoutFlag}, consentFlags...),
		Usage: "draw the secret, keep it in the secret file, lock the initiator's leg; then send SWAP.json to the counterparty",
		Action: swapAction(true, func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, path string, delay time.Duration) error {
			sp := secretPath(c, path)
			if _, err := os.Stat(sp); err == nil {
				return fmt.Errorf("%s already exists: a secret is never reused; plan a new swap", sp)
			}
			secret, err := hashlock.NewSecret()
			if err != nil {
				return err
			}
			if err := swap.SaveSecret(sp, secret); err != nil {
				return err
			}
			err = swap.Initiate(ctx, s, rails, secret, delay, time.Now())
			if serr := saveIfLocked(c, *s, s.Initiator, path); err == nil {
				err = serr
			}
			if err != nil {
				return err
			}
			fmt.Printf("locked %s on %s as %s under hash %s (secret in %s); send %s to the counterparty\n",
				s.Initiator.Terms.Amount, s.Initiator.Rail, s.Initiator.Contract.Ref, s.Hash, sp, path)
			return nil
		})}
}

func swapParticipateCmd() *ucli.Command {
	return &ucli.Command{Name: "participate", ArgsUsage: "SWAP.json", Flags: append([]ucli.Flag{swapTimeoutFlag}, consentFlags...),
		Usage: "check the initiator's leg on its rail, then lock the responder's leg under the same hash; send SWAP.json back",
		Action: swapAction(true, func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, path string, delay time.Duration) error {
			err := swap.Participate(ctx, s, rails, delay, time.Now())
			if serr := saveIfLocked(c, *s, s.Responder, path); err == nil {
				err = serr
			}
			if err != nil {
				return err
			}
			fmt.Printf("checked %s on %s; locked %s on %s as %s; send %s back to the initiator and run `vinrelay swap watch %s`\n",
				s.Initiator.Contract.Ref, s.Initiator.Rail, s.Responder.Terms.Amount, s.Responder.Rail, s.Responder.Contract.Ref, path, path)
			return nil
		})}
}

func swapClaimCmd() *ucli.Command {
	return &ucli.Command{Name: "claim", ArgsUsage: "SWAP.json",
		Flags: append([]ucli.Flag{secretFileFlag(), &ucli.StringFlag{Name: "secret", Usage: "hex secret (default: the secret file if it exists, else read from the other leg's claim)"}, swapTimeoutFlag}, consentFlags...),
		Usage: "claim the leg payable to you (the initiator's claim reveals the secret)",
		Action: swapAction(true, func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, path string, delay time.Duration) error {
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
func claimSecret(c *ucli.Context, doc string) (*hashlock.Secret, error) {
	if v := c.String("secret"); v != "" {
		s, err := hashlock.ParseSecret(v)
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
		Action: swapAction(false, func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, _ string, delay time.Duration) error {
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
		Flags: append([]ucli.Flag{&ucli.DurationFlag{Name: "timeout", Value: 24 * time.Hour, Usage: "give up after"}}, consentFlags...),
		Usage: "wait for the secret on the other leg's rail and claim your leg with it as soon as it appears; refund your own leg as soon as it expires unclaimed",
		Action: swapAction(true, func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, path string, delay time.Duration) error {
			res, err := swap.Watch(ctx, s, rails, time.Second)
			if err != nil && res.Secret != nil {
				return fmt.Errorf("%w (the secret is %s: claim with `vinrelay swap claim --secret %s %s`)", err, res.Secret, res.Secret, path)
			}
			if err != nil {
				return err
			}
			switch {
			case res.Refunded && res.RefundTx == "":
				fmt.Println("nobody claimed your leg before it expired: refunded by the rail itself")
				return nil
			case res.Refunded:
				fmt.Printf("nobody claimed your leg before it expired: refunded: tx %s\n", res.RefundTx)
				return nil
			}
			fmt.Printf("secret %s seen; claimed: tx %s\n", res.Secret, res.ClaimTx)
			return nil
		})}
}

func swapStatusCmd() *ucli.Command {
	return &ucli.Command{Name: "status", ArgsUsage: "SWAP.json", Flags: []ucli.Flag{swapTimeoutFlag},
		Usage: "both legs as their rails report them (JSON)",
		Action: swapAction(false, func(c *ucli.Context, ctx context.Context, s *swap.Swap, rails swap.Rails, _ string, delay time.Duration) error {
			out, err := json.MarshalIndent(swap.Status(ctx, s, rails), "", "  ")
			if err != nil {
				return err
			}
			fmt.Println(string(out))
			return nil
		})}
}

// saveIfLocked writes the document and the own copy if the step's leg got
// a contract, even when the step also failed: funds may sit behind it.
func saveIfLocked(c *ucli.Context, s swap.Swap, leg swap.Leg, path string) error {
	if leg.Contract == nil {
		return nil
	}
	return saveBoth(c, s, path)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
