package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/vinhub/vinhub/client"

	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/adapters/hub"
	"github.com/vinhub/vinhub/adapters/stellar"
	"github.com/vinhub/vinhub/adapters/swap"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
)

// configuredRails loads the config and builds its rails.
func configuredRails(c *ucli.Context) (Config, swap.Rails, error) {
	cfg, err := load(c)
	if err != nil {
		return cfg, nil, err
	}
	rails, err := openRails(c, cfg)
	return cfg, rails, err
}

// openRails builds an adapter for every rail in the [swap] section.
func openRails(c *ucli.Context, cfg Config) (swap.Rails, error) {
	sc := cfg.Swap
	rails := swap.Rails{}
	if h := sc.Hub; h != nil {
		cdc := client.NewCodec(htlctypes.RegisterInterfaces)
		kr, err := client.OpenKeyring(home(c), c.String("keyring-backend"), cdc)
		if err != nil {
			return nil, err
		}
		chainCfg, err := cfg.Chain(h.Chain)
		if err != nil {
			return nil, err
		}
		chainCfg.Key = h.Key
		chain, err := client.NewChain(chainCfg.Config, kr, cdc, logger(cfg), nil)
		if err != nil {
			return nil, err
		}
		rails[hub.Name] = hub.New(chain, h.Finality.Duration, sc.PollInterval.Duration)
	}
	if st := sc.Stellar; st != nil {
		seed, err := keyFile(home(c), "swap.stellar.seed_file", st.SeedFile)
		if err != nil {
			return nil, err
		}
		rail, err := stellar.New(stellar.Config{HorizonURL: st.Horizon, Passphrase: st.Passphrase, Seed: seed,
			BaseFee: st.BaseFee, Finality: st.Finality.Duration, PollInterval: sc.PollInterval.Duration})
		if err != nil {
			return nil, fmt.Errorf("swap.stellar: %w", err)
		}
		rails[stellar.Name] = rail
	}
	if b := sc.Bitcoin; b != nil {
		wif, err := keyFile(home(c), "swap.bitcoin.wif_file", b.WIFFile)
		if err != nil {
			return nil, err
		}
		cert := ""
		if b.RPCCert != "" {
			cert = InHome(home(c), b.RPCCert)
		}
		rail, err := bitcoin.New(bitcoin.Config{RPCHost: b.RPC, RPCUser: b.RPCUser, RPCPass: b.RPCPass, NoTLS: b.NoTLS, RPCCert: cert,
			Net: b.Net, Key: wif, FeeRate: b.FeeRate, Confirmations: b.Confirmations, Finality: b.Finality.Duration,
			PollInterval: sc.PollInterval.Duration, MedianTimeLag: b.MedianTimeLag.Duration})
		if err != nil {
			return nil, fmt.Errorf("swap.bitcoin: %w", err)
		}
		rails[bitcoin.Name] = rail
	}
	return rails, nil
}

// normalizeAmount writes an amount the way its rail's Terms need it, so
// the plan matches what the rail reads back.
func normalizeAmount(rail, amount string) (string, error) {
	switch rail {
	case hub.Name:
		return hub.NormalizeAmount(amount)
	case stellar.Name:
		return stellar.NormalizeAmount(amount)
	case bitcoin.Name:
		return amount, nil // whole satoshis: one spelling, checked on lock
	}
	return "", fmt.Errorf("unknown rail %q: use hub, stellar or bitcoin", rail)
}

// keyFile reads a one-line key file named by a setting, relative to the home.
func keyFile(home, setting, file string) (string, error) {
	path := InHome(home, file)
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", setting, err)
	}
	return strings.TrimSpace(string(b)), nil
}
