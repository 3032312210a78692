package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/vinhub/vinhub/client"

	"github.com/pelletier/go-toml/v2"
	ucli "github.com/urfave/cli/v2"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"

	"github.com/vinhub/vinhub/relayer"
)

// App is the vinrelay command tree.
func App() *ucli.App {
	return &ucli.App{
		Name:  "vinrelay",
		Usage: "relay vinhub IBC packets (IBC v2 and classic v1) between the hub and dealer chains",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "home", Value: defaultHome(), Usage: "directory holding config.toml and keys/", EnvVars: []string{"VINRELAY_HOME"}},
			&ucli.StringFlag{Name: "keyring-backend", Value: "test", Usage: "SDK keyring backend: test, file or os"},
		},
		Commands:       []*ucli.Command{configCmd(), keysCmd(), chainsCmd(), pathsCmd(), startCmd(), clearCmd(), statusCmd(), swapCmd()},
		ExitErrHandler: func(*ucli.Context, error) {},
	}
}

func defaultHome() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ".vinrelay"
	}
	return filepath.Join(home, ".vinrelay")
}

func home(c *ucli.Context) string { return c.String("home") }

func load(c *ucli.Context) (Config, error) { return LoadConfig(home(c)) }

func keys(c *ucli.Context) (keyring.Keyring, *codec.ProtoCodec, error) {
	cdc := client.NewCodec()
	kr, err := client.OpenKeyring(home(c), c.String("keyring-backend"), cdc)
	return kr, cdc, err
}

func logger(cfg Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.Global.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// signalContext ends on SIGINT or SIGTERM, for a graceful shutdown.
func signalContext(c *ucli.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
}

func args(c *ucli.Context, names ...string) ([]string, error) {
	for _, a := range c.Args().Slice() {
		if strings.HasPrefix(a, "-") {
			return nil, fmt.Errorf("%s: flag %s after the arguments: put flags before them (%s [flags] %s)", c.Command.FullName(), a, c.Command.FullName(), strings.Join(names, " "))
		}
	}
	if c.NArg() != len(names) {
		return nil, fmt.Errorf("%s takes %d argument(s): %s (got %d)", c.Command.FullName(), len(names), strings.Join(names, " "), c.NArg())
	}
	return c.Args().Slice(), nil
}

func configCmd() *ucli.Command {
	return &ucli.Command{Name: "config", Usage: "create, show and check config.toml", Subcommands: []*ucli.Command{
		{Name: "init", Usage: "write a default config.toml", Action: func(c *ucli.Context) error {
			path := filepath.Join(home(c), ConfigFile)
			if _, err := os.Stat(path); err == nil {
				return fmt.Errorf("%s already exists", path)
			}
			if err := DefaultConfig().Save(home(c)); err != nil {
				return err
			}
			fmt.Println("wrote", path)
			return nil
		}},
		{Name: "show", Usage: "print the configuration", Action: func(c *ucli.Context) error {
			cfg, err := load(c)
			if err != nil {
				return err
			}
			bz, err := toml.Marshal(cfg)
			if err != nil {
				return err
			}
			fmt.Print(string(bz))
			return nil
		}},
		{Name: "validate", Usage: "check the configuration, keys and that every chain answers", Action: func(c *ucli.Context) error {
			cfg, err := load(c)
			if err != nil {
				return err
			}
			kr, cdc, err := keys(c)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(c.Context, 15*time.Second)
			defer cancel()
			for _, ch := range cfg.Chains {
				chain, st, err := relayer.OpenChain(ctx, ch, kr, cdc, logger(cfg), nil)
				if err != nil {
					return err
				}
				fmt.Printf("chain %s: ok (height %d, relayer %s)\n", ch.ID, st.SyncInfo.LatestBlockHeight, chain.Signer())
			}
			fmt.Printf("%d chains, %d paths: configuration valid\n", len(cfg.Chains), len(cfg.Paths))
			return nil
		}},
	}}
}

func keysCmd() *ucli.Command {
	add := func(restore bool) ucli.ActionFunc {
		return func(c *ucli.Context) error {
			names := []string{"CHAIN", "KEY"}
			if restore {
				names = append(names, "MNEMONIC")
			}
			a, err := args(c, names...)
			if err != nil {
				return err
			}
			kr, _, err := keys(c)
			if err != nil {
				return err
			}
			mnemonic := ""
			if restore {
				mnemonic = a[2]
			}
			addr, phrase, err := client.AddKey(kr, client.KeyName(a[0], a[1]), mnemonic)
			if err != nil {
				return err
			}
			fmt.Printf("chain %s key %s: %s\n", a[0], a[1], bech32(c, a[0], addr))
			if !restore {
				fmt.Printf("mnemonic (write it down, it is shown once):\n%s\n", phrase)
			}
			return nil
		}
	}
	return &ucli.Command{Name: "keys", Usage: "manage the relayer's signing keys (one per chain)", Subcommands: []*ucli.Command{
		{Name: "add", Usage: "create a key: add CHAIN KEY", Action: add(false)},
		{Name: "restore", Usage: "import a key from its mnemonic: restore CHAIN KEY \"MNEMONIC\"", Action: add(true)},
		{Name: "list", Usage: "list keys", Action: func(c *ucli.Context) error {
			kr, _, err := keys(c)
			if err != nil {
				return err
			}
			recs, err := kr.List()
			if err != nil {
				return err
			}
			for _, r := range recs {
				addr, err := r.GetAddress()
				if err != nil {
					return err
				}
				chain, _, _ := strings.Cut(r.Name, "/")
				fmt.Printf("%s\t%s\n", r.Name, bech32(c, chain, addr))
			}
			return nil
		}},
		{Name: "show", Usage: "show a key's address: show CHAIN KEY", Action: func(c *ucli.Context) error {
			a, err := args(c, "CHAIN", "KEY")
			if err != nil {
				return err
			}
			kr, _, err := keys(c)
			if err != nil {
				return err
			}
			rec, err := kr.Key(client.KeyName(a[0], a[1]))
			if err != nil {
				return fmt.Errorf("no key %q for chain %s", a[1], a[0])
			}
			addr, err := rec.GetAddress()
			if err != nil {
				return err
			}
			fmt.Println(bech32(c, a[0], addr))
			return nil
		}},
	}}
}
