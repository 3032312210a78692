package testnet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vinhub/vinhub/testnet/loopback"
)

// ValidatorKey is the key name of a validator operator, in its own node's keyring.
const ValidatorKey = "validator"

// RelayerKey is the funded key every chain gets for an IBC relayer; its
// mnemonic is in Chain.Mnemonics.
const RelayerKey = "relayer"

// Genesis amounts: every key's balance and each validator's self-delegation.
const (
	genesisBalance = "1000000000000"
	selfDelegation = "100000000000"
)

// Node layout: ports reserved per node, and the moniker and home prefix of
// node i (node0, node1, ...).
const (
	portsPerNode    = 4
	multiNodePrefix = "node"
)

// DealerSpec is a dealer registered in genesis with its reporter keys.
type DealerSpec struct {
	ID, Name string
	// ReporterKeys are key names created in node 0's keyring and admitted as reporters.
	ReporterKeys []string
}

// ChainSpec describes a chain of one or more validators.
type ChainSpec struct {
	Binary  string
	ChainID string
	// Home holds the node home for one validator, or Home/node0, Home/node1, ... for more.
	Home string
	// Validators is the number of validator nodes (default 1).
	Validators int
	// Denom is the staking and fee denom (default "stake").
	Denom string
	// Keys are extra funded accounts created in node 0's keyring.
	Keys    []string
	Dealers []DealerSpec
	// Roles grants hub roles in genesis: key name (one of Keys) to role
	// (examiner, lender, regulator, notary).
	Roles map[string]string
	// Notaries puts keys (of Keys) in the founding notary set: key name to
	// the notary's BIP-340 public key in hex. Give them the notary role in Roles.
	Notaries map[string]string
	// Ledgers binds non-IBC ledger ids to dealers (of Dealers) in genesis.
	Ledgers map[string]string
	// AdmitValidator admits every validator operator in genesis (the hub's alliance rule).
	AdmitValidator bool
	// BlockTime is CometBFT's timeout_commit (default 1s).
	BlockTime time.Duration
	// BlockMaxGas caps the gas wanted by one block's transactions (consensus
	// params block.max_gas); 0 keeps the genesis default, -1: no cap.
	BlockMaxGas int64
	// VotingPeriod is the gov voting period (default 20s), short enough for demos.
	VotingPeriod time.Duration
	// GenesisEdit, if set, may change the decoded app_state (numbers are
	// json.Number) before the genesis is written to every node.
	GenesisEdit func(appState map[string]any) error
}

func (s ChainSpec) withDefaults() ChainSpec {
	if s.Validators == 0 {
		s.Validators = 1
	}
	if s.Denom == "" {
		s.Denom = "stake"
	}
	if s.BlockTime == 0 {
		s.BlockTime = time.Second
	}
	if s.VotingPeriod == 0 {
		s.VotingPeriod = 20 * time.Second
	}
	return s
}

// nodeHome is validator i's home: Home itself for a single validator.
func (s ChainSpec) nodeHome(i int) string {
	if s.Validators == 1 {
		return s.Home
	}
	return filepath.Join(s.Home, fmt.Sprintf("%s%d", multiNodePrefix, i))
}

// Chain is the nodes of one chain; CLI calls go to node 0.
type Chain struct {
	Spec  ChainSpec
	Nodes []*Node
	// Mnemonics maps each key created in node 0's keyring (RelayerKey among
	// them) to its BIP-39 mnemonic.
	Mnemonics map[string]string
	// DealerID and ReporterKey are, on a dealer chain of a Network, the dealer
	// it registers and the key name of that dealer's funded reporter.
	DealerID, ReporterKey string
}

// Node returns node i; node 0 is the one CLI calls go to.
func (c *Chain) Node(i int) *Node { return c.Nodes[i] }

// ID is the chain id.
func (c *Chain) ID() string { return c.Spec.ChainID }

// Start starts every node; if one fails, those already started are stopped.
func (c *Chain) Start() error {
	for i, n := range c.Nodes {
		if err := n.Start(); err != nil {
			_ = stopNodes(c.Nodes[:i])
			return fmt.Errorf("chain %s node %d: %w", c.ID(), i, err)
		}
	}
	return nil
}

