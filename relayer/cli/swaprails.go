package cli

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/vinhub/vinhub/client"

	"github.com/btcsuite/btcd/btcutil"
	"github.com/stellar/go-stellar-sdk/keypair"
	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/adapters/hub"
	"github.com/vinhub/vinhub/adapters/stellar"
	"github.com/vinhub/vinhub/adapters/swap"
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

// openRails builds an adapter for every rail in the [swap] section, with
// its key from vinrelay's keyring.
func openRails(c *ucli.Context, cfg Config) (swap.Rails, error) {
	sc := cfg.Swap
	rails := swap.Rails{}
	if sc.Hub == nil && sc.Stellar == nil && sc.Bitcoin == nil {
		return rails, nil
	}
	kr, cdc, err := keys(c)
	if err != nil {
		return nil, err
	}
	if h := sc.Hub; h != nil {
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
		seed, err := railKey(kr, stellar.Name, st.SeedKey, "swap.stellar.seed_key")
		if err != nil {
			return nil, err
		}
		rail, err := stellar.New(stellar.Config{HorizonURL: st.Horizon, Passphrase: st.Passphrase, Seed: seed,
			BaseFee: st.BaseFee, Finality: st.Finality.Duration, PollInterval: sc.PollInterval.Duration,
			KeepEscrowKey: keepEscrowKey(kr)})
		if err != nil {
			return nil, fmt.Errorf("swap.stellar: %w", err)
		}
		rails[stellar.Name] = rail
	}
	if b := sc.Bitcoin; b != nil {
		wif, err := railKey(kr, bitcoin.Name, b.WIFKey, "swap.bitcoin.wif_key")
		if err != nil {
			return nil, err
		}
		cert := ""
		if b.RPCCert != "" {
			cert = InHome(home(c), b.RPCCert)
		}
		bc := b.Config(cert)
		bc.Key, bc.FeeRate, bc.Confirmations, bc.Finality = wif, b.FeeRate, b.Confirmations, b.Finality.Duration
		bc.PollInterval, bc.MedianTimeLag = sc.PollInterval.Duration, b.MedianTimeLag.Duration
		rail, err := bitcoin.New(bc)
		if err != nil {
			return nil, fmt.Errorf("swap.bitcoin: %w", err)
		}
		rails[bitcoin.Name] = rail
	}
	return rails, nil
}

// escrowKeyName is the keyring name of a stuck Stellar escrow's seed.
func escrowKeyName(escrow string) string { return stellar.Name + "/escrow-" + escrow }

// keepEscrowKey stores the seed of a Stellar escrow a failed lock could not
// merge back in the keyring, encrypted like the rail keys, so that it never
// has to be printed; `swap merge-escrow` reads it back.
func keepEscrowKey(kr *client.Keyring) func(escrow, seed string) (string, error) {
	return func(escrow, seed string) (string, error) {
		name := escrowKeyName(escrow)
		if err := kr.SetSecret(name, seed); err != nil {
			return "", err
		}
		return fmt.Sprintf("vinrelay's keyring as %s", name), nil
	}
}

// railKey reads a rail's key, named by setting, from the keyring: rail
// keys are stored as RAIL/NAME by `swap import-key`.
func railKey(kr *client.Keyring, rail, name, setting string) (string, error) {
	key, err := kr.Secret(rail + "/" + name)
	if errors.Is(err, client.ErrSecretNotFound) {
		return "", fmt.Errorf("%s %q: no such %s key in vinrelay's keyring: import it with `vinrelay swap import-key %s %s` (with the same --keyring-backend)", setting, name, rail, rail, name)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", setting, err)
	}
	return key, nil
}

// importKey checks a rail's secret and returns the public account it
// controls, as `swap accounts` shows it.
func importKey(rail, secret string) (account string, err error) {
	switch rail {
	case stellar.Name:
		kp, err := keypair.ParseFull(secret)
		if err != nil {
			return "", errors.New("not a Stellar secret seed (S...)")
		}
		return kp.Address(), nil
	case bitcoin.Name:
		wif, err := btcutil.DecodeWIF(secret)
		if err != nil {
			return "", fmt.Errorf("not a bitcoin private key in WIF: %w", err)
		}
		if !wif.CompressPubKey {
			return "", errors.New("the bitcoin key must be a compressed WIF (segwit needs compressed keys)")
		}
		return hex.EncodeToString(wif.PrivKey.PubKey().SerializeCompressed()), nil
	}
	return "", fmt.Errorf("unknown rail %q: keys are imported for stellar or bitcoin (hub keys: vinrelay keys restore)", rail)
}

func swapMergeEscrowCmd() *ucli.Command {
	return &ucli.Command{Name: "merge-escrow", ArgsUsage: "ESCROW",
		Usage: "merge a Stellar escrow whose lock failed back into your account, with the key the failed lock kept in the keyring (the lock's error names the escrow)",
		Action: func(c *ucli.Context) error {
			a, err := args(c, "ESCROW")
			if err != nil {
				return err
			}
			cfg, err := load(c)
			if err != nil {
				return err
			}
			if cfg.Swap.Stellar == nil {
				return errors.New("merge-escrow: no [swap.stellar] in the config")
			}
			rails, err := openRails(c, cfg)
			if err != nil {
				return err
			}
			kr, _, err := keys(c)
			if err != nil {
				return err
			}
			seed, err := kr.Secret(escrowKeyName(a[0]))
			if errors.Is(err, client.ErrSecretNotFound) {
				return fmt.Errorf("merge-escrow: vinrelay's keyring keeps no key for escrow %s (use the same --home and --keyring-backend as the failed lock)", a[0])
			}
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(c.Context, 5*time.Minute)
			defer cancel()
			if err := rails[stellar.Name].(*stellar.Rail).MergeEscrow(ctx, seed); err != nil {
				return err
			}
			fmt.Printf("escrow %s merged into %s\n", a[0], rails[stellar.Name].Account())
			return nil
		}}
}

func swapImportKeyCmd() *ucli.Command {
	return &ucli.Command{Name: "import-key", ArgsUsage: "stellar|bitcoin NAME",
		Usage: "store a Stellar seed or a bitcoin WIF, read from stdin (a prompt on a terminal) or --file, encrypted in vinrelay's keyring; name it in [swap] (seed_key, wif_key)",
		Flags: []ucli.Flag{&ucli.StringFlag{Name: "file", Usage: "read the secret from this file (mode 0600) instead of stdin"}},
		Action: func(c *ucli.Context) error {
			a, err := args(c, "RAIL", "NAME")
			if err != nil {
				return err
			}
			secret, err := secretInput(c, "file", "Enter the "+a[0]+" secret:", a[0]+" secret")
			if err != nil {
				return err
			}
			account, err := importKey(a[0], secret)
			if err != nil {
				return err
			}
			kr, _, err := keys(c)
			if err != nil {
				return err
			}
			if err := kr.SetSecret(a[0]+"/"+a[1], secret); err != nil {
				return err
			}
			fmt.Printf("%s key %s: %s\n", a[0], a[1], account)
			return nil
		}}
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
