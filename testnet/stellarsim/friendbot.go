package stellarsim

import (
	"context"
	"errors"
	"fmt"

	"github.com/stellar/go-stellar-sdk/amount"
	"github.com/stellar/go-stellar-sdk/strkey"
	"github.com/stellar/go-stellar-sdk/txnbuild"
	"github.com/stellar/go-stellar-sdk/xdr"
)

// Fund creates the account with FriendbotAmount lumens paid by the root
// account, through a signed CreateAccount transaction like testnet's
// friendbot, and returns that transaction's hash once its ledger closed.
// Funding an existing account fails with op_already_exists.
func (s *Sim) Fund(ctx context.Context, address string) (string, error) {
	out, err := s.friendbot(ctx, address)
	if err != nil {
		return "", err
	}
	return s.txOutcome(out)
}

func (s *Sim) friendbotTx(address string) (string, error) {
	if !strkey.IsValidEd25519PublicKey(address) {
		return "", fmt.Errorf("friendbot: %q is not a G... account id", address)
	}
	s.mu.Lock()
	root := s.state.get(s.root.Address())
	if root == nil {
		s.mu.Unlock()
		return "", errors.New("friendbot: the root account was merged away")
	}
	s.rootSeq = max(s.rootSeq, root.seq) + 1
	seq := s.rootSeq
	s.mu.Unlock()
	tx, err := txnbuild.NewTransaction(txnbuild.TransactionParams{
		SourceAccount: &txnbuild.SimpleAccount{AccountID: s.root.Address(), Sequence: seq},
		Operations: []txnbuild.Operation{&txnbuild.CreateAccount{
			Destination: address, Amount: amount.StringFromInt64(s.cfg.FriendbotAmount),
		}},
		BaseFee:       s.cfg.BaseFee,
		Preconditions: txnbuild.Preconditions{TimeBounds: txnbuild.NewInfiniteTimeout()},
	})
	if err != nil {
		return "", fmt.Errorf("friendbot: build: %w", err)
	}
	if tx, err = tx.Sign(s.cfg.Passphrase, s.root); err != nil {
		return "", fmt.Errorf("friendbot: sign: %w", err)
	}
	return tx.Base64()
}

// friendbot submits the funding transaction and waits for its ledger.
func (s *Sim) friendbot(ctx context.Context, address string) (outcome, error) {
	envelope, err := s.friendbotTx(address)
	if err != nil {
		return outcome{}, err
	}
	out, err := s.submit(ctx, envelope)
	if err == nil && out.result.code == xdr.TransactionResultCodeTxBadSeq {
		// Someone else used the root key: read its sequence again next time.
		s.mu.Lock()
		s.rootSeq = 0
		s.mu.Unlock()
	}
	return out, err
}
