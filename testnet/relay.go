package testnet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/vinhub/vinhub/client"
	"github.com/vinhub/vinhub/monitor"
	vrcli "github.com/vinhub/vinhub/relayer/cli"
	"github.com/vinhub/vinhub/testnet/loopback"

	"github.com/vinhub/vinhub/relayer"
)

// vinrelayKey is the key name vinrelay signs with on every chain.
const vinrelayKey = "relayer"

// Vinrelay is one vinrelay instance: its home (config and keyring) and,
// once started, its process (Stop, Kill, PID). Logs go to <home>/vinrelay.log.
type Vinrelay struct {
	Binary, Home string
	// MetricsAddr is where /metrics and /healthz are served; Start picks a
	// free port each time, so a port taken meanwhile cannot fail a start.
	MetricsAddr string

	daemon
}

// NewVinrelay writes a fresh config in home; edit may adjust global settings.
func NewVinrelay(ctx context.Context, binary, home string, edit func(*relayer.GlobalConfig)) (*Vinrelay, error) {
	if err := os.RemoveAll(home); err != nil {
		return nil, err
	}
	v := &Vinrelay{Binary: binary, Home: home}
	if _, err := v.Exec(ctx, "config", "init"); err != nil {
		return nil, err
	}
	cfg, err := vrcli.LoadConfig(home)
	if err != nil {
		return nil, err
	}
	cfg.Global.PollInterval = client.Duration{Duration: 200 * time.Millisecond}
	cfg.Global.ClearInterval = client.Duration{Duration: 20 * time.Second}
	if edit != nil {
		edit(&cfg.Global)
	}
	return v, cfg.Save(home)
}

// vinrelayKeyring is the keyring backend of every harness vinrelay: local
// networks and tests keep their keys unencrypted, and say so explicitly
// (vinrelay's default is the encrypted file backend).
const vinrelayKeyring = "test"

// globalArgs go before every vinrelay command of this home.
func (v *Vinrelay) globalArgs() []string {
	return []string{"--home", v.Home, "--keyring-backend", vinrelayKeyring}
}

// Exec runs a vinrelay command against this home and returns its stdout.
func (v *Vinrelay) Exec(ctx context.Context, args ...string) ([]byte, error) {
	return v.ExecInput(ctx, "", args...)
}

