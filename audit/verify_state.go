package audit

import (
	"bytes"
	"encoding/binary"
	"fmt"

	assettypes "github.com/vinhub/vinhub/x/asset/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// unmarshaler is a protobuf value the auditor decodes from a proven read.
type unmarshaler[T any] interface {
	*T
	Unmarshal([]byte) error
}

// provenObject proves that r answers key of store with a value and decodes
// it; when it does not, it records the contradiction and returns false.
func provenObject[T any, PT unmarshaler[T]](f *Findings, appHash []byte, r Read, store string, key []byte, subject, what string) (T, bool) {
	var zero T
	if r.Store != store || !bytes.Equal(r.Key, key) || r.Value == nil {
		f.contradict(subject, what, fmt.Errorf("the server withheld it (answered %s %x)", r.Store, r.Key))
		return zero, false
	}
	if err := r.Verify(appHash); err != nil {
		f.contradict(subject, what, err)
		return zero, false
	}
	v := PT(new(T))
	if err := v.Unmarshal(r.Value); err != nil {
		f.contradict(subject, what, fmt.Errorf("proven value does not decode: %w", err))
		return zero, false
	}
	return *v, true
}

// indexed proves an index walk complete and each object an entry names,
// read at key(id) in store; it returns the proven objects in index order.
func indexed[T any, PT unmarshaler[T]](f *Findings, appHash []byte, rg Range, store string, prefix []byte, reads []Read, key func(uint64) []byte, noun string) []T {
	if rg.Store != store || !bytes.Equal(rg.Prefix, prefix) {
		f.contradict(noun+"s", "every "+noun+" of the VIN", fmt.Errorf("%w: the walk is of another range", ErrNotProven))
		return nil
	}
	entries, err := rg.Verify(appHash)
	if err != nil {
		f.contradict(noun+"s", "every "+noun+" of the VIN", err)
		return nil
	}
	f.add(Proven, noun+"s", fmt.Sprintf("the VIN has exactly %d %s(s) on the hub", len(entries), noun), "")
	var out []T
	for i, e := range entries {
		id, _ := trailingID(e.Key)
		subject := fmt.Sprintf("%s %d", noun, id)
		var r Read
		if i < len(reads) {
			r = reads[i]
		}
		v, ok := provenObject[T, PT](f, appHash, r, store, key(id), subject, "a "+noun+" the proven index lists")
		if !ok {
			continue
		}
		out = append(out, v)
	}
	return out
}

// verifyLiens proves every lien of the VIN, and the active one or that
// there is none (an absence proof).
func (f *Findings) verifyLiens(appHash []byte, ev Evidence) {
	f.Liens = indexed[vehicletypes.Lien](f, appHash, ev.Liens, vehicletypes.StoreKey, liensByVINPrefix(ev.VIN), ev.LienReads, lienKey, "lien")
	for _, l := range f.Liens {
		f.add(Proven, fmt.Sprintf("lien %d", l.Id), describeLien(l), "")
	}
	r := ev.ActiveLien
	const what = "the VIN's active lien"
	if r.Store != vehicletypes.StoreKey || !bytes.Equal(r.Key, activeLienKey(ev.VIN)) {
		f.contradict("active lien", what, fmt.Errorf("%w: the server answered key %s %x", ErrNotProven, r.Store, r.Key))
		return
	}
	if err := r.Verify(appHash); err != nil {
		f.contradict("active lien", what, err)
		return
	}
	if r.Value == nil {
		f.add(Proven, "active lien", "no active lien on the VIN", "")
		return
	}
	if len(r.Value) != 8 {
		f.contradict("active lien", what, fmt.Errorf("proven value %x is not a lien id", r.Value))
		return
	}
	f.ActiveLien = binary.BigEndian.Uint64(r.Value)
	f.add(Proven, "active lien", fmt.Sprintf("lien %d is active on the VIN", f.ActiveLien), "")
}

func describeLien(l vehicletypes.Lien) string {
	s := fmt.Sprintf("held by %s, granted at height %d", l.Holder.String(), l.GrantedHeight)
	if l.Status == vehicletypes.LIEN_STATUS_RELEASED {
		s += fmt.Sprintf(", released at height %d (%s)", l.ReleasedHeight, l.ReleaseReason)
	}
	return s
}

// verifyAssets proves every hub asset of the VIN, whether a swap holds its
// title (an HTLC escrows a title by owning it), and the loans named.
func (f *Findings) verifyAssets(appHash []byte, ev Evidence) {
	f.Assets = indexed[assettypes.Asset](f, appHash, ev.Assets, assettypes.StoreKey, assetsByVINPrefix(ev.VIN), ev.AssetReads, assetKey, "asset")
	for _, a := range f.Assets {
		subject := fmt.Sprintf("asset %d", a.Id)
		f.add(Proven, subject, fmt.Sprintf("%s, owned by %s", a.Status, a.Owner), "")
		if a.Owner == htlcEscrow {
			f.add(Proven, subject, "its title is escrowed in an open HTLC", "")
		} else {
			f.add(Proven, subject, "no open HTLC holds its title", "")
		}
	}
	for _, id := range namedLoans(f.Records, f.Liens, f.Assets) {
		f.verifyLoan(appHash, id, findRead(ev.Loans, loanKey(id)))
	}
}

// findRead is the read of key among reads (a zero Read if the server gave none).
func findRead(reads []Read, key []byte) Read {
	for _, r := range reads {
		if bytes.Equal(r.Key, key) {
			return r
		}
	}
	return Read{}
}

// verifyLoan proves one loan the VIN's proven state names.
func (f *Findings) verifyLoan(appHash []byte, id uint64, r Read) {
	subject := fmt.Sprintf("loan %d", id)
	l, ok := provenObject[assettypes.Loan](f, appHash, r, assettypes.StoreKey, loanKey(id), subject, "a loan the VIN's state names")
	if !ok {
		return
	}
	f.Loans = append(f.Loans, l)
	f.add(Proven, subject, fmt.Sprintf("%s, %s lent by %s to %s", l.Status, l.Principal, l.Lender, l.Borrower), "")
}
