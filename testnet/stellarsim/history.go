package stellarsim

import (
	"encoding/base64"
	"sort"
	"strconv"
	"time"

	"github.com/stellar/go-stellar-sdk/toid"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// ledgerHeader is one closed ledger.
type ledgerHeader struct {
	seq       uint32
	hash      [32]byte
	prevHash  [32]byte
	closeTime time.Time
	succeeded int32
	failed    int32
	ops       int32
	txSetOps  int32
	feePool   int64
}

// txRecord is a transaction applied in a ledger, successful or not.
type txRecord struct {
	hash         string
	ledger       uint32
	order        uint32 // 1-based position in its ledger
	closeTime    time.Time
	frame        txFrame
	envelopeXDR  string
	result       txResult
	resultXDR    string
	participants []string
}

// token is the record's paging token (Horizon's TOID).
func (r *txRecord) token() int64 {
	return toid.New(int32(r.ledger), int32(r.order), 0).ToInt64()
}

// participantsOf lists every account a transaction touches, as Horizon
// indexes them for /accounts/{id}/transactions.
func participantsOf(f txFrame) []string {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if f.bump != nil {
		add(f.bump.source)
	}
	add(f.source)
	for _, op := range f.tx.Operations {
		add(f.opSource(op))
		switch b := op.Body; b.Type {
		case xdr.OperationTypeCreateAccount:
			add(b.CreateAccountOp.Destination.Address())
		case xdr.OperationTypePayment:
			add(accountOf(b.PaymentOp.Destination))
		case xdr.OperationTypeAccountMerge:
			add(accountOf(*b.Destination))
		}
	}
	return out
}

// history keeps every applied transaction; it outlives the accounts it
// names, as Horizon's does after a merge.
type history struct {
	all       []*txRecord
	byHash    map[string]*txRecord
	byAccount map[string][]*txRecord
}

func newHistory() *history {
	return &history{byHash: map[string]*txRecord{}, byAccount: map[string][]*txRecord{}}
}

func (h *history) add(r *txRecord) {
	h.all = append(h.all, r)
	h.byHash[r.hash] = r
	for _, id := range r.participants {
		h.byAccount[id] = append(h.byAccount[id], r)
	}
}

// pageQuery is Horizon's cursor, order and limit.
type pageQuery struct {
	cursor        int64 // exclusive; 0 is the start in either order
	desc          bool
	limit         int
	includeFailed bool
}

// page returns up to q.limit records after the cursor from records kept
// in ascending token order, skipping those keep refuses.
func page[T any](records []T, token func(T) int64, keep func(T) bool, q pageQuery) []T {
	var out []T
	if !q.desc {
		i := sort.Search(len(records), func(i int) bool { return token(records[i]) > q.cursor })
		for ; i < len(records) && len(out) < q.limit; i++ {
			if keep(records[i]) {
				out = append(out, records[i])
			}
		}
		return out
	}
	i := len(records) - 1
	if q.cursor > 0 {
		i = sort.Search(len(records), func(i int) bool { return token(records[i]) >= q.cursor }) - 1
	}
	for ; i >= 0 && len(out) < q.limit; i-- {
		if keep(records[i]) {
			out = append(out, records[i])
		}
	}
	return out
}

// memo is the transaction's memo as Horizon shows it: type, value and
// (for text) the raw bytes.
func memo(m xdr.Memo) (kind, value, raw string) {
	switch m.Type {
	case xdr.MemoTypeMemoText:
		return "text", *m.Text, base64.StdEncoding.EncodeToString([]byte(*m.Text))
	case xdr.MemoTypeMemoId:
		return "id", strconv.FormatUint(uint64(*m.Id), 10), ""
	case xdr.MemoTypeMemoHash:
		return "hash", base64.StdEncoding.EncodeToString(m.Hash[:]), ""
	case xdr.MemoTypeMemoReturn:
		return "return", base64.StdEncoding.EncodeToString(m.RetHash[:]), ""
	}
	return "none", "", ""
}
