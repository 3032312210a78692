package testnet

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ValidatorKey is the key name of a single-node chain's validator operator.
const ValidatorKey = "validator"

// DealerSpec is a dealer registered in genesis with its reporter keys.
type DealerSpec struct {
	ID, Name string
	// ReporterKeys are key names created in the node's keyring and admitted as reporters.
	ReporterKeys []string
}

// ChainSpec describes a single-validator chain.
type ChainSpec struct {
	Binary  string
	ChainID string
	Home    string
	// Denom is the staking and fee denom (default "stake").
	Denom string
	// Keys are extra funded accounts created in the keyring.
	Keys    []string
	Dealers []DealerSpec
	// AdmitValidator admits the validator operator in genesis (the hub's alliance rule).
	AdmitValidator bool
	// BlockTime is CometBFT's timeout_commit (default 1s).
	BlockTime time.Duration
	// VotingPeriod is the gov voting period (default 20s), short enough for demos.
	VotingPeriod time.Duration
}

// InitSingleNode creates a one-validator chain in spec.Home through the
// daemon's own init and genesis commands.
func InitSingleNode(ctx context.Context, spec ChainSpec) (*Node, error) {
	if spec.Binary == "" {
		return nil, errNoBinary
	}
	if spec.Denom == "" {
		spec.Denom = "stake"
	}
	if spec.BlockTime == 0 {
		spec.BlockTime = time.Second
	}
	if spec.VotingPeriod == 0 {
		spec.VotingPeriod = 20 * time.Second
	}
	ports, err := freePorts(4)
	if err != nil {
		return nil, err
	}
	n := &Node{Binary: spec.Binary, Home: spec.Home, ChainID: spec.ChainID, Denom: spec.Denom,
		RPCPort: ports[0], P2PPort: ports[1], GRPCPort: ports[2], APIPort: ports[3]}
	if err := os.RemoveAll(spec.Home); err != nil {
		return nil, err
	}
	if _, err := n.Exec(ctx, "init", "node0", "--chain-id", spec.ChainID, "--default-denom", spec.Denom); err != nil {
		return nil, err
	}
	if err := n.createGenesis(ctx, spec); err != nil {
		return nil, err
	}
	if err := n.writeConfig(spec); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *Node) createGenesis(ctx context.Context, spec ChainSpec) error {
	keys := append([]string{ValidatorKey}, spec.Keys...)
	for _, d := range spec.Dealers {
		keys = append(keys, d.ReporterKeys...)
	}
	addrs := make(map[string]string, len(keys))
	for _, k := range keys {
		if _, err := n.Exec(ctx, "keys", "add", k, "--keyring-backend", keyringBackend); err != nil {
			return err
		}
		addr, err := n.KeyAddress(ctx, k)
		if err != nil {
			return err
		}
		addrs[k] = addr
		if _, err := n.Exec(ctx, "genesis", "add-genesis-account", addr, "1000000000000"+spec.Denom); err != nil {
			return err
		}
	}
	if spec.AdmitValidator {
		if _, err := n.Exec(ctx, "genesis", "add-operator", addrs[ValidatorKey], "founding validator"); err != nil {
			return err
		}
	}
	for _, d := range spec.Dealers {
		args := []string{"genesis", "add-dealer", d.ID, d.Name}
		for _, k := range d.ReporterKeys {
			args = append(args, addrs[k])
		}
		if _, err := n.Exec(ctx, args...); err != nil {
			return err
		}
	}
	if _, err := n.Exec(ctx, "genesis", "gentx", ValidatorKey, "100000000000"+spec.Denom,
		"--chain-id", spec.ChainID, "--keyring-backend", keyringBackend); err != nil {
		return err
	}
	if _, err := n.Exec(ctx, "genesis", "collect-gentxs"); err != nil {
		return err
	}
	return n.patchGenesis(spec)
}

// patchGenesis shortens governance periods so a proposal passes within a demo.
func (n *Node) patchGenesis(spec ChainSpec) error {
	path := filepath.Join(n.Home, "config", "genesis.json")
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(bz, &doc); err != nil {
		return err
	}
	gov, ok := doc["app_state"].(map[string]any)["gov"].(map[string]any)["params"].(map[string]any)
	if !ok {
		return fmt.Errorf("genesis has no gov params")
	}
	gov["voting_period"] = spec.VotingPeriod.String()
	gov["expedited_voting_period"] = (spec.VotingPeriod / 2).String()
	gov["min_deposit"] = []any{map[string]any{"denom": spec.Denom, "amount": "1000"}}
	gov["expedited_min_deposit"] = []any{map[string]any{"denom": spec.Denom, "amount": "2000"}}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o600)
}

func (n *Node) writeConfig(spec ChainSpec) error {
	cfgDir := filepath.Join(n.Home, "config")
	edits := []struct {
		file, section, key, value string
	}{
		{"config.toml", "rpc", "laddr", quote(n.RPCAddr())},
		{"config.toml", "p2p", "laddr", quote(fmt.Sprintf("tcp://127.0.0.1:%d", n.P2PPort))},
		{"config.toml", "rpc", "pprof_laddr", quote("")},
		{"config.toml", "consensus", "timeout_commit", quote(spec.BlockTime.String())},
		{"config.toml", "consensus", "timeout_propose", quote(spec.BlockTime.String())},
		{"app.toml", "", "minimum-gas-prices", quote("0" + spec.Denom)},
		{"app.toml", "api", "enable", "true"},
		{"app.toml", "api", "address", quote(fmt.Sprintf("tcp://127.0.0.1:%d", n.APIPort))},
		{"app.toml", "grpc", "address", quote(n.GRPCAddr())},
		{"client.toml", "", "node", quote(n.RPCAddr())},
		{"client.toml", "", "chain-id", quote(spec.ChainID)},
		{"client.toml", "", "keyring-backend", quote(keyringBackend)},
	}
	for _, e := range edits {
		if err := setTOML(filepath.Join(cfgDir, e.file), e.section, e.key, e.value); err != nil {
			return err
		}
	}
	return nil
}

func quote(s string) string { return strconv.Quote(s) }

// setTOML replaces `key = ...` inside [section] ("" is the top level).
func setTOML(path, section, key, value string) error {
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(bz), "\n")
	current := ""
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			current = strings.Trim(trimmed, "[]")
			continue
		}
		if current == section && strings.HasPrefix(trimmed, key+" ") && strings.Contains(trimmed, "=") {
			lines[i] = key + " = " + value
			return os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600)
		}
	}
	return fmt.Errorf("%s: no %q in section [%s]", path, key, section)
}
