package cli

import (
	"errors"
	"fmt"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/relayer/notary"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
)

// notaryKeyPrefix names notary keys among the keyring's secrets.
const notaryKeyPrefix = "notary/"

func notaryCmd() *ucli.Command {
	return &ucli.Command{Name: "notary", Usage: "attest events of platforms without IBC (dealer ledgers in PostgreSQL, Stellar accounts, Bitcoin payments and HTLC claims) to the hub's x/notary",
		Subcommands: []*ucli.Command{notaryKeysCmd(), notaryStartCmd(), notaryStatusCmd()}}
}

func notaryKeysCmd() *ucli.Command {
	store := func(c *ucli.Context, name string, s notary.Signer) error {
		kr, _, err := keys(c)
		if err != nil {
			return err
		}
		if _, err := kr.Secret(notaryKeyPrefix + name); err == nil {
			return fmt.Errorf("notary key %q already exists", name)
		} else if !errors.Is(err, client.ErrSecretNotFound) {
			return err
		}
		if err := kr.SetSecret(notaryKeyPrefix+name, s.String()); err != nil {
			return err
		}
		fmt.Printf("notary key %s: BIP-340 public key %s\n", name, s.PubKeyHex())
		return nil
	}
	return &ucli.Command{Name: "keys", Usage: "BIP-340 keys notaries sign observations with (kept encrypted in vinrelay's keyring)", Subcommands: []*ucli.Command{
		{Name: "add", ArgsUsage: "NAME", Usage: "draw a new key and print its public key (for the notary set)", Action: func(c *ucli.Context) error {
			a, err := args(c, "NAME")
			if err != nil {
				return err
			}
			s, err := notary.NewSigner()
			if err != nil {
				return err
			}
			return store(c, a[0], s)
		}},
		{Name: "import", ArgsUsage: "NAME", Usage: "store a key (64 hex characters) read from stdin or --file",
			Flags: []ucli.Flag{&ucli.StringFlag{Name: "file", Usage: "read the key from this file (mode 0600)"}},
			Action: func(c *ucli.Context) error {
				a, err := args(c, "NAME")
				if err != nil {
					return err
				}
				secret, err := secretInput(c, "file", "Enter the notary key (hex):", "notary key")
				if err != nil {
					return err
				}
				s, err := notary.ParseSigner(secret)
				if err != nil {
					return err
				}
				return store(c, a[0], s)
			}},
		{Name: "show", ArgsUsage: "NAME", Usage: "print a key's BIP-340 public key", Action: func(c *ucli.Context) error {
			a, err := args(c, "NAME")
			if err != nil {
				return err
			}
			s, err := signer(c, a[0])
			if err != nil {
				return err
			}
			fmt.Println(s.PubKeyHex())
			return nil
		}},
	}}
}

// signer reads a notary key from the keyring.
func signer(c *ucli.Context, name string) (notary.Signer, error) {
	kr, _, err := keys(c)
	if err != nil {
		return notary.Signer{}, err
	}
	v, err := kr.Secret(notaryKeyPrefix + name)
	if errors.Is(err, client.ErrSecretNotFound) {
		return notary.Signer{}, fmt.Errorf("no notary key %q in vinrelay's keyring: create it with `vinrelay notary keys add %s`", name, name)
	}
	if err != nil {
		return notary.Signer{}, err
	}
	return notary.ParseSigner(v)
}

