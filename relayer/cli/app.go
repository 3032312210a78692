package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/vinhub/vinhub/client"

	"github.com/pelletier/go-toml/v2"
	ucli "github.com/urfave/cli/v2"

	"github.com/cosmos/cosmos-sdk/client/input"
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
			&ucli.StringFlag{Name: "keyring-backend", Value: keyring.BackendFile,
				Usage: "keyring backend: file (encrypted with a passphrase), os (the OS secret store) or test (unencrypted: local networks and tests only)"},
			&ucli.StringFlag{Name: "keyring-passphrase-file", EnvVars: []string{"VINRELAY_KEYRING_PASSPHRASE_FILE"},
				Usage: "read the file keyring's passphrase from this file (mode 0600) instead of the terminal or stdin"},
		},
		Before: func(c *ucli.Context) error {
			c.App.Metadata = map[string]any{sessionKey: &session{stdin: bufio.NewReader(c.App.Reader)}}
			return nil
		},
		Commands:       []*ucli.Command{configCmd(), keysCmd(), chainsCmd(), pathsCmd(), startCmd(), clearCmd(), statusCmd(), clientCmd(), swapCmd(), notaryCmd()},
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

// session is what one run of vinrelay opens at most once: stdin, which
// mnemonics, secrets and passphrases share, and the keyring, so its
// passphrase is asked for once.
type session struct {
	stdin *bufio.Reader
	kr    *client.Keyring
}

const sessionKey = "session"

func sess(c *ucli.Context) *session { return c.App.Metadata[sessionKey].(*session) }

// keys opens the keyring (once per run) and a codec for the chains.
func keys(c *ucli.Context) (*client.Keyring, *codec.ProtoCodec, error) {
	s := sess(c)
	if s.kr == nil {
		kr, err := client.OpenKeyring(home(c), c.String("keyring-backend"), s.passphrase(c.String("keyring-passphrase-file")), client.NewCodec())
		if err != nil {
			return nil, nil, err
		}
		s.kr = kr
	}
	return s.kr, client.NewCodec(), nil
}

// passphrase reads the keyring passphrase from file if one is given, else
// from the terminal (without echo) or stdin, as the SDK does; a new
// passphrase is asked for twice.
func (s *session) passphrase(file string) client.Passphrase {
	return func(choose bool) (string, error) {
		if file != "" {
			p, err := client.ReadSecretFile(file)
			if err != nil {
				return "", fmt.Errorf("--keyring-passphrase-file: %w", err)
			}
			return p, nil
		}
		p, err := s.readSecret("Enter keyring passphrase:", "keyring passphrase (or pass --keyring-passphrase-file)")
		if err != nil || !choose {
			return p, err
		}
		again, err := s.readSecret("Re-enter keyring passphrase:", "keyring passphrase, again")
		if err != nil {
			return "", err
		}
		if again != p {
			return "", errors.New("the two keyring passphrases differ")
		}
		return p, nil
	}
}

// readSecret reads one line of a secret: on a terminal after prompt and
// without echo, else from stdin. what names it in errors.
func (s *session) readSecret(prompt, what string) (string, error) {
	v, err := input.GetPassword(prompt, s.stdin)
	if v == "" {
		return "", fmt.Errorf("no %s on stdin (%v)", what, err)
	}
	// GetPassword's length rule is for passphrases: it returns the value
	// with that error, and callers check what they read.
	return v, nil
}

// secretInput is a secret from the file named by flag, else from stdin.
func secretInput(c *ucli.Context, flag, prompt, what string) (string, error) {
	if f := c.String(flag); f != "" {
		v, err := client.ReadSecretFile(f)
		if err != nil {
			return "", fmt.Errorf("--%s: %w", flag, err)
		}
		return v, nil
	}
	return sess(c).readSecret(prompt, what)
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
			flagLate := slices.ContainsFunc(c.Args().Slice(), func(a string) bool { return strings.HasPrefix(a, "-") })
			if restore && c.NArg() > 2 && !flagLate {
				return errors.New("keys restore reads the mnemonic from stdin or --mnemonic-file, never from the command line (it would stay in the shell history and show in the process list): vinrelay keys restore CHAIN KEY < mnemonic.txt")
			}
			a, err := args(c, "CHAIN", "KEY")
			if err != nil {
				return err
			}
			mnemonic := ""
			if restore {
				// Read before the keyring asks for its passphrase on the same stdin.
				if mnemonic, err = secretInput(c, "mnemonic-file", "Enter the mnemonic:", "mnemonic"); err != nil {
					return err
				}
			}
			kr, _, err := keys(c)
			if err != nil {
				return err
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
		{Name: "restore", Usage: "import a key from its mnemonic, read from stdin (a prompt on a terminal) or --mnemonic-file: restore CHAIN KEY < mnemonic.txt",
			Flags:  []ucli.Flag{&ucli.StringFlag{Name: "mnemonic-file", Usage: "read the mnemonic from this file (mode 0600) instead of stdin"}},
			Action: add(true)},
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
