package stellarsim

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"

	"github.com/stellar/go-stellar-sdk/xdr"
)

// sigChecker counts a transaction's signatures toward accounts' thresholds
// the way stellar-core's SignatureChecker does: pre-auth-tx signers first
// (they match the transaction hash and need no signature), then hashX
// signers (a signature whose bytes hash to the signer key), then ed25519
// signers (a signature over the transaction hash). It stops as soon as the
// needed weight is reached, so a signature that was not needed stays
// unused and the transaction fails with tx_bad_auth_extra.
type sigChecker struct {
	hash [32]byte
	sigs []xdr.DecoratedSignature
	used []bool
}

func newSigChecker(hash [32]byte, sigs []xdr.DecoratedSignature) *sigChecker {
	return &sigChecker{hash: hash, sigs: sigs, used: make([]bool, len(sigs))}
}

// weighted is a signer key with its weight, the master key included.
type weighted struct {
	key    xdr.SignerKey
	weight uint32
}

// signersOf lists who can sign for an account: its master key (unless its
// weight is 0) and its added signers.
func signersOf(a *account) []weighted {
	var out []weighted
	if w := a.thresholds[thresholdMaster]; w > 0 {
		out = append(out, weighted{key: ed25519Key(a.id), weight: uint32(w)})
	}
	for _, s := range a.signers {
		out = append(out, weighted{key: s.key, weight: s.weight})
	}
	return out
}

// check reports whether the signatures reach needed on these signers.
func (c *sigChecker) check(signers []weighted, needed uint32) bool {
	var total uint32
	reached := func(w uint32) bool {
		total += min(w, 255)
		return total >= needed
	}
	var hashX, keys []weighted
	for _, s := range signers {
		switch s.key.Type {
		case xdr.SignerKeyTypeSignerKeyTypePreAuthTx:
			if *s.key.PreAuthTx == xdr.Uint256(c.hash) && reached(s.weight) {
				return true
			}
		case xdr.SignerKeyTypeSignerKeyTypeHashX:
			hashX = append(hashX, s)
		case xdr.SignerKeyTypeSignerKeyTypeEd25519:
			keys = append(keys, s)
		}
	}
	return c.verifyAll(hashX, c.hashXMatches, reached) || c.verifyAll(keys, c.ed25519Matches, reached)
}

// verifyAll walks the signatures; each may satisfy one signer of the list.
func (c *sigChecker) verifyAll(signers []weighted, matches func(xdr.DecoratedSignature, xdr.Uint256) bool, reached func(uint32) bool) bool {
	for i, sig := range c.sigs {
		for j, s := range signers {
			if !matches(sig, rawKey(s.key)) {
				continue
			}
			c.used[i] = true
			if reached(s.weight) {
				return true
			}
			signers = append(signers[:j:j], signers[j+1:]...)
			break
		}
	}
	return false
}

func (c *sigChecker) hashXMatches(sig xdr.DecoratedSignature, key xdr.Uint256) bool {
	if !bytes.Equal(sig.Hint[:], key[28:]) {
		return false
	}
	h := sha256.Sum256(sig.Signature)
	return h == [32]byte(key)
}

func (c *sigChecker) ed25519Matches(sig xdr.DecoratedSignature, key xdr.Uint256) bool {
	if !bytes.Equal(sig.Hint[:], key[28:]) || len(sig.Signature) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(ed25519.PublicKey(key[:]), c.hash[:], sig.Signature)
}

// allUsed is stellar-core's checkAllSignaturesUsed.
func (c *sigChecker) allUsed() bool {
	for _, u := range c.used {
		if !u {
			return false
		}
	}
	return true
}

func rawKey(k xdr.SignerKey) xdr.Uint256 {
	switch k.Type {
	case xdr.SignerKeyTypeSignerKeyTypeEd25519:
		return *k.Ed25519
	case xdr.SignerKeyTypeSignerKeyTypeHashX:
		return *k.HashX
	case xdr.SignerKeyTypeSignerKeyTypePreAuthTx:
		return *k.PreAuthTx
	}
	return xdr.Uint256{}
}

// ed25519Key is an account id as a signer key.
func ed25519Key(accountID string) xdr.SignerKey {
	var aid xdr.AccountId
	if err := aid.SetAddress(accountID); err != nil {
		panic("stellarsim: bad account id in ledger: " + accountID)
	}
	k := *aid.Ed25519
	return xdr.SignerKey{Type: xdr.SignerKeyTypeSignerKeyTypeEd25519, Ed25519: &k}
}