// openNotary builds the notary of the [notary] section.
func openNotary(c *ucli.Context) (*notary.Notary, Config, func(), error) {
	cfg, err := load(c)
	if err != nil {
		return nil, cfg, nil, err
	}
	nc := cfg.Notary
	if !nc.Enabled() {
		return nil, cfg, nil, errors.New("no [notary] section in config.toml: set notary.hub, notary.key and notary.signer_key (docs/notary.md)")
	}
	s, err := signer(c, nc.SignerKey)
	if err != nil {
		return nil, cfg, nil, err
	}
	kr, _, err := keys(c)
	if err != nil {
		return nil, cfg, nil, err
	}
	chainCfg, err := cfg.Chain(nc.Hub)
	if err != nil {
		return nil, cfg, nil, err
	}
	chainCfg.Key = nc.Key
	hub, err := client.NewChain(chainCfg.Config, kr, client.NewCodec(notarytypes.RegisterInterfaces), logger(cfg), nil)
	if err != nil {
		return nil, cfg, nil, err
	}
	var (
		ledgers []*notary.LedgerSource
		nodes   []func()
	)
	closeAll := func() {
		for _, l := range ledgers {
			_ = l.Close(c.Context)
		}
		for _, closeNode := range nodes {
			closeNode()
		}
	}
	for _, lc := range nc.Ledgers {
		l, err := notary.OpenLedger(c.Context, lc.ID, lc.DSN)
		if err != nil {
			closeAll()
			return nil, cfg, nil, err
		}
		ledgers = append(ledgers, l)
	}
	sources := make([]notary.Source, 0, len(ledgers))
	for _, l := range ledgers {
		sources = append(sources, l)
	}
	for _, sc := range nc.Stellar {
		accounts, err := sc.Sources()
		if err != nil {
			closeAll()
			return nil, cfg, nil, err
		}
		for _, a := range accounts {
			sources = append(sources, a)
		}
	}
	for _, bc := range nc.Bitcoin {
		cert := ""
		if bc.RPCCert != "" {
			cert = InHome(home(c), bc.RPCCert)
		}
		src, closeNode, err := bc.Source(cert, func(name string) string { return notary.StatePath(home(c), name, "blocks") })
		if err != nil {
			closeAll()
			return nil, cfg, nil, fmt.Errorf("notary.bitcoin: %w", err)
		}
		nodes = append(nodes, closeNode)
		if bc.Loans {
			src.Follow = notary.LoanAccounts(assettypes.NewQueryClient(hub.Conn()), notarytypes.PLATFORM_BITCOIN, src.NetworkID())
		}
		sources = append(sources, src)
	}
	n := notary.New(hub, notarytypes.NewQueryClient(hub.Conn()), s, home(c), sources, nc, logger(cfg))
	return n, cfg, closeAll, nil
}

func notaryStartCmd() *ucli.Command {
	return &ucli.Command{Name: "start", Usage: "watch the configured sources and attest what reaches finality, until SIGINT/SIGTERM",
		Action: func(c *ucli.Context) error {
			n, cfg, closeAll, err := openNotary(c)
			if err != nil {
				return err
			}
			defer closeAll()
			ctx, cancel := signalContext(c)
			defer cancel()
			if addr := cfg.Notary.MetricsAddr; addr != "" {
				bound, err := n.Metrics().Serve(ctx, addr, n.Sources(), 10*cfg.Notary.PollInterval.Duration+30*time.Second)
				if err != nil {
					return err
				}
				logger(cfg).Info("notary: serving /metrics and /healthz", "addr", bound.String())
			}
			logger(cfg).Info("notary: started", "sources", n.Sources())
			return n.Run(ctx)
		}}
}

func notaryStatusCmd() *ucli.Command {
	return &ucli.Command{Name: "status", Usage: "show the current notary set, whether this notary is in it, and each source's position",
		Action: func(c *ucli.Context) error {
			n, _, closeAll, err := openNotary(c)
			if err != nil {
				return err
			}
			defer closeAll()
			st, err := n.Status(c.Context)
			if err != nil {
				return err
			}
			fmt.Printf("notary set %d: %d members, threshold %d; this notary (%s, key %s) is %s\n",
				st.Set.Version, len(st.Set.Members), st.Set.Threshold, st.Operator, st.PubKey, map[bool]string{true: "a member", false: "NOT a member"}[st.Member])
			for _, s := range st.Sources {
				fmt.Printf("source %s: handled up to %s\n", s.Name, s.Position)
			}
			return nil
		}}
}
