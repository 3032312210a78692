package notary

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	sdkmath "cosmossdk.io/math"

	"github.com/stellar/go-stellar-sdk/clients/horizonclient"
	"github.com/stellar/go-stellar-sdk/network"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/toid"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/vinhub/vinhub/x/notary/types"
)

// Positions of a Stellar source are Horizon's operation ids (TOIDs:
// ledger, transaction order, operation order), so every event has its
// own position and a transaction left half-handled is read again.
const (
	// stellarPage is Horizon's largest page.
	stellarPage = 200
	// stellarPagesPerRead bounds one poll's reading.
	stellarPagesPerRead = 5
	// txDone is the operation part of a position that means "the whole
	// transaction was handled": above any operation order (at most 100).
	txDone = toid.OperationMask
)

// StellarSource watches one Stellar account through Horizon: each payment
// to the account and each HTLC claim paying it out of an escrow becomes an
// observation. Horizon serves closed ledgers only, and a closed Stellar
// ledger is final, so everything it lists may be signed.
type StellarSource struct {
	// Account is the watched account (G...).
	Account   string
	networkID string
	hc        *horizonclient.Client
}

// NewStellarSource reads account on the network of passphrase at the
// Horizon server horizonURL.
func NewStellarSource(horizonURL, passphrase, account string) (*StellarSource, error) {
	if _, err := strkey.Decode(strkey.VersionByteAccountID, account); err != nil {
		return nil, fmt.Errorf("stellar account %q: %w", account, err)
	}
	if horizonURL == "" || passphrase == "" {
		return nil, errors.New("stellar source needs a horizon URL and the network passphrase")
	}
	id := network.ID(passphrase)
	return &StellarSource{Account: account, networkID: hex.EncodeToString(id[:]),
		hc: &horizonclient.Client{HorizonURL: horizonURL, HTTP: &http.Client{Timeout: 30 * time.Second}}}, nil
}

// NetworkID is the hex SHA-256 of the passphrase: the observations' network_id.
func (s *StellarSource) NetworkID() string { return s.networkID }

// Name is "stellar/<network id>/<account>".
func (s *StellarSource) Name() string { return "stellar/" + s.networkID + "/" + s.Account }

// Lookback is 0: Horizon lists a closed ledger's transactions once and in order.
func (s *StellarSource) Lookback() int64 { return 0 }

// Read returns the events of the account's successful transactions after
// position from, in ledger order, and the position read through.
func (s *StellarSource) Read(_ context.Context, from int64) ([]Observed, int64, error) {
	cursor, through := resumeCursor(from), from
	var out []Observed
	for range stellarPagesPerRead {
		page, err := s.hc.Transactions(horizonclient.TransactionRequest{ForAccount: s.Account,
			Cursor: strconv.FormatInt(cursor, 10), Limit: stellarPage, Order: horizonclient.OrderAsc})
		if err != nil {
			return nil, 0, fmt.Errorf("stellar account %s: transactions after %d: %w", s.Account, cursor, err)
		}
		for i := range page.Embedded.Records {
			tx := &page.Embedded.Records[i]
			events, err := s.Events(tx)
			if err != nil {
				return nil, 0, err
			}
			for _, e := range events {
				if e.Seq > from {
					out = append(out, e)
				}
			}
			if cursor, err = strconv.ParseInt(tx.PT, 10, 64); err != nil {
				return nil, 0, fmt.Errorf("stellar transaction %s: paging token %q: %w", tx.Hash, tx.PT, err)
			}
			through = max(through, cursor|txDone)
		}
		if len(page.Embedded.Records) < stellarPage {
			break
		}
	}
	return out, through, nil
}

// resumeCursor is the transaction cursor to read after position from:
// the transaction holding from again unless it was handled whole.
func resumeCursor(from int64) int64 {
	if from <= 0 || from&txDone == txDone {
		return max(from&^txDone, 0)
	}
	return from&^txDone - 1
}

// Events are one transaction's observations of the watched account: its
// payments to the account and a claim of an escrow merged into it. A
// failed transaction changed nothing and has none.
func (s *StellarSource) Events(tx *hProtocol.Transaction) ([]Observed, error) {
	if !tx.Successful {
		return nil, nil
	}
	var env xdr.TransactionEnvelope
	if err := xdr.SafeUnmarshalBase64(tx.EnvelopeXdr, &env); err != nil {
		return nil, fmt.Errorf("stellar transaction %s: envelope: %w", tx.Hash, err)
	}
	token, err := strconv.ParseInt(tx.PT, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("stellar transaction %s: paging token %q: %w", tx.Hash, tx.PT, err)
	}
	base := types.Observation{Platform: types.PLATFORM_STELLAR, NetworkId: s.networkID, TxRef: tx.Hash,
		Height: uint64(tx.Ledger), Time: tx.LedgerCloseTime.UTC()}
	memo := ""
	if tx.MemoType == "text" {
		memo = tx.Memo
	}
	claim := hashXPreimage(env)
	var out []Observed
	for i, op := range env.Operations() {
		obs := base
		obs.Index = uint32(i)
		switch b := op.Body; {
		case b.Type == xdr.OperationTypePayment && accountOf(b.PaymentOp.Destination) == s.Account:
			obs.Payload = &types.Observation_Payment{Payment: &types.Payment{Asset: b.PaymentOp.Asset.StringCanonical(),
				Amount: sdkmath.NewInt(int64(b.PaymentOp.Amount)), From: opSource(env, op), To: s.Account, Memo: memo}}
		case b.Type == xdr.OperationTypeAccountMerge && claim != nil && accountOf(*b.Destination) == s.Account:
			obs.Payload = &types.Observation_HtlcSpend{HtlcSpend: &types.HtlcSpend{HashLock: claim.hashLock,
				Secret: claim.secret, Contract: opSource(env, op)}}
		default:
			continue
		}
		e := Observed{Seq: token&^txDone | int64(i+1), Observation: obs}
		if err := obs.Validate(); err != nil {
			e.Err = fmt.Errorf("stellar transaction %s operation %d: %w", tx.Hash, i, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// preimage is a hashX signature: a 32-byte preimage of the signer's hash.
type preimage struct{ hashLock, secret string }

// hashXPreimage finds the signature that is a hashX signer's preimage: 32
// bytes whose SHA-256 ends in the signature's hint (an ed25519 signature
// is 64 bytes). That is what claims an HTLC escrow (adapters/stellar).
func hashXPreimage(env xdr.TransactionEnvelope) *preimage {
	for _, sig := range env.Signatures() {
		if len(sig.Signature) != sha256.Size {
			continue
		}
		h := sha256.Sum256(sig.Signature)
		if [4]byte(h[28:]) == [4]byte(sig.Hint) {
			return &preimage{hashLock: hex.EncodeToString(h[:]), secret: hex.EncodeToString(sig.Signature)}
		}
	}
	return nil
}

func accountOf(m xdr.MuxedAccount) string {
	id := m.ToAccountId()
	return id.Address()
}

func opSource(env xdr.TransactionEnvelope, op xdr.Operation) string {
	if op.SourceAccount != nil {
		return accountOf(*op.SourceAccount)
	}
	return accountOf(env.SourceAccount())
}
