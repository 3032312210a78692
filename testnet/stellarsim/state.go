package stellarsim

import (
	"bytes"
	"slices"

	"github.com/stellar/go-stellar-sdk/xdr"
)

// Limits stellar-core enforces on an account.
const (
	maxSigners    = 20
	maxSubentries = 1000
)

// Threshold levels index account.thresholds, as in stellar-core.
const (
	thresholdMaster = iota
	thresholdLow
	thresholdMed
	thresholdHigh
)

// signerEntry is one added signer of an account (the master key is not one).
type signerEntry struct {
	key    xdr.SignerKey
	weight uint32
}

// account is a ledger account entry: native balance only.
type account struct {
	id         string
	balance    int64
	seq        int64
	subentries uint32
	// thresholds is master weight, low, medium, high, as in the XDR.
	thresholds [4]uint8
	flags      uint32
	homeDomain string
	inflation  string
	signers    []signerEntry
	modified   uint32
	seqLedger  uint32
	seqTime    uint64
}

func (a *account) clone() *account {
	c := *a
	c.signers = slices.Clone(a.signers)
	return &c
}

// minBalance is (2 + subentries) x base reserve: what the account must keep.
func (a *account) minBalance(reserve int64) int64 {
	return (2 + int64(a.subentries)) * reserve
}

// available is what the account can spend without going under its reserve.
func (a *account) available(reserve int64) int64 {
	return a.balance - a.minBalance(reserve)
}

// signerIndex finds an added signer by key.
func (a *account) signerIndex(key xdr.SignerKey) int {
	for i, s := range a.signers {
		if s.key.Equals(key) {
			return i
		}
	}
	return -1
}

// putSigner adds or updates a signer, keeping stellar-core's order (by key
// type, then key bytes).
func (a *account) putSigner(s signerEntry) {
	if i := a.signerIndex(s.key); i >= 0 {
		a.signers[i].weight = s.weight
		return
	}
	a.signers = append(a.signers, s)
	slices.SortFunc(a.signers, func(x, y signerEntry) int {
		bx, _ := x.key.MarshalBinary()
		by, _ := y.key.MarshalBinary()
		return bytes.Compare(bx, by)
	})
	a.subentries++
}

// removeSigner drops a signer if present and reports whether it did.
func (a *account) removeSigner(key xdr.SignerKey) bool {
	i := a.signerIndex(key)
	if i < 0 {
		return false
	}
	a.signers = slices.Delete(a.signers, i, i+1)
	a.subentries--
	return true
}

// view is a layer of account changes over a parent, so that a transaction's
// operations can be discarded together when one fails. The root view
// (parent nil) is the ledger itself.
type view struct {
	parent  *view
	changed map[string]*account // a nil value is a removed account
}

func newView(parent *view) *view {
	return &view{parent: parent, changed: map[string]*account{}}
}

// get reads an account; callers must not modify it.
func (v *view) get(id string) *account {
	for w := v; w != nil; w = w.parent {
		if a, ok := w.changed[id]; ok {
			return a
		}
	}
	return nil
}

// load returns the account for writing in this view, or nil.
func (v *view) load(id string) *account {
	if a, ok := v.changed[id]; ok {
		return a
	}
	a := v.get(id)
	if a == nil {
		return nil
	}
	if v.parent != nil {
		a = a.clone()
	}
	v.changed[id] = a
	return a
}

func (v *view) put(a *account) { v.changed[a.id] = a }

func (v *view) remove(id string) {
	if v.parent == nil {
		delete(v.changed, id)
		return
	}
	v.changed[id] = nil
}

// commit moves this view's changes into its parent.
func (v *view) commit() {
	for id, a := range v.changed {
		if a == nil {
			v.parent.remove(id)
			continue
		}
		v.parent.put(a)
	}
	v.changed = map[string]*account{}
}
