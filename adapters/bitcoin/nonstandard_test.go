package bitcoin

import (
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/wire"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// mineNonStandard signs sp with key, checks that btcd's relay policy
// refuses it (MINIMALIF) and mines it in a block of its own, as any miner
// may: by consensus it is valid.
func (s *simnet) mineNonStandard(t *testing.T, sp spend, key *btcec.PrivateKey) *wire.MsgTx {
	t.Helper()
	tx, err := sp.sign(key, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.node.Client().SendRawTransaction(tx, false); err == nil || !strings.Contains(err.Error(), "minimal if") {
		t.Fatalf("btcd's mempool answered %v, want a MINIMALIF refusal", err)
	}
	if _, err := s.node.MineBlock(tx); err != nil {
		t.Fatalf("mine the non-standard spend: %v", err)
	}
	return tx
}

// testNonStandardClaim: a claim whose branch selector is 02, mined by a
// miner, reveals the secret to a watch already running and to Status.
func (s *simnet) testNonStandardClaim(t *testing.T) {
	secret := newSecret(t)
	c := s.lock(t, s.terms(t, secret.Hash(), 100_000, 10*time.Minute))
	watched := watchInBackground(t, s.alice, c)
	cs, err := s.bob.state(testCtx(t), c)
	if err != nil {
		t.Fatal(err)
	}
	sp := claimSpend(cs.out, cs.terms.Amount, cs.script, secret[:], p2wpkhScript(s.bob.pub))
	sp.witness = func(sig []byte) wire.TxWitness { return wire.TxWitness{sig, secret[:], {2}, cs.script} }
	tx := s.mineNonStandard(t, sp, s.bobKey)
	wantSecret(t, watched, secret)
	st := wantState(t, s.alice, c, htlc.StateClaimed)
	if st.Secret == nil || *st.Secret != secret || st.TxID != tx.TxHash().String() {
		t.Fatalf("status after the claim: %+v, claim tx %s", st, tx.TxHash())
	}
	_, err = s.alice.Refund(testCtx(t), c)
	wantErr(t, "refund after the claim", err, htlc.ErrClaimed)
}

// refundNonStandard refunds c with the branch selector 80 (negative zero,
// false by consensus) in a mined block; the rail reads it as a refund.
func (s *simnet) refundNonStandard(t *testing.T, c htlc.Contract, secret hashlock.Secret) {
	cs, err := s.alice.state(testCtx(t), c)
	if err != nil {
		t.Fatal(err)
	}
	sp := refundSpend(cs.out, cs.terms.Amount, cs.script, cs.terms.LockTime, p2wpkhScript(s.alice.pub))
	sp.witness = func(sig []byte) wire.TxWitness { return wire.TxWitness{sig, {0x80}, cs.script} }
	tx := s.mineNonStandard(t, sp, s.aliceKey)
	if st := wantState(t, s.bob, c, htlc.StateRefunded); st.TxID != tx.TxHash().String() {
		t.Fatalf("status after the refund: %+v, refund tx %s", st, tx.TxHash())
	}
	_, err = s.bob.WatchSecret(testCtx(t), c)
	wantErr(t, "watch a contract refunded with selector 80", err, htlc.ErrRefunded)
	_, err = s.bob.Claim(testCtx(t), c, secret)
	wantErr(t, "claim after the refund", err, htlc.ErrRefunded)
}
