package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	rpcclient "github.com/cometbft/cometbft/rpc/client"

	"github.com/vinhub/vinhub/client"
	anchortypes "github.com/vinhub/vinhub/x/anchor/types"
	assettypes "github.com/vinhub/vinhub/x/asset/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// Prover answers store reads with proofs at a height.
type Prover interface {
	Prove(ctx context.Context, store string, key []byte, height int64) (Read, error)
}

// RPCProver reads through a node's CometBFT RPC (abci_query, prove=true).
type RPCProver struct{ RPC rpcclient.ABCIClient }

// Prove implements Prover.
func (p RPCProver) Prove(ctx context.Context, store string, key []byte, height int64) (Read, error) {
	value, proof, err := client.ProveKey(ctx, p.RPC, store, key, height)
	if err != nil {
		return Read{}, err
	}
	return Read{Store: store, Key: key, Value: value, Proof: proof}, nil
}

// Evidence is everything read about one VIN at one height, with proofs:
// what Verify turns into a report. Height is the state's height; the
// proofs verify against the app hash in the header of Height+1.
type Evidence struct {
	VIN    string `json:"vin"`
	Height int64  `json:"height"`
	// Summary is the VIN's summary (absent: the hub has no record of it).
	Summary Read `json:"summary"`
	// History walks the VIN's history index; Records has the record of each
	// entry, in history order.
	History Range  `json:"history"`
	Records []Read `json:"records"`
	// ActiveLien is the VIN's active-lien entry (absent: no active lien).
	ActiveLien Read `json:"active_lien"`
	// Liens walks the VIN's lien index; LienReads has each lien.
	Liens     Range  `json:"liens"`
	LienReads []Read `json:"lien_reads"`
	// Assets walks x/asset's assets-by-VIN index; AssetReads has each asset.
	Assets     Range  `json:"assets"`
	AssetReads []Read `json:"asset_reads"`
	// Loans are the loans the assets, liens and ownership records name.
	Loans []Read `json:"loans"`
	// Attestations carried the records attested from ledgers; NotarySets
	// are the sets that signed them (x/notary).
	Attestations []Read `json:"attestations"`
	NotarySets   []Read `json:"notary_sets"`
	// Signatures walks each attestation's signature keys (x/notary keeps
	// each signature under its own key, not in the attestation's value).
	Signatures []Range `json:"signatures"`
	// Anchorings are x/anchor's entries for the records' evidence hashes.
	Anchorings []Read `json:"anchorings"`
}

// maxWalk bounds a range walk, a backstop: walk stops at the first step
// that does not verify, so a lying server cannot lead it past the real keys.
const maxWalk = 1_000_000

// Fetch reads the evidence about vin in the verified state through p. It
// trusts nothing it reads: a lie shows in Verify. A walk stops at its first
// step that does not verify against the state's app hash, so a server
// cannot keep the auditor walking (and reading what it lists) with made-up
// keys. It fails only when p does.
func Fetch(ctx context.Context, p Prover, vin string, state Verified) (Evidence, error) {
	height := state.Height
	ev := Evidence{VIN: vin, Height: height}
	var err error
	if ev.Summary, err = p.Prove(ctx, vehicletypes.StoreKey, summaryKey(vin), height); err != nil {
		return ev, err
	}
	var entries []Entry
	if ev.History, entries, err = walk(ctx, p, vehicletypes.StoreKey, historyPrefix(vin), state); err != nil {
		return ev, err
	}
	if ev.Records, err = readAll(ctx, p, vehicletypes.StoreKey, idKeys(entries, recordKey), height); err != nil {
		return ev, err
	}
	var sums [][]byte
	for _, sum := range recordEvidence(decodeAll[vehicletypes.Record](ev.Records)) {
		sums = append(sums, anchoringKey(sum))
	}
	if ev.Anchorings, err = readAll(ctx, p, anchortypes.StoreKey, sums, height); err != nil {
		return ev, err
	}
	if ev.ActiveLien, err = p.Prove(ctx, vehicletypes.StoreKey, activeLienKey(vin), height); err != nil {
		return ev, err
	}
	if err := fetchAttestations(ctx, p, &ev, state); err != nil {
		return ev, err
	}
	if ev.Liens, entries, err = walk(ctx, p, vehicletypes.StoreKey, liensByVINPrefix(vin), state); err != nil {
		return ev, err
	}
	if ev.LienReads, err = readAll(ctx, p, vehicletypes.StoreKey, idKeys(entries, lienKey), height); err != nil {
		return ev, err
	}
	if ev.Assets, entries, err = walk(ctx, p, assettypes.StoreKey, assetsByVINPrefix(vin), state); err != nil {
		return ev, err
	}
	if ev.AssetReads, err = readAll(ctx, p, assettypes.StoreKey, idKeys(entries, assetKey), height); err != nil {
		return ev, err
	}
	var loans [][]byte
	for _, id := range loanIDs(ev) {
		loans = append(loans, loanKey(id))
	}
	ev.Loans, err = readAll(ctx, p, assettypes.StoreKey, loans, height)
	return ev, err
}

