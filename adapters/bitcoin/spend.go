package bitcoin

import (
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/txscript"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
)

const (
	// maxSigLen is a DER signature at its longest plus the sighash byte,
	// what fee estimates assume before the real signature exists.
	maxSigLen = 73
	// dustP2WPKH is the smallest P2WPKH output btcd (and Bitcoin Core)
	// relay: 3 x 98 vbytes to create and spend it at 1 sat/vB.
	dustP2WPKH = 294
)

// spend is one transaction spending a contract output to a single P2WPKH
// output; the amount left after the fee goes there.
type spend struct {
	out      wire.OutPoint
	amount   int64
	script   []byte
	payTo    []byte
	lockTime uint32
	sequence uint32
	// witness builds the input's witness around the signature.
	witness func(sig []byte) wire.TxWitness
}

// claimSpend takes the hash branch with preimage, paying payTo.
func claimSpend(out wire.OutPoint, amount int64, script, preimage, payTo []byte) spend {
	return spend{
		out: out, amount: amount, script: script, payTo: payTo,
		sequence: wire.MaxTxInSequenceNum,
		witness:  func(sig []byte) wire.TxWitness { return claimWitness(sig, preimage, script) },
	}
}

// refundSpend takes the time branch. CLTV needs nLockTime at or past the
// script's locktime and a non-final input sequence, or nLockTime is ignored.
func refundSpend(out wire.OutPoint, amount int64, script []byte, locktime int64, payTo []byte) spend {
	return spend{
		out: out, amount: amount, script: script, payTo: payTo,
		lockTime: uint32(locktime),
		sequence: wire.MaxTxInSequenceNum - 1,
		witness:  func(sig []byte) wire.TxWitness { return refundWitness(sig, script) },
	}
}

// unsigned builds the transaction with a placeholder signature and the
// whole amount in the output.
func (s spend) unsigned() *wire.MsgTx {
	tx := wire.NewMsgTx(2)
	tx.LockTime = s.lockTime
	in := wire.NewTxIn(&s.out, nil, nil)
	in.Sequence = s.sequence
	in.Witness = s.witness(make([]byte, maxSigLen))
	tx.AddTxIn(in)
	tx.AddTxOut(wire.NewTxOut(s.amount, s.payTo))
	return tx
}

// fee is what the spend costs at feeRate sat/vB.
func (s spend) fee(feeRate int64) int64 { return vsize(s.unsigned()) * feeRate }

// sign builds the spend paying amount minus the fee, signed by key.
func (s spend) sign(key *btcec.PrivateKey, feeRate int64) (*wire.MsgTx, error) {
	tx := s.unsigned()
	fee := s.fee(feeRate)
	if s.amount-fee < dustP2WPKH {
		return nil, fmt.Errorf("%w: %d satoshis do not cover the fee of %d at %d sat/vB plus the dust limit of %d",
			htlc.ErrInvalidTerms, s.amount, fee, feeRate, dustP2WPKH)
	}
	tx.TxOut[0].Value = s.amount - fee
	hashes := txscript.NewTxSigHashes(tx, txscript.NewCannedPrevOutputFetcher(witnessProgram(s.script), s.amount))
	sig, err := txscript.RawTxInWitnessSignature(tx, hashes, 0, s.amount, s.script, txscript.SigHashAll, key)
	if err != nil {
		return nil, fmt.Errorf("sign htlc spend: %w", err)
	}
	tx.TxIn[0].Witness = s.witness(sig)
	return tx, nil
}

// vsize is the transaction's virtual size: weight (stripped size x 3 plus
// full size) over 4, rounded up.
func vsize(tx *wire.MsgTx) int64 {
	weight := int64(tx.SerializeSizeStripped())*3 + int64(tx.SerializeSize())
	return (weight + 3) / 4
}