// ExecInput is Exec with stdin, which is where vinrelay reads mnemonics and
// secrets (never from its arguments).
func (v *Vinrelay) ExecInput(ctx context.Context, stdin string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, v.Binary, append(v.globalArgs(), args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("vinrelay %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// AddChain configures n's chain and imports the relayer key from mnemonic.
func (v *Vinrelay) AddChain(ctx context.Context, n *Node, mnemonic string) error {
	if _, err := v.Exec(ctx, "chains", "add", "--gas-price", "0"+n.Denom, n.ChainID, n.RPCURL()); err != nil {
		return err
	}
	_, err := v.ExecInput(ctx, mnemonic+"\n", "keys", "restore", n.ChainID, vinrelayKey)
	return err
}

// Link adds a path between chains a and b (ibc "v2" or "v1") and links it.
func (v *Vinrelay) Link(ctx context.Context, name, ibc string, a, b *Node) (relayer.PathConfig, error) {
	if _, err := v.Exec(ctx, "paths", "add", "--ibc", ibc, name, a.ChainID, b.ChainID); err != nil {
		return relayer.PathConfig{}, err
	}
	if _, err := v.Exec(ctx, "paths", "link", name); err != nil {
		return relayer.PathConfig{}, err
	}
	cfg, err := vrcli.LoadConfig(v.Home)
	if err != nil {
		return relayer.PathConfig{}, err
	}
	return cfg.Path(name)
}

// Start runs `vinrelay start` in the background, appending to Log().
func (v *Vinrelay) Start(extra ...string) error {
	return v.run(func(cfg *vrcli.Config, addr string) { cfg.Global.MetricsAddr = addr }, append([]string{"start"}, extra...)...)
}

// run starts a long-running vinrelay command in the background, after
// setMetrics wrote a metrics address free right now into the config.
func (v *Vinrelay) run(setMetrics func(cfg *vrcli.Config, addr string), args ...string) error {
	name := "vinrelay " + v.Home
	if err := v.idle(name); err != nil {
		return err
	}
	if err := v.pickMetricsPort(setMetrics); err != nil {
		return err
	}
	return v.start(name, v.Log(), v.Binary, append(v.globalArgs(), args...)...)
}

// pickMetricsPort writes a port free right now into the config: chosen
// earlier, another process's outgoing connection could have taken it.
func (v *Vinrelay) pickMetricsPort(set func(cfg *vrcli.Config, addr string)) error {
	ports, err := loopback.Ports(1)
	if err != nil {
		return err
	}
	cfg, err := vrcli.LoadConfig(v.Home)
	if err != nil {
		return err
	}
	v.MetricsAddr = fmt.Sprintf("127.0.0.1:%d", ports[0])
	set(&cfg, v.MetricsAddr)
	return cfg.Save(v.Home)
}

// Log is the path of the relayer's log file.
func (v *Vinrelay) Log() string { return filepath.Join(v.Home, "vinrelay.log") }

// BindRoute lets dealerID's records flow over path p (hub = end A, dealer =
// end B): the hub's governance binds the dealer to its end, the dealer
// chain's governance sets the hub route. Both proposals run in parallel.
func BindRoute(ctx context.Context, hub, dealer *Chain, dealerID string, p relayer.PathConfig) error {
	route := func(e relayer.PathEnd) string {
		if p.IBC == relayer.IBCv1 {
			bz, _ := json.Marshal(map[string]string{"channel_id": e.ChannelID})
			return string(bz)
		}
		bz, _ := json.Marshal(map[string]string{"client_id": e.ClientID})
		return string(bz)
	}
	errs := make(chan error, 1)
	go func() {
		_, err := dealer.PassProposal(ctx, "route records to the hub", "vehicle", "set-hub-route", route(p.B))
		errs <- err
	}()
	_, err := hub.PassProposal(ctx, "bind "+dealerID, "vehicle", "bind-dealer", dealerID, route(p.A))
	if derr := <-errs; err == nil {
		err = derr
	}
	return err
}

// PathName is the name LinkNetwork gives the path from the hub to a dealer chain.
func PathName(dealerChainID string) string { return "hub-" + dealerChainID }

// LinkNetwork sets up vinrelay in home for every chain of nw, links one path
// from the hub to each dealer chain (dealer i speaks ibc[i % len(ibc)]) and
// binds each dealer's route by governance on both sides. The relayer is not
// started. Paths are returned in dealer order.
func LinkNetwork(ctx context.Context, nw *Network, binary, home string, ibc []string, edit func(*relayer.GlobalConfig)) (*Vinrelay, []relayer.PathConfig, error) {
	v, err := NewVinrelay(ctx, binary, home, edit)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range nw.Chains() {
		if err := v.AddChain(ctx, c.Node(0), c.Mnemonics[RelayerKey]); err != nil {
			return nil, nil, err
		}
	}
	paths := make([]relayer.PathConfig, len(nw.Dealers))
	for i, d := range nw.Dealers {
		if paths[i], err = v.Link(ctx, PathName(d.ID()), ibc[i%len(ibc)], nw.Hub.Node(0), d.Node(0)); err != nil {
			return nil, nil, err
		}
	}
	// One dealer at a time: the hub's proposals are found by submission order.
	for i, d := range nw.Dealers {
		if err := BindRoute(ctx, nw.Hub, d, d.DealerID, paths[i]); err != nil {
			return nil, nil, err
		}
	}
	return v, paths, nil
}

// Clone makes a second vinrelay with the same configuration and keys in
// home (Start gives it its own metrics port), e.g. to run two relayers on
// one path.
func (v *Vinrelay) Clone(home string) (*Vinrelay, error) {
	if err := os.RemoveAll(home); err != nil {
		return nil, err
	}
	if err := os.CopyFS(home, os.DirFS(v.Home)); err != nil {
		return nil, err
	}
	_ = os.Remove(filepath.Join(home, "vinrelay.log"))
	return &Vinrelay{Binary: v.Binary, Home: home}, nil
}

// Metrics returns the relayer's /metrics lines that start with prefix.
func (v *Vinrelay) Metrics(prefix string) ([]string, error) {
	_, body, err := monitor.Get(v.MetricsAddr, "/metrics")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, prefix) {
			out = append(out, line)
		}
	}
	return out, nil
}
