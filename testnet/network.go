package testnet

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// HubChainID is the chain id of a Network's hub.
const HubChainID = "vinhub-local"

// Network defaults.
const (
	defaultDealerChains = 2
	maxDealerChains     = 26 // one letter each
	// startTimeout bounds the wait for every chain's first blocks.
	startTimeout = 3 * time.Minute
)

// NetworkSpec describes a hub and its dealer chains on loopback.
type NetworkSpec struct {
	// Dir holds every chain's home: Dir/hub, Dir/dealer-a, ... (each wiped first).
	Dir string
	// HubValidators is the number of hub validators (default 1).
	HubValidators int
	// Dealers is the number of dealer chains (default 2; see NoDealers).
	Dealers int
	// NoDealers starts the hub alone.
	NoDealers bool
	// BlockTime is every chain's block time (default 1s).
	BlockTime time.Duration
	// VotingPeriod is every chain's gov voting period (default 20s).
	VotingPeriod time.Duration
	// HubBinary and DealerBinary are the vinhubd and dealerd to run
	// (DealerBinary only if there are dealer chains).
	HubBinary, DealerBinary string
	// HubGenesisEdit and DealerGenesisEdit are the chains' ChainSpec.GenesisEdit.
	HubGenesisEdit, DealerGenesisEdit func(appState map[string]any) error
	// Notaries are the hub's founding notary set: key name to BIP-340
	// public key (hex); each key is funded and holds the notary role.
	Notaries map[string]string
	// LedgerDealers are hub dealers without a chain, each with the non-IBC
	// ledger its records come from: dealer id to ledger id.
	LedgerDealers map[string]string
}

// Network is a running hub and its dealer chains.
type Network struct {
	Hub     *Chain
	Dealers []*Chain

	stopMu sync.Mutex
}

// DealerChainID is the chain id of dealer chain i: dealer-a, dealer-b, ...
// (no -<digits> suffix, which IBC would read as a revision number).
func DealerChainID(i int) string { return "dealer-" + dealerLetter(i) }

// DealerID is the dealer that dealer chain i registers, on itself and on the hub.
func DealerID(i int) string { return "dealer" + dealerLetter(i) + "-motors" }

func dealerLetter(i int) string { return string(rune('a' + i)) }

func (s NetworkSpec) dealerCount() int {
	switch {
	case s.NoDealers:
		return 0
	case s.Dealers == 0:
		return defaultDealerChains
	}
	return s.Dealers
}

// hubSpec registers every dealer chain's dealer on the hub, without reporters:
// its records arrive over IBC.
func (s NetworkSpec) hubSpec() ChainSpec {
	spec := ChainSpec{Binary: s.HubBinary, ChainID: HubChainID, Home: filepath.Join(s.Dir, "hub"),
		Validators: s.HubValidators, AdmitValidator: true, BlockTime: s.BlockTime, VotingPeriod: s.VotingPeriod,
		GenesisEdit: s.HubGenesisEdit, Keys: FinanceDemoKeys, Roles: FinanceDemoRoles}
	for i := range s.dealerCount() {
		spec.Dealers = append(spec.Dealers, DealerSpec{ID: DealerID(i), Name: dealerName(i)})
	}
	if len(s.Notaries) > 0 {
		spec.Roles = maps.Clone(spec.Roles)
		spec.Notaries = s.Notaries
		for _, key := range slices.Sorted(maps.Keys(s.Notaries)) {
			spec.Keys = append(slices.Clone(spec.Keys), key)
			spec.Roles[key] = "notary"
		}
	}
	spec.Ledgers = map[string]string{}
	for _, id := range slices.Sorted(maps.Keys(s.LedgerDealers)) {
		spec.Dealers = append(spec.Dealers, DealerSpec{ID: id, Name: id})
		spec.Ledgers[s.LedgerDealers[id]] = id
	}
	return spec
}

// dealerSpec is dealer chain i with its dealer and one funded reporter.
func (s NetworkSpec) dealerSpec(i int) ChainSpec {
	return ChainSpec{Binary: s.DealerBinary, ChainID: DealerChainID(i), Home: filepath.Join(s.Dir, DealerChainID(i)),
		BlockTime: s.BlockTime, VotingPeriod: s.VotingPeriod, GenesisEdit: s.DealerGenesisEdit,
		Dealers: []DealerSpec{{ID: DealerID(i), Name: dealerName(i), ReporterKeys: []string{reporterKey(i)}}}}
}

func dealerName(i int) string { return fmt.Sprintf("Dealer %c Motors", 'A'+i) }

func reporterKey(i int) string { return DealerID(i) + "-reporter" }

func (s NetworkSpec) validate() error {
	switch {
	case s.Dir == "":
		return errors.New("network: Dir not set")
	case s.HubBinary == "":
		return fmt.Errorf("network hub: %w", errNoBinary)
	case s.dealerCount() > 0 && s.DealerBinary == "":
		return fmt.Errorf("network dealers: %w", errNoBinary)
	case s.dealerCount() < 0 || s.dealerCount() > maxDealerChains:
		return fmt.Errorf("network: %d dealer chains, want 0-%d", s.dealerCount(), maxDealerChains)
	}
	return nil
}

// StartNetwork initialises the hub and every dealer chain, starts all their
// nodes as processes on 127.0.0.1 and waits until every chain has made two
// blocks. On error it stops whatever it started; the Network it then returns
// (if not nil) only serves to read the logs.
func StartNetwork(ctx context.Context, spec NetworkSpec) (*Network, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	nw := &Network{}
	if err := nw.init(ctx, spec); err != nil {
		return nw, err
	}
	if err := nw.start(ctx); err != nil {
		return nw, errors.Join(err, nw.Stop())
	}
	return nw, nil
}

// init creates the hub and the dealer chains, one after the other.
func (nw *Network) init(ctx context.Context, spec NetworkSpec) error {
	hub, err := InitChain(ctx, spec.hubSpec())
	if err != nil {
		return err
	}
	nw.Hub = hub
	for i := range spec.dealerCount() {
		c, err := InitChain(ctx, spec.dealerSpec(i))
		if err != nil {
			return err
		}
		c.DealerID, c.ReporterKey = DealerID(i), reporterKey(i)
		nw.Dealers = append(nw.Dealers, c)
	}
	return nil
}

// start starts every chain, then waits for each to reach height 2.
func (nw *Network) start(ctx context.Context) error {
	for _, c := range nw.Chains() {
		if err := c.Start(); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	for _, c := range nw.Chains() {
		if err := c.WaitHeight(ctx, 2); err != nil {
			return err
		}
	}
	return nil
}

// Chains lists the hub, then the dealer chains.
func (nw *Network) Chains() []*Chain {
	if nw.Hub == nil {
		return nil
	}
	return append([]*Chain{nw.Hub}, nw.Dealers...)
}

// Stop stops every node of every chain (SIGINT, then SIGKILL after a
// timeout). It may be called more than once, also concurrently.
func (nw *Network) Stop() error {
	nw.stopMu.Lock()
	defer nw.stopMu.Unlock()
	var nodes []*Node
	for _, c := range nw.Chains() {
		nodes = append(nodes, c.Nodes...)
	}
	return stopNodes(nodes)
}

// Logs lists the log file of every node of every chain.
func (nw *Network) Logs() []string {
	var logs []string
	for _, c := range nw.Chains() {
		logs = append(logs, c.Logs()...)
	}
	return logs
}
