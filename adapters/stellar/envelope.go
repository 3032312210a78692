package stellar

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stellar/go-stellar-sdk/xdr"

	"github.com/vinhub/vinhub/hashlock"
)

// ErrNoPreimage: a transaction without a signature that could be the
// preimage of the hash.
var ErrNoPreimage = errors.New("no hashX signature for the hash lock in the transaction")

// SecretFromEnvelope takes the secret out of a claim: the decorated
// signature whose hint is the hash's last 4 bytes holds the preimage. The
// network would not have applied a claim with a wrong preimage, but it is
// checked against h anyway (length and hash), as every rail does.
func SecretFromEnvelope(envelopeXDR string, h hashlock.Hash) (hashlock.Secret, error) {
	var env xdr.TransactionEnvelope
	if err := xdr.SafeUnmarshalBase64(envelopeXDR, &env); err != nil {
		return hashlock.Secret{}, fmt.Errorf("claim envelope: %w", err)
	}
	return secretIn(env, h)
}

// secretIn looks at the signatures that authorise the transaction's
// source accounts: a fee bump's inner ones (the outer ones only pay).
func secretIn(env xdr.TransactionEnvelope, h hashlock.Hash) (hashlock.Secret, error) {
	err := ErrNoPreimage
	for _, sig := range env.Signatures() {
		if !bytes.Equal(sig.Hint[:], h[len(h)-4:]) {
			continue
		}
		s, verr := hashlock.Verify(h, sig.Signature)
		if verr == nil {
			return s, nil
		}
		err = verr
	}
	return hashlock.Secret{}, err
}

// innerHash is the network hash of the transaction an envelope applies:
// for a fee bump, its inner transaction's, which is what a pre-auth signer
// names. Anyone may wrap a signed transaction in a fee bump, and Horizon
// then lists it under the outer hash.
func innerHash(env xdr.TransactionEnvelope, passphrase string) ([32]byte, error) {
	if env.IsFeeBump() {
		return network.HashTransaction(env.FeeBump.Tx.InnerTx.V1.Tx, passphrase)
	}
	return network.HashTransactionInEnvelope(env, passphrase)
}
