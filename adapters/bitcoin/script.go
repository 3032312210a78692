package bitcoin

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/txscript"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// MinLockTime is the least CLTV locktime this rail writes: below it Bitcoin
// reads nLockTime as a block height, not unix seconds (BIP-65).
const MinLockTime = 500_000_000

// ScriptTerms are what an HTLC witness script commits to.
type ScriptTerms struct {
	Hash      hashlock.Hash
	Recipient *btcec.PublicKey
	Refunder  *btcec.PublicKey
	// LockTime is the CLTV locktime in unix seconds.
	LockTime int64
}

// errScript is wrapped by every ParseScript refusal.
var errScript = errors.New("not a vinhub bitcoin htlc script")

// The template's token count and where its data pushes sit.
const (
	scriptTokens   = 15
	tokenHash      = 5
	tokenRecipient = 7
	tokenLockTime  = 9
	tokenRefunder  = 12
)

// Script is the BIP-199 HTLC witness script: the recipient spends with the
// 32-byte preimage of h, the refunder after locktime.
//
//	OP_IF OP_SIZE 32 OP_EQUALVERIFY OP_SHA256 <h> OP_EQUALVERIFY <recipient>
//	OP_ELSE <locktime> OP_CHECKLOCKTIMEVERIFY OP_DROP <refunder>
//	OP_ENDIF OP_CHECKSIG
//
// OP_SIZE 32 makes the script itself refuse a preimage of any other length,
// so a secret accepted here is accepted on every rail of the swap.
func Script(h hashlock.Hash, recipient, refunder *btcec.PublicKey, locktime int64) ([]byte, error) {
	if recipient == nil || refunder == nil {
		return nil, fmt.Errorf("%w: missing public key", htlc.ErrInvalidTerms)
	}
	if locktime < MinLockTime || locktime > math.MaxUint32 {
		return nil, fmt.Errorf("%w: locktime %d is not a unix time in [%d, %d]", htlc.ErrInvalidTerms, locktime, MinLockTime, uint32(math.MaxUint32))
	}
	return txscript.NewScriptBuilder().
		AddOp(txscript.OP_IF).
		AddOp(txscript.OP_SIZE).AddInt64(hashlock.SecretSize).AddOp(txscript.OP_EQUALVERIFY).
		AddOp(txscript.OP_SHA256).AddData(h[:]).AddOp(txscript.OP_EQUALVERIFY).
		AddData(recipient.SerializeCompressed()).
		AddOp(txscript.OP_ELSE).
		AddInt64(locktime).AddOp(txscript.OP_CHECKLOCKTIMEVERIFY).AddOp(txscript.OP_DROP).
		AddData(refunder.SerializeCompressed()).
		AddOp(txscript.OP_ENDIF).
		AddOp(txscript.OP_CHECKSIG).
		Script()
}

// ParseScript reads the terms back from a witness script. It accepts only
// the exact bytes Script writes (canonical pushes, compressed keys, a unix
// time locktime), so Script(ParseScript(b)) == b.
func ParseScript(script []byte) (ScriptTerms, error) {
	pushes, err := scriptPushes(script)
	if err != nil {
		return ScriptTerms{}, err
	}
	var st ScriptTerms
	if st.Hash, err = hashlock.HashFromBytes(pushes[tokenHash]); err != nil {
		return ScriptTerms{}, fmt.Errorf("%w: %w", errScript, err)
	}
	if st.Recipient, err = compressedKey(pushes[tokenRecipient]); err != nil {
		return ScriptTerms{}, fmt.Errorf("%w: recipient: %w", errScript, err)
	}
	if st.Refunder, err = compressedKey(pushes[tokenRefunder]); err != nil {
		return ScriptTerms{}, fmt.Errorf("%w: refunder: %w", errScript, err)
	}
	n, err := txscript.MakeScriptNum(pushes[tokenLockTime], true, 5)
	if err != nil {
		return ScriptTerms{}, fmt.Errorf("%w: locktime: %w", errScript, err)
	}
	st.LockTime = int64(n)
	// Rebuilding pins every opcode and push encoding to the template.
	want, err := Script(st.Hash, st.Recipient, st.Refunder, st.LockTime)
	if err != nil {
		return ScriptTerms{}, fmt.Errorf("%w: %w", errScript, err)
	}
	if !bytes.Equal(want, script) {
		return ScriptTerms{}, fmt.Errorf("%w: opcodes differ from the template", errScript)
	}
	return st, nil
}

// scriptPushes tokenizes a script of the template's length and returns the
// data of each token (nil for plain opcodes).
func scriptPushes(script []byte) ([][]byte, error) {
	var pushes [][]byte
	tok := txscript.MakeScriptTokenizer(0, script)
	for tok.Next() {
		if len(pushes) == scriptTokens {
			return nil, fmt.Errorf("%w: more than %d opcodes", errScript, scriptTokens)
		}
		pushes = append(pushes, tok.Data())
	}
	if err := tok.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", errScript, err)
	}
	if len(pushes) != scriptTokens {
		return nil, fmt.Errorf("%w: %d opcodes, want %d", errScript, len(pushes), scriptTokens)
	}
	return pushes, nil
}

// compressedKey accepts only a 33-byte compressed point on the curve.
func compressedKey(b []byte) (*btcec.PublicKey, error) {
	if len(b) != btcec.PubKeyBytesLenCompressed {
		return nil, fmt.Errorf("public key is %d bytes, want %d (compressed)", len(b), btcec.PubKeyBytesLenCompressed)
	}
	return btcec.ParsePubKey(b)
}

// witnessProgram is the P2WSH output script paying to script.
func witnessProgram(script []byte) []byte {
	h := sha256.Sum256(script)
	pk, _ := txscript.NewScriptBuilder().AddOp(txscript.OP_0).AddData(h[:]).Script()
	return pk
}

// claimWitness spends the hash branch: OP_IF takes the 0x01, OP_SIZE and
// OP_SHA256 check the secret, OP_CHECKSIG the recipient's signature.
func claimWitness(sig, secret, script []byte) wire.TxWitness {
	return wire.TxWitness{sig, secret, {0x01}, script}
}

// refundWitness spends the time branch: the empty item is false for
// OP_IF (MINIMALIF allows only empty or 0x01).
func refundWitness(sig, script []byte) wire.TxWitness {
	return wire.TxWitness{sig, {}, script}
}
