package bitcoin

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// errWitness is wrapped when a witness is neither a claim nor a refund of
// an HTLC script.
var errWitness = errors.New("not an htlc claim or refund witness")

// SecretFromWitness reads the secret from the witness of a transaction
// input that spent an HTLC locked under h; the script (the last item) must
// be the template locking h. It reads the witness the way consensus runs
// the script, not the way relay policy filters it: a miner may mine a
// spend any node would refuse to relay.
//
//   - [signature, secret, selector, script] with a true selector is a
//     claim. The rail writes 0x01, the only true value relay policy
//     (MINIMALIF) passes, but for segwit v0 consensus takes any true value.
//     The secret must be 32 bytes hashing to h (hashlock.Verify), as the
//     script itself requires.
//   - [signature, selector, script] with a false selector (empty, as the
//     rail writes, or zeros) is a refund: htlc.ErrRefunded.
//
// Any other witness cannot have spent the contract and is refused.
func SecretFromWitness(witness wire.TxWitness, h hashlock.Hash) (hashlock.Secret, error) {
	if len(witness) == 0 {
		return hashlock.Secret{}, fmt.Errorf("%w: empty", errWitness)
	}
	if err := checkWitnessScript(witness[len(witness)-1], h); err != nil {
		return hashlock.Secret{}, err
	}
	switch {
	case len(witness) == 4 && scriptTrue(witness[2]):
		return hashlock.Verify(h, witness[1])
	case len(witness) == 3 && !scriptTrue(witness[1]):
		return hashlock.Secret{}, fmt.Errorf("%w: the witness takes the refund branch", htlc.ErrRefunded)
	}
	return hashlock.Secret{}, fmt.Errorf("%w: %d items, neither [signature, secret, true selector, script] nor [signature, false selector, script]",
		errWitness, len(witness))
}

// scriptTrue is how OP_IF reads its argument by consensus in segwit v0
// (MINIMALIF is only relay policy there): true unless every byte is zero,
// a last byte of 0x80 (negative zero) counting as zero.
func scriptTrue(b []byte) bool {
	for i, c := range b {
		if c != 0 {
			return i != len(b)-1 || c != 0x80
		}
	}
	return false
}

// checkWitnessScript requires the template locking h.
func checkWitnessScript(script []byte, h hashlock.Hash) error {
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
func spendState(witness wire.TxWitness, h hashlock.Hash) (htlc.State, *hashlock.Secret, error) {
	s, err := SecretFromWitness(witness, h)
	switch {
	case err == nil:
		return htlc.StateClaimed, &s, nil
	case errors.Is(err, htlc.ErrRefunded):
		return htlc.StateRefunded, nil, nil
	}
	return htlc.StateUnknown, nil, err
}
