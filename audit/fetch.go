package audit

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

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
	// Anchorings are x/anchor's entries for the records' evidence hashes.
	Anchorings []Read `json:"anchorings"`
}

// maxWalk bounds a range walk, so a lying server cannot keep one going forever.
const maxWalk = 1_000_000

// Fetch reads the evidence about vin at height through p. It trusts
// nothing it reads: a lie shows in Verify. It fails only when p does.
func Fetch(ctx context.Context, p Prover, vin string, height int64) (Evidence, error) {
	ev := Evidence{VIN: vin, Height: height}
	var err error
	read := func(store string, key []byte) Read {
		if err != nil {
			return Read{}
		}
		var r Read
		r, err = p.Prove(ctx, store, key, height)
		return r
	}
	ev.Summary = read(vehicletypes.StoreKey, summaryKey(vin))
	var entries []Entry
	if ev.History, entries, err = walk(ctx, p, vehicletypes.StoreKey, historyPrefix(vin), height); err != nil {
		return ev, err
	}
	for _, e := range entries {
		id, _ := trailingID(e.Key)
		ev.Records = append(ev.Records, read(vehicletypes.StoreKey, recordKey(id)))
	}
	for _, sum := range recordEvidence(decodeAll[vehicletypes.Record](ev.Records)) {
		ev.Anchorings = append(ev.Anchorings, read(anchortypes.StoreKey, anchoringKey(sum)))
	}
	ev.ActiveLien = read(vehicletypes.StoreKey, activeLienKey(vin))
	if err != nil {
		return ev, err
	}
	if err := fetchAttestations(ctx, p, &ev); err != nil {
		return ev, err
	}
	if ev.Liens, entries, err = walk(ctx, p, vehicletypes.StoreKey, liensByVINPrefix(vin), height); err != nil {
		return ev, err
	}
	for _, e := range entries {
		id, _ := trailingID(e.Key)
		ev.LienReads = append(ev.LienReads, read(vehicletypes.StoreKey, lienKey(id)))
	}
	if ev.Assets, entries, err = walk(ctx, p, assettypes.StoreKey, assetsByVINPrefix(vin), height); err != nil {
		return ev, err
	}
	for _, e := range entries {
		id, _ := trailingID(e.Key)
		ev.AssetReads = append(ev.AssetReads, read(assettypes.StoreKey, assetKey(id)))
	}
	for _, id := range loanIDs(ev) {
		ev.Loans = append(ev.Loans, read(assettypes.StoreKey, loanKey(id)))
	}
	return ev, err
}

// walk reads a range step by step, following each absence proof's next
// key without checking it (Range.Verify does), and returns the range with
// the entries the server showed.
func walk(ctx context.Context, p Prover, store string, prefix []byte, height int64) (Range, []Entry, error) {
	rg := Range{Store: store, Prefix: prefix}
	var entries []Entry
	cursor := prefix
	for range maxWalk {
		step, err := p.Prove(ctx, store, cursor, height)
		if err != nil {
			return rg, nil, fmt.Errorf("walk %s %x: %w", store, prefix, err)
		}
		rg.Steps = append(rg.Steps, step)
		next := step.next()
		if step.Value != nil || next == nil || !bytes.HasPrefix(next.Key, prefix) || bytes.Compare(next.Key, cursor) <= 0 {
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
