package testnet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vinhub/vinhub/relayer"
	"github.com/vinhub/vinhub/testnet/rlynode"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// rlyKey is the key name rly signs with on every chain.
const rlyKey = "relayer"

// Rly is one instance of the Go relayer rly (the peer vinrelay is measured
// against): its home and, once started, its process (Stop, Kill, PID).
// Logs go to <home>/rly.log.
type Rly struct {
	Binary, Home string
	// MaxMsgs is rly's messages per relay tx (`start --max-msgs`; 0: rly's default of 5).
	MaxMsgs int

	daemon
}

// NewRly builds rly from its source archive (next to the repository, see
// rlynode) unless cached, and writes a fresh config in home.
func NewRly(ctx context.Context, home string) (*Rly, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	bin, err := rlynode.Binary(ctx, rlynode.Archive(root))
	if err != nil {
		return nil, err
	}
	if err := os.RemoveAll(home); err != nil {
		return nil, err
	}
	r := &Rly{Binary: bin, Home: home}
	_, err = r.Exec(ctx, "config", "init")
	return r, err
}

// Exec runs an rly command against this home and returns its stdout.
func (r *Rly) Exec(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, r.Binary, append(args, "--home", r.Home)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("rly %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// rlyChain is rly's chain file (`rly chains add --file`): a cosmos provider.
type rlyChain struct {
	Type  string         `json:"type"`
	Value map[string]any `json:"value"`
}

// AddChain configures n's chain (named by its chain id) and imports the
// relayer key from mnemonic. Gas settings match vinrelay's harness defaults.
func (r *Rly) AddChain(ctx context.Context, n *Node, mnemonic string) error {
	file := filepath.Join(r.Home, n.ChainID+".json")
	bz, err := json.Marshal(rlyChain{Type: "cosmos", Value: map[string]any{
		"key": rlyKey, "chain-id": n.ChainID, "rpc-addr": n.RPCURL(),
		"account-prefix": "cosmos", "keyring-backend": "test", "gas-adjustment": 1.5,
		"gas-prices": "0" + n.Denom, "debug": false, "timeout": "20s", "output-format": "json",
		"sign-mode": "direct",
	}})
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, bz, 0o600); err != nil {
		return err
	}
	if _, err := r.Exec(ctx, "chains", "add", "--file", file, n.ChainID); err != nil {
		return err
	}
	// rly takes the mnemonic as an argument: fine for a local test key.
	_, err = r.Exec(ctx, "keys", "restore", n.ChainID, rlyKey, mnemonic)
	return err
}

// LinkVehicle creates a path from hub to dealer as an operator would:
// `rly paths new` and `rly tx link` with a vehicle channel (port vehicle
// both ends, version vinhub-vehicle-1, unordered). It returns the path with
// the identifiers rly created, in vinrelay's terms (A = hub, B = dealer).
func (r *Rly) LinkVehicle(ctx context.Context, name string, hub, dealer *Node) (relayer.PathConfig, error) {
	p := relayer.PathConfig{Name: name, IBC: relayer.IBCv1, Version: vehicletypes.Version}
	if _, err := r.Exec(ctx, "paths", "new", hub.ChainID, dealer.ChainID, name); err != nil {
		return p, err
	}
	if _, err := r.Exec(ctx, "tx", "link", name, "--src-port", vehicletypes.PortID, "--dst-port", vehicletypes.PortID,
		"--version", vehicletypes.Version, "--order", "unordered"); err != nil {
		return p, err
	}
	out, err := r.Exec(ctx, "paths", "show", name, "--json")
	if err != nil {
		return p, err
	}
	var shown struct { // rly's PathWithStatus: the path is under "chains"
		Path struct {
			Src, Dst struct {
				ClientID     string `json:"client-id"`
				ConnectionID string `json:"connection-id"`
			}
		} `json:"chains"`
	}
	if err := json.Unmarshal(out, &shown); err != nil {
		return p, fmt.Errorf("rly paths show %s: %w: %s", name, err, out)
	}
	p.A = relayer.PathEnd{Chain: hub.ChainID, ClientID: shown.Path.Src.ClientID, ConnectionID: shown.Path.Src.ConnectionID, PortID: vehicletypes.PortID}
	p.B = relayer.PathEnd{Chain: dealer.ChainID, ClientID: shown.Path.Dst.ClientID, ConnectionID: shown.Path.Dst.ConnectionID, PortID: vehicletypes.PortID}
	if p.A.ChannelID, err = openVehicleChannel(ctx, hub, p.A.ConnectionID); err != nil {
		return p, err
	}
	p.B.ChannelID, err = openVehicleChannel(ctx, dealer, p.B.ConnectionID)
	return p, err
}

// openVehicleChannel is the id of the open vehicle channel on connection.
func openVehicleChannel(ctx context.Context, n *Node, connection string) (string, error) {
	var res struct {
		Channels []struct {
			State     string `json:"state"`
			PortID    string `json:"port_id"`
			ChannelID string `json:"channel_id"`
		} `json:"channels"`
	}
	if err := n.Query(ctx, &res, "ibc", "channel", "connections", connection); err != nil {
		return "", err
	}
	for _, c := range res.Channels {
		if c.PortID == vehicletypes.PortID && (c.State == "STATE_OPEN" || c.State == "OPEN") {
			return c.ChannelID, nil
		}
	}
	return "", fmt.Errorf("%s: no open vehicle channel on %s: %+v", n.ChainID, connection, res.Channels)
}

// Start runs `rly start <path>` in the background, appending to Log().
func (r *Rly) Start(path string, extra ...string) error {
	args := []string{"start", path, "--home", r.Home}
	if r.MaxMsgs > 0 {
		args = append(args, "--max-msgs", strconv.Itoa(r.MaxMsgs))
	}
	return r.start("rly "+r.Home, r.Log(), r.Binary, append(args, extra...)...)
}

// Log is the path of rly's log file.
func (r *Rly) Log() string { return filepath.Join(r.Home, "rly.log") }

// AddPath configures an existing path (clients and connection already
// linked, e.g. by vinrelay) in rly under p's name: rly relays every
// channel of that connection.
func (r *Rly) AddPath(ctx context.Context, p relayer.PathConfig) error {
	end := func(e relayer.PathEnd) map[string]string {
		return map[string]string{"chain-id": e.Chain, "client-id": e.ClientID, "connection-id": e.ConnectionID}
	}
	bz, err := json.Marshal(map[string]any{"src": end(p.A), "dst": end(p.B),
		"src-channel-filter": map[string]any{"rule": "", "channel-list": []string{}}})
	if err != nil {
		return err
	}
	file := filepath.Join(r.Home, p.Name+".path.json")
	if err := os.WriteFile(file, bz, 0o600); err != nil {
		return err
	}
	_, err = r.Exec(ctx, "paths", "add", p.A.Chain, p.B.Chain, p.Name, "--file", file)
	return err
}
