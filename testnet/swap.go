package testnet

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/client"
	vrcli "github.com/vinhub/vinhub/relayer/cli"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// SwapParty is a buyer or a seller running `vinrelay swap` from its own
// vinrelay home: its own hub key and its own keys on the other rails.
type SwapParty struct {
	*Vinrelay
	Name string
}

// NewSwapParty creates home with the party's hub key (restored from
// mnemonic) and the [swap] section rails; rails.Hub is filled in here. The
// keys the other rails name (seed_key, wif_key) must be imported by the
// caller after this returns (`swap import-key`, see SwapRails.NewParty).
func NewSwapParty(ctx context.Context, binary, home, name string, hub *Node, mnemonic string, rails swap.Config) (*SwapParty, error) {
	v, err := NewVinrelay(ctx, binary, home, nil)
	if err != nil {
		return nil, err
	}
	if err := v.AddChain(ctx, hub, mnemonic); err != nil {
		return nil, err
	}
	cfg, err := vrcli.LoadConfig(home)
	if err != nil {
		return nil, err
	}
	rails.Hub = &swap.HubRail{Chain: hub.ChainID, Key: vinrelayKey, Finality: client.Duration{Duration: 2 * time.Second}}
	if rails.PollInterval.Duration == 0 {
		rails.PollInterval = client.Duration{Duration: 250 * time.Millisecond}
	}
	cfg.Swap = rails
	return &SwapParty{Vinrelay: v, Name: name}, cfg.Save(home)
}

