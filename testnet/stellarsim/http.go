package stellarsim

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"

	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/support/render/hal"
	"github.com/stellar/go-stellar-sdk/support/render/problem"
	"github.com/stellar/go-stellar-sdk/toid"
	"github.com/stellar/go-stellar-sdk/xdr"
)

const horizonErrors = "https://stellar.org/horizon-errors/"

// routes serves the Horizon endpoints horizonclient and the swap adapter
// use; anything else is Horizon's 404 problem.
func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleRoot)
	mux.HandleFunc("GET /accounts/{id}", s.handleAccount)
	mux.HandleFunc("GET /accounts/{id}/data/{key}", s.handleAccountData)
	mux.HandleFunc("GET /accounts/{id}/transactions", s.handleAccountTxs)
	mux.HandleFunc("GET /transactions", s.handleTxs)
	mux.HandleFunc("GET /transactions/{hash}", s.handleTx)
	mux.HandleFunc("POST /transactions", s.handleSubmit)
	mux.HandleFunc("GET /ledgers", s.handleLedgers)
	mux.HandleFunc("GET /ledgers/{seq}", s.handleLedger)
	mux.HandleFunc("/friendbot", s.handleFriendbot)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { writeProblem(w, notFound()) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Horizon's Date header is what horizonclient's FetchTimebounds
		// reads as the server time: here it is the simulated clock.
		w.Header().Set("Date", s.cfg.Now().UTC().Format(http.TimeFormat))
		mux.ServeHTTP(w, r)
	})
}

func (s *Sim) handleRoot(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, s.rootResource())
}

func (s *Sim) handleAccount(w http.ResponseWriter, r *http.Request) {
	id, ok := accountParam(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.state.get(id)
	if a == nil {
		writeProblem(w, notFound())
		return
	}
	writeJSON(w, s.accountResource(a))
}

// handleAccountData answers every data key as missing: the simulator has
// no data entries (horizonclient asks for config.memo_required, SEP-29).
func (s *Sim) handleAccountData(w http.ResponseWriter, _ *http.Request) {
	writeProblem(w, notFound())
}

func (s *Sim) handleAccountTxs(w http.ResponseWriter, r *http.Request) {
	id, ok := accountParam(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	records := s.history.byAccount[id]
	s.mu.Unlock()
	s.writeTxPage(w, r, records)
}

func (s *Sim) handleTxs(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	records := s.history.all
	s.mu.Unlock()
	s.writeTxPage(w, r, records)
}

// writeTxPage serves a page of records; the slices it reads are only ever
// appended to, so the prefix taken under the lock stays valid.
func (s *Sim) writeTxPage(w http.ResponseWriter, r *http.Request, records []*txRecord) {
	q, bad := parsePageQuery(r.URL.Query())
	if bad != nil {
		writeProblem(w, bad)
		return
	}
	keep := func(rec *txRecord) bool { return q.includeFailed || rec.result.ok() }
	got := page(records, (*txRecord).token, keep, q)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]hProtocol.Transaction, 0, len(got))
	for _, rec := range got {
		out = append(out, s.txResource(rec))
	}
	writePage(w, s.url, r.URL, q, out, func(t hProtocol.Transaction) string { return t.PT })
}

