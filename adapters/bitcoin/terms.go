package bitcoin

import (
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// contractTerms are htlc.Terms read the Bitcoin way.
type contractTerms struct {
	ScriptTerms
	Amount int64
}

// parseTerms reads Terms: hex compressed keys, satoshis, a unix-time
// expiry. Every field must be written the way Status writes it back, or
// Terms.Match would fail on a contract that is fine.
func parseTerms(t htlc.Terms) (contractTerms, error) {
	if err := t.Check(); err != nil {
		return contractTerms{}, err
	}
	var (
		ct  contractTerms
		err error
	)
	ct.Hash = t.Hash
	if ct.Refunder, err = parsePubKey("sender", t.Sender); err != nil {
		return contractTerms{}, err
	}
	if ct.Recipient, err = parsePubKey("recipient", t.Recipient); err != nil {
		return contractTerms{}, err
	}
	if ct.Amount, err = parseAmount(t.Amount); err != nil {
		return contractTerms{}, err
	}
	ct.LockTime = t.Expiry.Unix()
	if ct.LockTime < MinLockTime || ct.LockTime > math.MaxUint32 {
		return contractTerms{}, fmt.Errorf("%w: expiry %s is outside the unix times a CLTV locktime can hold", htlc.ErrInvalidTerms, t.Expiry.UTC().Format(time.RFC3339))
	}
	return ct, nil
}

// terms writes ct back as htlc.Terms.
func (ct contractTerms) terms() htlc.Terms {
	return htlc.Terms{
		Hash:      ct.Hash,
		Sender:    pubHex(ct.Refunder),
		Recipient: pubHex(ct.Recipient),
		Amount:    strconv.FormatInt(ct.Amount, 10),
		Expiry:    time.Unix(ct.LockTime, 0).UTC(),
	}
}

func parsePubKey(field, s string) (*btcec.PublicKey, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %q is not a hex public key", htlc.ErrInvalidTerms, field, s)
	}
	key, err := compressedKey(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", htlc.ErrInvalidTerms, field, err)
	}
	if pubHex(key) != s {
		return nil, fmt.Errorf("%w: %s: write the key as %s", htlc.ErrInvalidTerms, field, pubHex(key))
	}
	return key, nil
}

func parseAmount(s string) (int64, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(v, 10) != s {
		return 0, fmt.Errorf("%w: amount %q is not a whole number of satoshis", htlc.ErrInvalidTerms, s)
	}
	if v <= 0 || v > btcutil.MaxSatoshi {
		return 0, fmt.Errorf("%w: amount %d satoshis is out of range", htlc.ErrInvalidTerms, v)
	}
	return v, nil
}

func parseOutPoint(ref string) (wire.OutPoint, error) {
	op, err := wire.NewOutPointFromString(ref)
	if err != nil {
		return wire.OutPoint{}, fmt.Errorf("%w: contract ref %q: %w", htlc.ErrNotFound, ref, err)
	}
	return *op, nil
}

// contractScript is the witness script of c: Data["script"] when the locker
// sent it, else rebuilt from the agreed terms (the script is a function of
// them).
func contractScript(c htlc.Contract) ([]byte, error) {
	if s, ok := c.Data["script"]; ok {
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("%w: contract script is not hex", htlc.ErrInvalidTerms)
		}
		return b, nil
	}
	ct, err := parseTerms(c.Terms)
	if err != nil {
		return nil, err
	}
	return Script(ct.Hash, ct.Recipient, ct.Refunder, ct.LockTime)
}

func pubHex(k *btcec.PublicKey) string { return hex.EncodeToString(k.SerializeCompressed()) }

func p2wpkhAddress(k *btcec.PublicKey, params *chaincfg.Params) *btcutil.AddressWitnessPubKeyHash {
	addr, err := btcutil.NewAddressWitnessPubKeyHash(btcutil.Hash160(k.SerializeCompressed()), params)
	if err != nil {
		panic(err) // a 20-byte hash is always a valid program
	}
	return addr
}

func p2wshAddress(script []byte, params *chaincfg.Params) *btcutil.AddressWitnessScriptHash {
	h := witnessProgram(script)[2:]
	addr, err := btcutil.NewAddressWitnessScriptHash(h, params)
	if err != nil {
		panic(err) // a 32-byte hash is always a valid program
	}
	return addr
}

// p2wpkhScript is the output script paying to k's P2WPKH address.
func p2wpkhScript(k *btcec.PublicKey) []byte {
	pk := append([]byte{0x00, 0x14}, btcutil.Hash160(k.SerializeCompressed())...)
	return pk
}
