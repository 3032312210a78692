package stellarsim

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// Defaults for a zero Config field.
const (
	// DefaultPassphrase is the passphrase of stellar-core's standalone
	// network, so no signature made here is valid on a public network.
	DefaultPassphrase = "Standalone Network ; February 2017"
	// DefaultBaseFee is Stellar's minimum base fee, in stroops.
	DefaultBaseFee = 100
	// DefaultBaseReserve is Stellar's base reserve, 0.5 XLM in stroops.
	DefaultBaseReserve = 5_000_000
	// DefaultCloseInterval is how often a ledger closes.
	DefaultCloseInterval = time.Second
	// DefaultFriendbotAmount is what friendbot gives, 10,000 XLM as on testnet.
	DefaultFriendbotAmount = 10_000 * 10_000_000
	// DefaultSubmitTimeout is how long a submission waits for its ledger.
	DefaultSubmitTimeout = 30 * time.Second
	// totalCoins is the 100 billion lumens the root account starts with.
	totalCoins = 100_000_000_000 * 10_000_000
)

// Config sets up a simulated network. Zero fields take the defaults.
type Config struct {
	Passphrase      string
	BaseFee         int64 // stroops per operation
	BaseReserve     int64 // stroops
	CloseInterval   time.Duration
	FriendbotAmount int64 // stroops
	SubmitTimeout   time.Duration
	// Now is the clock ledgers close by; tests pass a clock they can move
	// to reach a time bound without waiting for it.
	Now func() time.Time
}

func (c Config) withDefaults() (Config, error) {
	if c.BaseFee < 0 || c.BaseReserve < 0 || c.CloseInterval < 0 || c.FriendbotAmount < 0 || c.SubmitTimeout < 0 {
		return c, errors.New("stellarsim: negative fee, reserve, interval, amount or timeout")
	}
	def := func(v *int64, d int64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.BaseFee, DefaultBaseFee)
	def(&c.BaseReserve, DefaultBaseReserve)
	def(&c.FriendbotAmount, DefaultFriendbotAmount)
	if c.Passphrase == "" {
		c.Passphrase = DefaultPassphrase
	}
	if c.CloseInterval == 0 {
		c.CloseInterval = DefaultCloseInterval
	}
	if c.SubmitTimeout == 0 {
		c.SubmitTimeout = DefaultSubmitTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c, nil
}

// Sim is a simulated Stellar network: a ledger, its history and the
// Horizon API over them.
type Sim struct {
	cfg  Config
	root *keypair.Full

	mu       sync.Mutex
	state    *view
	ledgers  []ledgerHeader
	history  *history
	queue    []*submission
	inQueue  map[string]*submission
	rootSeq  int64 // the last sequence number friendbot used
	closed   bool
	url      string
	srv      *http.Server
	ln       net.Listener
	fresh    freshConns
	stopLoop chan struct{}
	loopDone chan struct{}
}

// New makes a network whose genesis ledger holds every lumen in the root
// account (the passphrase's master key), which friendbot pays from.
func New(cfg Config) (*Sim, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Sim{
		cfg: cfg, root: keypair.Root(cfg.Passphrase),
		state: newView(nil), history: newHistory(), inQueue: map[string]*submission{},
	}
	genesis := ledgerHeader{seq: 1, closeTime: cfg.Now().UTC().Truncate(time.Second)}
	genesis.hash = sha256.Sum256([]byte(cfg.Passphrase))
	s.ledgers = []ledgerHeader{genesis}
	s.state.put(&account{id: s.root.Address(), balance: totalCoins, thresholds: [4]uint8{1, 0, 0, 0}, modified: 1})
	return s, nil
}

// Passphrase is the network passphrase transactions must be signed for.
func (s *Sim) Passphrase() string { return s.cfg.Passphrase }

// Start serves Horizon on addr (127.0.0.1:0 when empty) and starts closing
// ledgers. It returns the server's base URL.
func (s *Sim) Start(addr string) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("stellarsim: listen on %s: %w", addr, err)
	}
	s.mu.Lock()
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second, ConnState: s.fresh.track}
	s.ln = ln
	s.stopLoop, s.loopDone = make(chan struct{}), make(chan struct{})
	s.mu.Unlock()
	go s.closeLoop()
	go func() { _ = s.srv.Serve(ln) }()
	return s.url, nil
}

// URL is the base URL Start returned.
func (s *Sim) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Close stops closing ledgers, fails the submissions still waiting and
// stops the server.
func (s *Sim) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for _, sub := range s.queue {
		sub.finish(outcome{err: errors.New("stellarsim closed before the ledger closed")})
	}
	s.queue = nil
	srv, ln, stop, done := s.srv, s.ln, s.stopLoop, s.loopDone
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	close(stop)
	<-done
	// No new connections, then none left waiting for a first request:
	// Shutdown waits only for requests in flight.
	_ = ln.Close()
	s.fresh.closeAll()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

func (s *Sim) closeLoop() {
	defer close(s.loopDone)
	t := time.NewTicker(s.cfg.CloseInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stopLoop:
			return
		case <-t.C:
			s.closeLedger()
		}
	}
}

// closeLedger applies the queued transactions in the order they came and
// appends the ledger. Close times are whole seconds and never go back.
func (s *Sim) closeLedger() {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.ledgers[len(s.ledgers)-1]
	l := closing{
		seq: prev.seq + 1, baseFee: s.cfg.BaseFee, reserve: s.cfg.BaseReserve,
		closeTime: s.cfg.Now().UTC().Truncate(time.Second),
	}
	if l.closeTime.Before(prev.closeTime) {
		l.closeTime = prev.closeTime
	}
	h := ledgerHeader{seq: l.seq, prevHash: prev.hash, closeTime: l.closeTime, feePool: prev.feePool}
	digest := sha256.New()
	digest.Write(prev.hash[:])
	_ = binary.Write(digest, binary.BigEndian, uint64(l.closeTime.Unix()))
	queue := s.queue
	s.queue = nil
	for _, sub := range queue {
		delete(s.inQueue, sub.hashHex)
		out := s.applyOne(sub, l, &h)
		out.hash = sub.hashHex
		if out.record != nil {
			digest.Write(out.record.frame.hash[:])
		}
		sub.finish(out)
	}
	copy(h.hash[:], digest.Sum(nil))
	s.ledgers = append(s.ledgers, h)
}

// applyOne validates and, if valid, applies one submission in ledger l.
func (s *Sim) applyOne(sub *submission, l closing, h *ledgerHeader) outcome {
	f := sub.frame
	res := validate(s.state, f, l)
	if !res.ok() {
		return outcome{result: res}
	}
	res = apply(s.state, f, l)
	h.feePool += res.fee
	h.txSetOps += int32(len(f.tx.Operations))
	if res.ok() {
		h.succeeded++
		h.ops += int32(len(f.tx.Operations))
	} else {
		h.failed++
	}
	rec := &txRecord{
		hash: sub.hashHex, ledger: l.seq, order: uint32(h.succeeded + h.failed), closeTime: l.closeTime,
		frame: f, envelopeXDR: sub.envelopeXDR, result: res, participants: participantsOf(f),
	}
	rec.resultXDR, _ = xdr.MarshalBase64(res.xdr())
	s.history.add(rec)
	return outcome{result: res, record: rec}
}
