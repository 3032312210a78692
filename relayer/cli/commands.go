package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/relayer"
)

// bech32 renders addr with the chain's configured prefix ("cosmos" if the
// chain is not configured).
func bech32(c *ucli.Context, chainID string, addr sdk.AccAddress) string {
	prefix := "cosmos"
	if cfg, err := load(c); err == nil {
		if ch, err := cfg.Chain(chainID); err == nil {
			prefix = ch.AccountPrefix
		}
	}
	s, err := sdk.Bech32ifyAddressBytes(prefix, addr)
	if err != nil {
		return addr.String()
	}
	return s
}

func chainsCmd() *ucli.Command {
	return &ucli.Command{Name: "chains", Usage: "configure chains", Subcommands: []*ucli.Command{
		{Name: "add", Usage: "add CHAIN_ID RPC_URL", Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "key", Value: "relayer", Usage: "key name (vinrelay keys add CHAIN KEY)"},
			&ucli.StringFlag{Name: "prefix", Value: "cosmos", Usage: "bech32 account prefix"},
			&ucli.StringFlag{Name: "gas-price", Value: "0stake", Usage: "gas price, e.g. 0.025stake"},
			&ucli.Float64Flag{Name: "gas-adjustment", Value: 1.3, Usage: "multiplier on simulated gas"},
		}, Action: func(c *ucli.Context) error {
			a, err := args(c, "CHAIN_ID", "RPC_URL")
			if err != nil {
				return err
			}
			cfg, err := load(c)
			if err != nil {
				return err
			}
			if _, err := cfg.Chain(a[0]); err == nil {
				return fmt.Errorf("chain %q is already configured", a[0])
			}
			ch := relayer.DefaultChain(a[0], a[1])
			ch.Key, ch.AccountPrefix, ch.GasPrice, ch.GasAdjustment = c.String("key"), c.String("prefix"), c.String("gas-price"), c.Float64("gas-adjustment")
			cfg.Chains = append(cfg.Chains, ch)
			if err := cfg.Validate(); err != nil {
				return err
			}
			return cfg.Save(home(c))
		}},
	}}
}

func pathsCmd() *ucli.Command {
	return &ucli.Command{Name: "paths", Usage: "configure and link paths", Subcommands: []*ucli.Command{
		{Name: "add", Usage: "add NAME CHAIN_A CHAIN_B", Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "ibc", Value: relayer.IBCv2, Usage: "v2 (client to client) or v1 (connection and channel)"},
			&ucli.StringFlag{Name: "port", Value: "vehicle", Usage: "IBC v1: the port on both ends"},
			&ucli.StringFlag{Name: "version", Value: "vinhub-vehicle-1", Usage: "IBC v1: the channel's application version"},
			&ucli.StringFlag{Name: "client-a", Usage: "existing client on chain A (skip creating it)"},
			&ucli.StringFlag{Name: "client-b", Usage: "existing client on chain B"},
			&ucli.StringSliceFlag{Name: "allow-port", Usage: "relay only packets whose every port is one of these (repeatable; default vehicle)"},
		}, Action: func(c *ucli.Context) error {
			a, err := args(c, "NAME", "CHAIN_A", "CHAIN_B")
			if err != nil {
				return err
			}
			cfg, err := load(c)
			if err != nil {
				return err
			}
			if _, err := cfg.Path(a[0]); err == nil {
				return fmt.Errorf("path %q already exists", a[0])
			}
			p := relayer.PathConfig{Name: a[0], IBC: c.String("ibc"), AllowPorts: c.StringSlice("allow-port"),
				A: relayer.PathEnd{Chain: a[1], ClientID: c.String("client-a")}, B: relayer.PathEnd{Chain: a[2], ClientID: c.String("client-b")}}
			if len(p.AllowPorts) == 0 {
				p.AllowPorts = slices.Clone(relayer.DefaultAllowPorts)
			}
			if p.IBC == relayer.IBCv1 {
				p.Version, p.A.PortID, p.B.PortID = c.String("version"), c.String("port"), c.String("port")
			}
			cfg.Paths = append(cfg.Paths, p)
			if err := cfg.Validate(); err != nil {
				return err
			}
			return cfg.Save(home(c))
		}},
		{Name: "link", Usage: "link NAME: create light clients both ways, then register counterparties (v2) or open a connection and channel (v1)",
			Action: func(c *ucli.Context) error {
				cfg, p, err := pathArg(c, "NAME")
				if err != nil {
					return err
				}
				ctx, cancel := signalContext(c)
				defer cancel()
				chains, err := connectChains(ctx, c, cfg, p.A.Chain, p.B.Chain)
				if err != nil {
					return err
				}
				linked, linkErr := relayer.Link(ctx, p, chains[0], chains[1])
				cfg.SetPath(linked) // keep what was created even if a later step failed
				if err := cfg.Save(home(c)); err != nil {
					return err
				}
				if linkErr != nil {
					return fmt.Errorf("link %s (run it again to resume): %w", p.Name, linkErr)
				}
				fmt.Printf("path %s linked: %s %s%s <-> %s %s%s\n", p.Name, linked.A.Chain, linked.A.ClientID, channelSuffix(linked.A),
					linked.B.Chain, linked.B.ClientID, channelSuffix(linked.B))
				return nil
			}},
		{Name: "list", Usage: "list paths", Action: func(c *ucli.Context) error {
			cfg, err := load(c)
			if err != nil {
				return err
			}
			for _, p := range cfg.Paths {
				fmt.Printf("%s\tibc %s\t%s %s%s <-> %s %s%s\tlinked=%v\tallow_ports=%s\n", p.Name, p.IBC, p.A.Chain, p.A.ClientID, channelSuffix(p.A),
					p.B.Chain, p.B.ClientID, channelSuffix(p.B), p.Linked(), strings.Join(p.Ports(), ","))
			}
			return nil
		}},
	}}
}