// Stop stops every node (SIGINT, then SIGKILL after a timeout).
func (c *Chain) Stop() error { return stopNodes(c.Nodes) }

// WaitHeight waits until every started node has committed height h; one
// that has exited on its own is an error.
func (c *Chain) WaitHeight(ctx context.Context, h int64) error {
	for i, n := range c.Nodes {
		if !n.Started() {
			continue
		}
		if err := n.WaitHeight(ctx, h); err != nil {
			return fmt.Errorf("chain %s node %d: %w", c.ID(), i, err)
		}
	}
	return nil
}

// Logs lists the log file of every node.
func (c *Chain) Logs() []string {
	logs := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		logs[i] = n.LogPath()
	}
	return logs
}

// InitSingleNode creates a one-validator chain in spec.Home through the
// daemon's own init and genesis commands.
func InitSingleNode(ctx context.Context, spec ChainSpec) (*Node, error) {
	spec.Validators = 1
	c, err := InitChain(ctx, spec)
	if err != nil {
		return nil, err
	}
	return c.Node(0), nil
}

// InitChain creates a chain of spec.Validators validators under spec.Home
// (wiped first) through the daemon's own init and genesis commands: every
// node listens on free ports of 127.0.0.1 and has all others as persistent peers.
func InitChain(ctx context.Context, spec ChainSpec) (*Chain, error) {
	if spec.Binary == "" {
		return nil, errNoBinary
	}
	spec = spec.withDefaults()
	if spec.Validators < 1 {
		return nil, fmt.Errorf("chain %s: %d validators", spec.ChainID, spec.Validators)
	}
	if err := os.RemoveAll(spec.Home); err != nil {
		return nil, err
	}
	ports, err := loopback.Ports(portsPerNode * spec.Validators)
	if err != nil {
		return nil, fmt.Errorf("reserve ports: %w", err)
	}
	c := &Chain{Spec: spec, Mnemonics: map[string]string{}}
	for i := range spec.Validators {
		p := ports[i*portsPerNode:]
		n := &Node{Binary: spec.Binary, Home: spec.nodeHome(i), ChainID: spec.ChainID, Denom: spec.Denom,
			RPCPort: p[0], P2PPort: p[1], GRPCPort: p[2], APIPort: p[3]}
		if _, err := n.Exec(ctx, "init", fmt.Sprintf("%s%d", multiNodePrefix, i), "--chain-id", spec.ChainID, "--default-denom", spec.Denom); err != nil {
			return nil, err
		}
		c.Nodes = append(c.Nodes, n)
	}
	if err := c.createGenesis(ctx); err != nil {
		return nil, fmt.Errorf("genesis of %s: %w", spec.ChainID, err)
	}
	if err := c.writeConfigs(ctx); err != nil {
		return nil, fmt.Errorf("config of %s: %w", spec.ChainID, err)
	}
	return c, nil
}

// createGenesis funds and registers everything in node 0's genesis, collects
// one gentx per validator there and copies the result to every node.
func (c *Chain) createGenesis(ctx context.Context) error {
	addrs, operators, err := c.fundKeys(ctx)
	if err != nil {
		return err
	}
	if err := c.register(ctx, addrs, operators); err != nil {
		return err
	}
	if err := c.collectGentxs(ctx); err != nil {
		return err
	}
	if err := c.patchGenesis(); err != nil {
		return err
	}
	return c.copyGenesis()
}

