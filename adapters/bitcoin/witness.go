package bitcoin

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
)

// errWitness is wrapped when a witness is neither a claim nor a refund of
// an HTLC script.
var errWitness = errors.New("not an htlc claim or refund witness")

// SecretFromWitness reads the secret from the witness of a transaction
// input that spent an HTLC locked under h. A claim witness is
// [signature, secret, 0x01, script]; the script must be the template and
// lock h, and the secret must be 32 bytes hashing to h. A refund witness
// [signature, <empty>, script] returns htlc.ErrRefunded.
func SecretFromWitness(witness wire.TxWitness, h htlc.Hash) (htlc.Secret, error) {
	switch len(witness) {
	case 3:
		if len(witness[1]) != 0 {
			return htlc.Secret{}, fmt.Errorf("%w: 3 items but the branch selector is %x, not empty", errWitness, witness[1])
		}
		if err := checkWitnessScript(witness[2], h); err != nil {
			return htlc.Secret{}, err
		}
		return htlc.Secret{}, fmt.Errorf("%w: the witness takes the refund branch", htlc.ErrRefunded)
	case 4:
		if len(witness[2]) != 1 || witness[2][0] != 0x01 {
			return htlc.Secret{}, fmt.Errorf("%w: 4 items but the branch selector is %x, not 01", errWitness, witness[2])
		}
		if err := checkWitnessScript(witness[3], h); err != nil {
			return htlc.Secret{}, err
		}
		return htlc.Verify(h, witness[1])
	}
	return htlc.Secret{}, fmt.Errorf("%w: %d items", errWitness, len(witness))
}

// checkWitnessScript requires the template locking h.
func checkWitnessScript(script []byte, h htlc.Hash) error {
	st, err := ParseScript(script)
	if err != nil {
		return fmt.Errorf("%w: %w", errWitness, err)
	}
	if st.Hash != h {
		return fmt.Errorf("%w: the witness script locks %s, not %s", htlc.ErrTermsMismatch, st.Hash, h)
	}
	return nil
}

// spendState classifies the witness of the input that spent a contract.
func spendState(witness wire.TxWitness, h htlc.Hash) (htlc.State, *htlc.Secret, error) {
	s, err := SecretFromWitness(witness, h)
	switch {
	case err == nil:
		return htlc.StateClaimed, &s, nil
	case errors.Is(err, htlc.ErrRefunded):
		return htlc.StateRefunded, nil, nil
	}
	return htlc.StateUnknown, nil, err
}