// notRelayed says how many pending packets vinrelay will not relay
// because of their ports, and how many it looked at to tell.
func notRelayed(e relayer.EndStatus) string {
	if e.NotAllowed == 0 && e.Checked == e.Unreceived+e.AcksPending {
		return ""
	}
	s := fmt.Sprintf("; not relayed (ports not allowed) %d", e.NotAllowed)
	if e.Checked < e.Unreceived+e.AcksPending {
		s += fmt.Sprintf(" of the first %d checked", e.Checked)
	}
	return s
}

func channelSuffix(e relayer.PathEnd) string {
	if e.ChannelID == "" {
		return ""
	}
	return fmt.Sprintf(" (%s %s/%s)", e.ConnectionID, e.PortID, e.ChannelID)
}

// pathArg loads the configuration and the path its only argument names.
func pathArg(c *ucli.Context, name string) (Config, relayer.PathConfig, error) {
	a, err := args(c, name)
	if err != nil {
		return Config{}, relayer.PathConfig{}, err
	}
	cfg, err := load(c)
	if err != nil {
		return Config{}, relayer.PathConfig{}, err
	}
	p, err := cfg.Path(a[0])
	return cfg, p, err
}

// connectChains opens the named chains with their keys and checks each RPC.
func connectChains(ctx context.Context, c *ucli.Context, cfg Config, ids ...string) ([]*relayer.Chain, error) {
	kr, cdc, err := keys(c)
	if err != nil {
		return nil, err
	}
	out := make([]*relayer.Chain, len(ids))
	for i, id := range ids {
		ch, err := cfg.Chain(id)
		if err != nil {
			return nil, err
		}
		chain, _, err := relayer.OpenChain(ctx, ch, kr, cdc, logger(cfg), nil)
		if err != nil {
			return nil, err
		}
		out[i] = chain
	}
	return out, nil
}

func connect(c *ucli.Context, ctx context.Context) (*relayer.Relayer, Config, error) {
	cfg, err := load(c)
	if err != nil {
		return nil, cfg, err
	}
	kr, cdc, err := keys(c)
	if err != nil {
		return nil, cfg, err
	}
	r, err := relayer.Connect(ctx, cfg.Config, kr, cdc, logger(cfg), c.StringSlice("path")...)
	return r, cfg, err
}

var pathFlag = &ucli.StringSliceFlag{Name: "path", Usage: "relay only these paths (repeatable); default all"}

func startCmd() *ucli.Command {
	return &ucli.Command{Name: "start", Usage: "relay until SIGINT/SIGTERM", Flags: []ucli.Flag{pathFlag},
		Action: func(c *ucli.Context) error {
			ctx, cancel := signalContext(c)
			defer cancel()
			r, _, err := connect(c, ctx)
			if err != nil {
				return err
			}
			return r.Run(ctx)
		}}
}

func clearCmd() *ucli.Command {
	return &ucli.Command{Name: "clear", Usage: "relay every packet and ack waiting on the chains now, then exit",
		Flags: []ucli.Flag{pathFlag, &ucli.DurationFlag{Name: "timeout", Value: 5 * time.Minute, Usage: "give up after"}},
		Action: func(c *ucli.Context) error {
			ctx, cancel := signalContext(c)
			defer cancel()
			ctx, cancelT := context.WithTimeout(ctx, c.Duration("timeout"))
			defer cancelT()
			r, _, err := connect(c, ctx)
			if err != nil {
				return err
			}
			if err := r.ClearOnce(ctx); err != nil {
				return err
			}
			fmt.Println("backlog cleared")
			return nil
		}}
}

func statusCmd() *ucli.Command {
	return &ucli.Command{Name: "status", Usage: "clients, heights, trusting period left and backlog of every path", Flags: []ucli.Flag{pathFlag},
		Action: func(c *ucli.Context) error {
			ctx, cancel := context.WithTimeout(c.Context, 30*time.Second)
			defer cancel()
			r, _, err := connect(c, ctx)
			if err != nil {
				return err
			}
			sts, err := r.Status(ctx)
			if err != nil {
				return err
			}
			for _, st := range sts {
				fmt.Printf("path %s (ibc %s, relays ports %s)\n", st.Name, st.IBC, strings.Join(st.AllowPorts, ","))
				for _, e := range st.Ends {
					expiry := e.Client.Left.Round(time.Second).String()
					if e.Client.Frozen {
						expiry = "FROZEN"
					} else if e.Client.Left <= 0 {
						expiry = "EXPIRED"
					}
					fmt.Printf("  %s height %d: client %s of %s at %s, expires in %s; sent packets unreceived %d, acks pending %d%s\n",
						e.Chain, e.Height, e.Client.ClientID, e.Client.Tracks, e.Client.LatestHeight, expiry, e.Unreceived, e.AcksPending, notRelayed(e))
				}
			}
			return nil
		}}
}