// fundKeys creates node 0's keys and every other node's validator key, and
// funds them all in node 0's genesis. It returns node 0's key addresses by
// name and the validator operators' addresses in node order.
func (c *Chain) fundKeys(ctx context.Context) (addrs map[string]string, operators []string, err error) {
	keys := append([]string{ValidatorKey, RelayerKey}, c.Spec.Keys...)
	for _, d := range c.Spec.Dealers {
		keys = append(keys, d.ReporterKeys...)
	}
	addrs = make(map[string]string, len(keys))
	for i, n := range c.Nodes {
		names := []string{ValidatorKey}
		if i == 0 {
			names = keys
		}
		for _, k := range names {
			key, err := n.addKey(ctx, k)
			if err != nil {
				return nil, nil, err
			}
			if _, err := c.Node(0).Exec(ctx, "genesis", "add-genesis-account", key.Address, genesisBalance+c.Spec.Denom); err != nil {
				return nil, nil, err
			}
			if k == ValidatorKey {
				operators = append(operators, key.Address)
			}
			if i == 0 {
				addrs[k], c.Mnemonics[k] = key.Address, key.Mnemonic
			}
		}
	}
	return addrs, operators, nil
}

// register admits the operators (if the spec asks) and registers the
// dealers with their reporters in node 0's genesis.
func (c *Chain) register(ctx context.Context, addrs map[string]string, operators []string) error {
	if c.Spec.AdmitValidator {
		for i, addr := range operators {
			if _, err := c.Node(0).Exec(ctx, "genesis", "add-operator", addr, fmt.Sprintf("founding validator %d", i)); err != nil {
				return err
			}
		}
	}
	for _, d := range c.Spec.Dealers {
		args := []string{"genesis", "add-dealer", d.ID, d.Name}
		for _, k := range d.ReporterKeys {
			args = append(args, addrs[k])
		}
		if _, err := c.Node(0).Exec(ctx, args...); err != nil {
			return err
		}
	}
	for _, key := range slices.Sorted(maps.Keys(c.Spec.Roles)) {
		if _, err := c.Node(0).Exec(ctx, "genesis", "grant-role", addrs[key], c.Spec.Roles[key], "granted in genesis"); err != nil {
			return err
		}
	}
	for _, key := range slices.Sorted(maps.Keys(c.Spec.Notaries)) {
		if _, err := c.Node(0).Exec(ctx, "genesis", "add-notary", addrs[key], c.Spec.Notaries[key]); err != nil {
			return err
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.Spec.Ledgers)) {
		if _, err := c.Node(0).Exec(ctx, "genesis", "bind-ledger", id, c.Spec.Ledgers[id]); err != nil {
			return err
		}
	}
	return nil
}

// collectGentxs has every validator sign its gentx against node 0's genesis
// and collects them all into it.
func (c *Chain) collectGentxs(ctx context.Context) error {
	first := c.Node(0)
	gentxDir := filepath.Join(first.Home, "config", "gentx")
	if err := os.MkdirAll(gentxDir, 0o755); err != nil {
		return err
	}
	for i, n := range c.Nodes {
		if i > 0 {
			if err := copyFile(genesisPath(first), genesisPath(n)); err != nil {
				return err
			}
		}
		if _, err := n.Exec(ctx, "genesis", "gentx", ValidatorKey, selfDelegation+c.Spec.Denom,
			"--chain-id", c.Spec.ChainID, "--keyring-backend", keyringBackend,
			"--output-document", filepath.Join(gentxDir, fmt.Sprintf("gentx-%d.json", i))); err != nil {
			return err
		}
	}
	_, err := first.Exec(ctx, "genesis", "collect-gentxs")
	return err
}

// copyGenesis writes node 0's final genesis to every other node.
func (c *Chain) copyGenesis() error {
	for _, n := range c.Nodes[1:] {
		if err := copyFile(genesisPath(c.Node(0)), genesisPath(n)); err != nil {
			return err
		}
	}
	return nil
}

func genesisPath(n *Node) string { return filepath.Join(n.Home, "config", "genesis.json") }

func copyFile(from, to string) error {
	bz, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, bz, 0o600)
}

// createdKey is what `keys add --output json` prints.
type createdKey struct {
	Address  string `json:"address"`
	Mnemonic string `json:"mnemonic"`
}

// addKey creates a key in the node's keyring and returns its address and mnemonic.
func (n *Node) addKey(ctx context.Context, name string) (createdKey, error) {
	out, err := n.Exec(ctx, "keys", "add", name, "--keyring-backend", keyringBackend, "--output", "json")
	if err != nil {
		return createdKey{}, err
	}
	var key createdKey
	if err := json.Unmarshal(out, &key); err != nil {
		return createdKey{}, fmt.Errorf("decode new key %s: %w", name, err)
	}
	if key.Address == "" || key.Mnemonic == "" {
		return createdKey{}, fmt.Errorf("keys add %s printed no address or mnemonic: %s", name, out)
	}
	return key, nil
}

