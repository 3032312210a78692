package stellar

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/txnbuild"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// Name is this rail's name in swap plans.
const Name = "stellar"

// Defaults for zero Config fields.
const (
	DefaultFinality     = 10 * time.Second
	DefaultPollInterval = time.Second
	// DefaultHTTPTimeout covers a submission, which Horizon answers only
	// once the transaction's ledger has closed.
	DefaultHTTPTimeout = 60 * time.Second
)

// ErrNotRecipient: a claim by a key that is not the contract's recipient.
var ErrNotRecipient = errors.New("this key is not the htlc's recipient")

// Config is a Horizon server and the party's own account.
type Config struct {
	HorizonURL string
	Passphrase string
	// Seed is the party's secret seed (S...); its account is the sender
	// of the legs it locks and the recipient of the legs it claims.
	Seed string
	// BaseFee is the fee bid per operation, in stroops (default 100). The
	// escrow pays the claim or refund fee out of EscrowOverhead, so it may
	// not exceed EscrowFeeBudget.
	BaseFee int64
	// KeepEscrowKey, if set, is handed the secret seed of an escrow that a
	// failed Lock could neither set up nor merge back: that seed is the way
	// back to the funds (MergeEscrow), and no error ever carries it. It
	// returns where it kept the seed, for the error to say. vinrelay keeps
	// it in its keyring. Unset, the seed is dropped (docs/swaps.md).
	KeepEscrowKey func(escrow, seed string) (where string, err error)
	Finality      time.Duration
	PollInterval  time.Duration
	HTTPTimeout   time.Duration
}

// Rail is the Stellar swap rail of one party.
type Rail struct {
	cfg Config
	key *keypair.Full
	hc  *horizonclient.Client
}

var _ htlc.Rail = (*Rail)(nil)

// New checks the config and connects nothing yet: Horizon is asked on use.
func New(cfg Config) (*Rail, error) {
	u, err := url.Parse(cfg.HorizonURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("stellar: horizon url %q is not http(s)://host[:port]", cfg.HorizonURL)
	}
	if cfg.Passphrase == "" {
		return nil, errors.New("stellar: no network passphrase")
	}
	key, err := keypair.ParseFull(cfg.Seed)
	if err != nil {
		return nil, errors.New("stellar: seed is not a Stellar secret seed (S...)")
	}
	if cfg.BaseFee == 0 {
		cfg.BaseFee = txnbuild.MinBaseFee
	}
	if cfg.BaseFee < txnbuild.MinBaseFee || cfg.BaseFee > EscrowFeeBudget {
		return nil, fmt.Errorf("stellar: base fee %d stroops is outside [%d, %d]", cfg.BaseFee, txnbuild.MinBaseFee, EscrowFeeBudget)
	}
	if cfg.Finality < 0 || cfg.PollInterval < 0 || cfg.HTTPTimeout < 0 {
		return nil, errors.New("stellar: negative finality, poll interval or http timeout")
	}
	cfg.Finality = orDefault(cfg.Finality, DefaultFinality)
	cfg.PollInterval = orDefault(cfg.PollInterval, DefaultPollInterval)
	cfg.HTTPTimeout = orDefault(cfg.HTTPTimeout, DefaultHTTPTimeout)
	hc := &horizonclient.Client{HorizonURL: cfg.HorizonURL, HTTP: &http.Client{Timeout: cfg.HTTPTimeout}}
	hc.SetHorizonTimeout(cfg.HTTPTimeout)
	return &Rail{cfg: cfg, key: key, hc: hc}, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Name is "stellar".
func (r *Rail) Name() string { return Name }

// Finality is how long until a submitted transaction can be relied on.
func (r *Rail) Finality() time.Duration { return r.cfg.Finality }

// LateClaim: the escrow takes the recipient's claim (its signature and the
// preimage) until the pre-authorised refund applies; the claim's maxTime
// is only this adapter's choice. So a claim stays possible for the
// sender's reaction time plus the refund's finality after the expiry.
func (r *Rail) LateClaim(relayerDelay time.Duration) time.Duration {
	return relayerDelay + r.cfg.Finality
}

// Account is this party's G... account, as Terms write it.
func (r *Rail) Account() string { return r.key.Address() }

// ledger is what the rail needs from the latest closed ledger.
type ledger struct {
	closeTime   time.Time
	baseReserve int64
}

// latestLedger reads the network's clock: expiries are judged by ledger
// close times, not by this machine's.
func (r *Rail) latestLedger() (ledger, error) {
	page, err := r.hc.Ledgers(horizonclient.LedgerRequest{Order: horizonclient.OrderDesc, Limit: 1})
	if err != nil {
		return ledger{}, fmt.Errorf("read the latest ledger: %w", err)
	}
	if len(page.Embedded.Records) == 0 {
		return ledger{}, errors.New("read the latest ledger: horizon returned none")
	}
	l := page.Embedded.Records[0]
	return ledger{closeTime: l.ClosedAt, baseReserve: int64(l.BaseReserve)}, nil
}