func (s *Sim) handleTx(w http.ResponseWriter, r *http.Request) {
	hash := r.PathValue("hash")
	if b, err := hex.DecodeString(hash); err != nil || len(b) != 32 {
		writeProblem(w, badRequest("tx_id", "Transaction hash must be a hex-encoded, lowercase SHA-256 hash"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.history.byHash[hash]
	if !ok {
		writeProblem(w, notFound())
		return
	}
	writeJSON(w, s.txResource(rec))
}

func (s *Sim) handleSubmit(w http.ResponseWriter, r *http.Request) {
	envelope := r.FormValue("tx")
	if envelope == "" {
		writeProblem(w, badRequest("tx", "the form field tx (a base64 TransactionEnvelope) is missing"))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.SubmitTimeout)
	defer cancel()
	out, err := s.submit(ctx, envelope)
	s.writeOutcome(w, envelope, out, err)
}

func (s *Sim) handleFriendbot(w http.ResponseWriter, r *http.Request) {
	addr := r.FormValue("addr")
	if !strkey.IsValidEd25519PublicKey(addr) {
		writeProblem(w, badRequest("addr", "addr must be a G... account id"))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.SubmitTimeout)
	defer cancel()
	out, err := s.friendbot(ctx, addr)
	s.writeOutcome(w, "", out, err)
}

// writeOutcome answers a submission as Horizon does: the transaction, or a
// transaction_failed problem whose extras carry the result codes and XDR.
func (s *Sim) writeOutcome(w http.ResponseWriter, envelope string, out outcome, err error) {
	var malformed *MalformedError
	switch {
	case errors.As(err, &malformed):
		p := &problem.P{Type: horizonErrors + "transaction_malformed", Title: "Transaction Malformed", Status: http.StatusBadRequest,
			Detail: malformed.Reason, Extras: map[string]any{"envelope_xdr": envelope}}
		writeProblem(w, p)
		return
	case errors.Is(err, context.DeadlineExceeded):
		writeProblem(w, &problem.P{Type: horizonErrors + "timeout", Title: "Timeout", Status: http.StatusGatewayTimeout,
			Detail: "Your transaction is still queued for the next ledger: " + err.Error()})
		return
	case err != nil:
		writeProblem(w, &problem.P{Type: horizonErrors + "server_error", Title: "Internal Server Error", Status: http.StatusServiceUnavailable, Detail: err.Error()})
		return
	}
	if out.result.ok() {
		s.mu.Lock()
		defer s.mu.Unlock()
		writeJSON(w, s.txResource(out.record))
		return
	}
	if envelope == "" && out.record != nil {
		envelope = out.record.envelopeXDR
	}
	resultXDR, _ := xdr.MarshalBase64(out.result.xdr())
	writeProblem(w, &problem.P{
		Type: horizonErrors + "transaction_failed", Title: "Transaction Failed", Status: http.StatusBadRequest,
		Detail: "The transaction failed when submitted to the stellar network. The `extras.result_codes` field on this response contains further details.",
		Extras: map[string]any{"envelope_xdr": envelope, "result_xdr": resultXDR, "result_codes": out.result.codes(), "hash": out.hash},
	})
}

func (s *Sim) handleLedgers(w http.ResponseWriter, r *http.Request) {
	q, bad := parsePageQuery(r.URL.Query())
	if bad != nil {
		writeProblem(w, bad)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	token := func(h ledgerHeader) int64 { return toid.New(int32(h.seq), 0, 0).ToInt64() }
	got := page(s.ledgers, token, func(ledgerHeader) bool { return true }, q)
	out := make([]hProtocol.Ledger, 0, len(got))
	for _, h := range got {
		out = append(out, s.ledgerResource(h))
	}
	writePage(w, s.url, r.URL, q, out, func(l hProtocol.Ledger) string { return l.PT })
}

func (s *Sim) handleLedger(w http.ResponseWriter, r *http.Request) {
	seq, err := strconv.ParseUint(r.PathValue("seq"), 10, 32)
	if err != nil {
		writeProblem(w, badRequest("sequence", "Ledger sequence must be a positive 32-bit integer"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq == 0 || seq > uint64(len(s.ledgers)) {
		writeProblem(w, notFound())
		return
	}
	writeJSON(w, s.ledgerResource(s.ledgers[seq-1]))
}

// accountParam is the {id} of the path, answered with Horizon's 400 when
// it is not a G... account id.
func accountParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("id")
	if !strkey.IsValidEd25519PublicKey(id) {
		writeProblem(w, badRequest("account_id", "Account ID must start with `G` and contain 56 alphanum characters"))
		return "", false
	}
	return id, true
}

// parsePageQuery reads Horizon's cursor, order, limit and include_failed.
func parsePageQuery(v url.Values) (pageQuery, *problem.P) {
	q := pageQuery{limit: 10, includeFailed: v.Get("include_failed") == "true"}
	switch v.Get("order") {
	case "", "asc":
	case "desc":
		q.desc = true
	default:
		return q, badRequest("order", "order must be asc or desc")
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			return q, badRequest("limit", "limit must be between 1 and 200")
		}
		q.limit = n
	}
	switch c := v.Get("cursor"); c {
	case "":
	case "now":
		q.cursor = math.MaxInt64
	default:
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 0 {
			return q, badRequest("cursor", "cursor must be a paging token")
		}
		q.cursor = n
	}
	return q, nil
}

// pageJSON is Horizon's page shape: HAL links and embedded records.
type pageJSON[T any] struct {
	Links    hal.Links `json:"_links"`
	Embedded struct {
		Records []T `json:"records"`
	} `json:"_embedded"`
}

func writePage[T any](w http.ResponseWriter, base string, u *url.URL, q pageQuery, records []T, token func(T) string) {
	var p pageJSON[T]
	p.Embedded.Records = records
	link := func(cursor string, desc bool) hal.Link {
		v := u.Query()
		v.Set("cursor", cursor)
		v.Set("limit", strconv.Itoa(q.limit))
		v.Set("order", map[bool]string{false: "asc", true: "desc"}[desc])
		return hal.NewLink(base + u.Path + "?" + v.Encode())
	}
	p.Links.Self = hal.NewLink(base + u.RequestURI())
	next, prev := "", ""
	if len(records) > 0 {
		next, prev = token(records[len(records)-1]), token(records[0])
	}
	p.Links.Next, p.Links.Prev = link(next, q.desc), link(prev, !q.desc)
	writeJSON(w, p)
}

func notFound() *problem.P {
	return &problem.P{
		Type: horizonErrors + "not_found", Title: "Resource Missing", Status: http.StatusNotFound,
		Detail: "The resource at the url requested was not found.  This usually occurs for one of two reasons:  The url requested is not valid, or no data in our database could be found with the parameters provided.",
	}
}

func badRequest(field, reason string) *problem.P {
	return &problem.P{
		Type: horizonErrors + "bad_request", Title: "Bad Request", Status: http.StatusBadRequest,
		Detail: "The request you sent was invalid in some way.", Extras: map[string]any{"invalid_field": field, "reason": reason},
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/hal+json; charset=utf-8")
	// A client that went away is the only way this fails; nothing to do.
	_ = json.NewEncoder(w).Encode(v)
}

func writeProblem(w http.ResponseWriter, p *problem.P) {
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
