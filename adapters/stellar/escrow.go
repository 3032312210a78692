package stellar

import (
	"fmt"

	"github.com/stellar/go-stellar-sdk/amount"
	hProtocol "github.com/stellar/go-stellar-sdk/protocols/horizon"
	"github.com/stellar/go-stellar-sdk/strkey"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// The escrow's signer weights and thresholds: recipient + preimage (1 + 1)
// or the pre-authorized refund (2) reach 2; nothing else does.
const (
	weightRecipient = 1
	weightHashX     = 1
	weightRefund    = 2
	escrowThreshold = 2
)

// checkEscrow verifies that a locked escrow can only be claimed by the
// recipient with the preimage or refunded by the contract's refund
// transaction, and still holds what the sender funded it with, and
// returns the terms it holds. The amount is the funding's, not the
// balance: anyone can pay into the escrow, and the claim takes it all.
func checkEscrow(acc hProtocol.Account, refund refundTx, funded int64) (htlc.Terms, error) {
	bad := func(why string, args ...any) (htlc.Terms, error) {
		return htlc.Terms{}, fmt.Errorf("%w: escrow %s: %s", htlc.ErrTermsMismatch, acc.AccountID, fmt.Sprintf(why, args...))
	}
	th := acc.Thresholds
	if th.LowThreshold != escrowThreshold || th.MedThreshold != escrowThreshold || th.HighThreshold != escrowThreshold {
		return bad("thresholds are %d/%d/%d, want %d/%d/%d", th.LowThreshold, th.MedThreshold, th.HighThreshold,
			escrowThreshold, escrowThreshold, escrowThreshold)
	}
	signers, err := readSigners(acc, refund)
	if err != nil {
		return bad("%v", err)
	}
	switch {
	case acc.SubentryCount != escrowSigners:
		return bad("%d subentries, want only its %d signers (anything else would block the merge)", acc.SubentryCount, escrowSigners)
	case acc.NumSponsoring != 0:
		return bad("sponsors %d entries, which would block the merge", acc.NumSponsoring)
	case acc.Flags.AuthImmutable:
		return bad("has auth_immutable set, which would block the merge")
	case acc.Sequence+1 != refund.seq:
		return bad("next sequence number is %d, the refund uses %d", acc.Sequence+1, refund.seq)
	}
	balance, err := nativeBalance(acc)
	if err != nil {
		return bad("%v", err)
	}
	if balance < funded {
		return bad("holds %s XLM, less than the %s XLM it was funded with", amount.StringFromInt64(balance), amount.StringFromInt64(funded))
	}
	return htlc.Terms{
		Hash: signers.hash, Sender: refund.sender, Recipient: signers.recipient,
		Amount: amount.StringFromInt64(funded - EscrowOverhead), Expiry: refund.expiry,
	}, nil
}

// signerSet is what an escrow's signers say.
type signerSet struct {
	recipient string
	hash      hashlock.Hash
}

// readSigners accepts exactly the master key at weight 0, one ed25519
// signer (the recipient), one hashX signer and the refund's pre-auth
// signer, at their weights.
func readSigners(acc hProtocol.Account, refund refundTx) (signerSet, error) {
	var set signerSet
	var seen [3]bool
	for _, s := range acc.Signers {
		var slot int
		switch {
		case s.Key == acc.AccountID:
			if s.Weight != 0 {
				return set, fmt.Errorf("master key weight is %d, want 0", s.Weight)
			}
			continue
		case s.Type == "ed25519_public_key" && s.Weight == weightRecipient:
			slot, set.recipient = 0, s.Key
		case s.Type == "sha256_hash" && s.Weight == weightHashX:
			raw, err := strkey.Decode(strkey.VersionByteHashX, s.Key)
			if err != nil {
				return set, fmt.Errorf("hashX signer %s: %v", s.Key, err)
			}
			slot = 1
			copy(set.hash[:], raw)
		case s.Type == "preauth_tx" && s.Key != refund.preAuthSigner():
			return set, fmt.Errorf("pre-auth signer %s is not the contract's refund transaction %s", s.Key, refund.hashHex())
		case s.Type == "preauth_tx" && s.Weight == weightRefund:
			slot = 2
		default:
			return set, fmt.Errorf("unexpected signer %s (%s, weight %d)", s.Key, s.Type, s.Weight)
		}
		if seen[slot] {
			return set, fmt.Errorf("a second %s signer %s", s.Type, s.Key)
		}
		seen[slot] = true
	}
	if seen != [3]bool{true, true, true} {
		return set, fmt.Errorf("signers %v lack the recipient, the hashX or the refund's pre-auth signer %s", acc.SignerSummary(), refund.preAuthSigner())
	}
	return set, nil
}

func nativeBalance(acc hProtocol.Account) (int64, error) {
	b, err := acc.GetNativeBalance()
	if err != nil {
		return 0, err
	}
	return amount.ParseInt64(b)
}