// patchGenesis shortens governance periods so a proposal passes within a
// demo, then applies the spec's GenesisEdit.
func (c *Chain) patchGenesis() error {
	spec, path := c.Spec, genesisPath(c.Node(0))
	bz, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(bz))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	appState, ok := doc["app_state"].(map[string]any)
	if !ok {
		return fmt.Errorf("%s has no app_state", path)
	}
	gov, ok := jsonObject(appState, "gov", "params")
	if !ok {
		return fmt.Errorf("genesis has no gov params")
	}
	gov["voting_period"] = spec.VotingPeriod.String()
	gov["expedited_voting_period"] = (spec.VotingPeriod / 2).String()
	gov["min_deposit"] = []any{map[string]any{"denom": spec.Denom, "amount": "1000"}}
	gov["expedited_min_deposit"] = []any{map[string]any{"denom": spec.Denom, "amount": "2000"}}
	if spec.BlockMaxGas != 0 {
		block, ok := jsonObject(doc, "consensus", "params", "block")
		if !ok {
			return fmt.Errorf("%s has no consensus.params.block", path)
		}
		block["max_gas"] = strconv.FormatInt(spec.BlockMaxGas, 10)
	}
	if spec.GenesisEdit != nil {
		if err := spec.GenesisEdit(appState); err != nil {
			return fmt.Errorf("genesis edit: %w", err)
		}
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o600)
}

// jsonObject follows keys down nested JSON objects; false where one is
// missing or not an object.
func jsonObject(doc map[string]any, keys ...string) (map[string]any, bool) {
	for _, k := range keys {
		next, ok := doc[k].(map[string]any)
		if !ok {
			return nil, false
		}
		doc = next
	}
	return doc, true
}

// writeConfigs points every node at its own ports and at all other nodes as peers.
func (c *Chain) writeConfigs(ctx context.Context) error {
	peers := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out, err := n.Exec(ctx, "comet", "show-node-id")
		if err != nil {
			return err
		}
		peers[i] = fmt.Sprintf("%s@127.0.0.1:%d", strings.TrimSpace(string(out)), n.P2PPort)
	}
	for i, n := range c.Nodes {
		others := slices.Delete(slices.Clone(peers), i, i+1)
		if err := n.writeConfig(c.Spec, strings.Join(others, ",")); err != nil {
			return err
		}
	}
	return nil
}

func (n *Node) writeConfig(spec ChainSpec, peers string) error {
	cfgDir := filepath.Join(n.Home, "config")
	edits := []struct {
		file, section, key, value string
	}{
		{"config.toml", "rpc", "laddr", quote(n.RPCAddr())},
		{"config.toml", "p2p", "laddr", quote(fmt.Sprintf("tcp://127.0.0.1:%d", n.P2PPort))},
		{"config.toml", "p2p", "persistent_peers", quote(peers)},
		{"config.toml", "p2p", "allow_duplicate_ip", "true"},
		{"config.toml", "p2p", "addr_book_strict", "false"},
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
	lines, i, err := findTOML(path, section, key)
	if err != nil {
		return err
	}
	lines[i] = key + " = " + value
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600)
}

// getTOML is the value of key in [section] of the TOML file at path, as
// written there (a string keeps its quotes).
func getTOML(path, section, key string) (string, error) {
	lines, i, err := findTOML(path, section, key)
	if err != nil {
		return "", err
	}
	_, value, _ := strings.Cut(lines[i], "=")
	return strings.TrimSpace(value), nil
}

// findTOML reads the file at path and finds the line of key in [section].
func findTOML(path, section, key string) ([]string, int, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
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
			return lines, i, nil
		}
	}
	return nil, 0, fmt.Errorf("%s: no %q in section [%s]", path, key, section)
}