// fetchParallel bounds the reads in flight: the walks are sequential (each
// step's cursor comes from the last answer), but the objects they list are
// independent, and a few round trips in flight hide most of the latency
// without flooding a public RPC.
const fetchParallel = 8

// readAll proves keys of store at height, at most fetchParallel at a time,
// and returns the reads in keys' order, or the failures.
func readAll(ctx context.Context, p Prover, store string, keys [][]byte, height int64) ([]Read, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	reads, errs := make([]Read, len(keys)), make([]error, len(keys))
	slots := make(chan struct{}, fetchParallel)
	var wg sync.WaitGroup
	for i, key := range keys {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			reads[i], errs[i] = p.Prove(ctx, store, key, height)
		}()
	}
	wg.Wait()
	return reads, errors.Join(errs...)
}

// idKeys are the object keys the index entries name by their trailing id.
func idKeys(entries []Entry, key func(uint64) []byte) [][]byte {
	keys := make([][]byte, len(entries))
	for i, e := range entries {
		id, _ := trailingID(e.Key)
		keys[i] = key(id)
	}
	return keys
}

// walk reads a range step by step in the verified state, following each
// absence proof's next key, and returns the range with the entries the
// server showed. It stops at a step that does not verify (Range.Verify
// reports it).
func walk(ctx context.Context, p Prover, store string, prefix []byte, state Verified) (Range, []Entry, error) {
	rg := Range{Store: store, Prefix: prefix}
	var entries []Entry
	cursor := prefix
	for range maxWalk {
		step, err := p.Prove(ctx, store, cursor, state.Height)
		if err != nil {
			return rg, nil, fmt.Errorf("walk %s %x: %w", store, prefix, err)
		}
		rg.Steps = append(rg.Steps, step)
		next := step.next()
		if step.Value != nil || next == nil || !bytes.HasPrefix(next.Key, prefix) || bytes.Compare(next.Key, cursor) <= 0 || step.Verify(state.AppHash) != nil {
			return rg, entries, nil
		}
		entries = append(entries, Entry{Key: next.Key, Value: next.Value})
		cursor = successor(next.Key)
	}
	return rg, entries, nil
}

// loanIDs are the loans the fetched evidence names, decoded without
// checking (Verify asks for the loans the proven state names).
func loanIDs(ev Evidence) []uint64 {
	return namedLoans(decodeAll[vehicletypes.Record](ev.Records), decodeAll[vehicletypes.Lien](ev.LienReads), decodeAll[assettypes.Asset](ev.AssetReads))
}

func decodeAll[T any, PT unmarshaler[T]](reads []Read) []T {
	var out []T
	for _, r := range reads {
		v := PT(new(T))
		if v.Unmarshal(r.Value) == nil {
			out = append(out, *v)
		}
	}
	return out
}

// namedLoans are the hub loans a VIN's state names: its assets' current
// loans, the hub loans' liens ("loan/<id>") and defaults' ownership records.
func namedLoans(records []vehicletypes.Record, liens []vehicletypes.Lien, assets []assettypes.Asset) []uint64 {
	seen := map[uint64]bool{}
	var ids []uint64
	add := func(id uint64) {
		if id != 0 && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	addRef := func(module, ref string) {
		if n, ok := strings.CutPrefix(ref, "loan/"); ok && module == assettypes.ModuleName {
			id, _ := strconv.ParseUint(n, 10, 64)
			add(id)
		}
	}
	for _, a := range assets {
		add(a.LoanId)
	}
	for _, l := range liens {
		addRef(l.Holder.Module, l.Holder.Reference)
	}
	for _, rec := range records {
		if rec.TitleOrigin != nil {
			addRef(rec.TitleOrigin.Module, rec.TitleOrigin.Reference)
		}
	}
	return ids
}