// Swap runs `vinrelay swap args...` and returns its output.
func (p *SwapParty) Swap(ctx context.Context, args ...string) (string, error) {
	out, err := p.Exec(ctx, append([]string{"swap"}, args...)...)
	if err != nil {
		return string(out), fmt.Errorf("%s: %w", p.Name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Accounts are the party's addresses by rail, as `swap accounts` prints them.
func (p *SwapParty) Accounts(ctx context.Context) (map[string]string, error) {
	out, err := p.Swap(ctx, "accounts")
	if err != nil {
		return nil, err
	}
	acc := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader([]byte(out)))
	for sc.Scan() {
		rail, addr, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return nil, fmt.Errorf("%s: swap accounts printed %q", p.Name, sc.Text())
		}
		acc[rail] = addr
	}
	return acc, nil
}

// SwapLeg is one leg as the parties agree it: the rail and the amount.
type SwapLeg struct{ Rail, Amount string }

// planSwap has the initiator write the swap document doc for legs between
// the two parties, with the responder's leg open for window.
func planSwap(ctx context.Context, initiator, responder *SwapParty, ini, resp SwapLeg, window time.Duration, doc string) error {
	ia, err := initiator.Accounts(ctx)
	if err != nil {
		return err
	}
	ra, err := responder.Accounts(ctx)
	if err != nil {
		return err
	}
	_, err = initiator.Swap(ctx, "plan",
		"--initiator-rail", ini.Rail, "--initiator-sender", ia[ini.Rail], "--initiator-recipient", ra[ini.Rail], "--initiator-amount", ini.Amount,
		"--responder-rail", resp.Rail, "--responder-sender", ra[resp.Rail], "--responder-recipient", ia[resp.Rail], "--responder-amount", resp.Amount,
		"--window", window.String(), "--out", doc)
	return err
}

// RunSwap runs a whole swap from the CLI, as two parties would: the
// initiator plans and locks its leg, the responder checks it and locks the
// other leg and starts watching, the initiator claims the responder's leg
// (revealing the secret) and the responder's watcher claims the initiator's.
func RunSwap(ctx context.Context, initiator, responder *SwapParty, ini, resp SwapLeg, window time.Duration, doc string, say func(string, ...any)) error {
	if err := planSwap(ctx, initiator, responder, ini, resp, window, doc); err != nil {
		return err
	}
	say("%s and %s agree: %s on %s against %s on %s (document %s)", initiator.Name, responder.Name, ini.Amount, ini.Rail, resp.Amount, resp.Rail, doc)
	out, err := initiator.Swap(ctx, "initiate", doc)
	if err != nil {
		return err
	}
	say("%s: %s", initiator.Name, out)
	if out, err = participate(ctx, responder, ini, resp, doc); err != nil {
		return err
	}
	say("%s: %s", responder.Name, out)
	watched := make(chan error, 1)
	go func() {
		out, err := responder.Swap(ctx, "watch", "--timeout", window.String(), doc)
		if err == nil {
			say("%s (watching): %s", responder.Name, out)
		}
		watched <- err
	}()
	if out, err = initiator.Swap(ctx, "claim", doc); err != nil {
		return err
	}
	say("%s: %s", initiator.Name, out)
	select {
	case err := <-watched:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RunAbandonedSwap locks both legs and then has nobody claim: the
// responder's watcher takes its leg back as soon as it expires, the
// initiator refunds once its own (later) expiry passes. A refund asked for too early is refused; it
// returns that refusal so callers can show it.
func RunAbandonedSwap(ctx context.Context, initiator, responder *SwapParty, ini, resp SwapLeg, window time.Duration, doc string, say func(string, ...any)) (early error, err error) {
	if err := planSwap(ctx, initiator, responder, ini, resp, window, doc); err != nil {
		return nil, err
	}
	if _, err := initiator.Swap(ctx, "initiate", doc); err != nil {
		return nil, err
	}
	if _, err := participate(ctx, responder, ini, resp, doc); err != nil {
		return nil, err
	}
	say("both legs locked; %s never claims", initiator.Name)
	_, early = responder.Swap(ctx, "refund", doc)
	if early == nil {
		return nil, fmt.Errorf("%s refunded before the expiry", responder.Name)
	}
	say("%s asks for a refund at once: %v", responder.Name, early)
	out, err := responder.Swap(ctx, "watch", "--timeout", (3 * window).String(), doc)
	if err != nil {
		return early, err
	}
	if !strings.Contains(out, "refunded") {
		return early, fmt.Errorf("%s's watch ended without a refund: %s", responder.Name, out)
	}
	say("%s (watching): %s", responder.Name, out)
	if out, err = refundWhenDue(ctx, initiator, doc); err != nil {
		return early, err
	}
	say("%s: %s", initiator.Name, out)
	return early, nil
}

// participate has the responder, seeing the document for the first time,
// say what it agreed (it gives the responder's leg and gets the initiator's)
// and lock its leg.
func participate(ctx context.Context, responder *SwapParty, ini, resp SwapLeg, doc string) (string, error) {
	return responder.Swap(ctx, "participate", "--give", resp.Amount, "--get", ini.Amount, doc)
}

// refundWhenDue retries `swap refund` until the leg has expired.
func refundWhenDue(ctx context.Context, p *SwapParty, doc string) (string, error) {
	for {
		out, err := p.Swap(ctx, "refund", doc)
		if err == nil || !strings.Contains(err.Error(), htlc.ErrNotExpired.Error()) {
			return out, err
		}
		if werr := htlc.Wait(ctx, time.Second); werr != nil {
			return "", fmt.Errorf("%s: waiting to refund: %w (last: %v)", p.Name, werr, err)
		}
	}
}

// ShortSwapLocks is a hub GenesisEdit that lets HTLCs run for as little as
// 5 seconds, so loopback swaps need not wait the default 30.
func ShortSwapLocks(appState map[string]any) error {
	h, ok := appState["htlc"].(map[string]any)
	if !ok {
		return fmt.Errorf("genesis has no htlc section")
	}
	params, ok := h["params"].(map[string]any)
	if !ok {
		return fmt.Errorf("genesis htlc section has no params")
	}
	params["min_lock_duration"] = "5s"
	return nil
}
