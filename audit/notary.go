package audit

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/types/bech32"

	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

func attestationKey(id string) []byte {
	return withPrefix(notarytypes.AttestationsKey, collections.StringKey, id)
}

// signaturesPrefix is where x/notary keeps an attestation's signatures, one
// key per member index: (id, index) as a collections pair, the string part
// ending in 0x00 (docs/spec/notary.md, "State").
func signaturesPrefix(id string) []byte {
	return append(withPrefix(notarytypes.SignaturesKey, collections.StringKey, id), 0x00)
}

func notarySetKey(version uint64) []byte {
	return withPrefix(notarytypes.SetsKey, collections.Uint64Key, version)
}

// fetchAttestations reads the attestation of every record attested from a
// ledger, and the notary set it names (decoded without checking: Verify checks).
func fetchAttestations(ctx context.Context, p Prover, ev *Evidence, state Verified) error {
	for _, rec := range decodeAll[vehicletypes.Record](ev.Records) {
		o := rec.LedgerOrigin
		if o == nil {
			continue
		}
		r, err := p.Prove(ctx, notarytypes.StoreKey, attestationKey(o.AttestationId), ev.Height)
		if err != nil {
			return err
		}
		ev.Attestations = append(ev.Attestations, r)
		sigs, _, err := walk(ctx, p, notarytypes.StoreKey, signaturesPrefix(o.AttestationId), state)
		if err != nil {
			return err
		}
		ev.Signatures = append(ev.Signatures, sigs)
		var att notarytypes.Attestation
		if att.Unmarshal(r.Value) != nil {
			continue
		}
		set, err := p.Prove(ctx, notarytypes.StoreKey, notarySetKey(att.SetVersion), ev.Height)
		if err != nil {
			return err
		}
		ev.NotarySets = append(ev.NotarySets, set)
	}
	return nil
}

// verifyAttestation proves the attestation that carried a record from a
// dealer's ledger and re-verifies its notaries' BIP-340 signatures
// (x/notary's own digest and verification) against the notary set proven
// from hub state: a threshold of distinct members must have signed the
// observation of exactly this record.
func (f *Findings) verifyAttestation(appHash []byte, rec vehicletypes.Record, ev Evidence) {
	o := rec.LedgerOrigin
	subject := fmt.Sprintf("record %d", rec.Id)
	statement := fmt.Sprintf("row %s of ledger %s, attested by notaries (attestation %s)", o.RecordRef, o.LedgerId, o.AttestationId)
	att, ok := provenObject[notarytypes.Attestation](f, appHash, findRead(ev.Attestations, attestationKey(o.AttestationId)),
		notarytypes.StoreKey, attestationKey(o.AttestationId), subject, statement)
	if !ok {
		return
	}
	set, ok := provenObject[notarytypes.NotarySet](f, appHash, findRead(ev.NotarySets, notarySetKey(att.SetVersion)),
		notarytypes.StoreKey, notarySetKey(att.SetVersion), subject, statement)
	if !ok {
		return
	}
	if att.Signatures, ok = f.provenSignatures(appHash, att.Id, ev, subject, statement); !ok {
		return
	}
	signers, err := checkAttestation(att, set, rec)
	if err != nil {
		f.add(Contradicted, subject, statement, err.Error())
		return
	}
	f.add(Proven, subject, fmt.Sprintf("%s: %d of %d notaries of set %d signed (threshold %d), signatures verified", statement, signers, len(set.Members), set.Version, set.Threshold), "")
}

// provenSignatures are every signature x/notary keeps for attestation id,
// from a complete proven walk of its signature keys (state holds them apart
// from the attestation's value), so none can be added or hidden.
func (f *Findings) provenSignatures(appHash []byte, id string, ev Evidence, subject, statement string) ([]notarytypes.Signature, bool) {
	prefix := signaturesPrefix(id)
	i := slices.IndexFunc(ev.Signatures, func(rg Range) bool { return bytes.Equal(rg.Prefix, prefix) })
	if i < 0 {
		f.add(Contradicted, subject, statement, "the server showed no proof of the attestation's signatures")
		return nil, false
	}
	entries, err := ev.Signatures[i].Verify(appHash)
	if err != nil {
		f.contradict(subject, statement, err)
		return nil, false
	}
	sigs := make([]notarytypes.Signature, 0, len(entries))
	for _, e := range entries {
		var sig notarytypes.Signature
		if err := sig.Unmarshal(e.Value); err != nil {
			f.add(Contradicted, subject, statement, fmt.Sprintf("signature key %x holds no signature: %v", e.Key, err))
			return nil, false
		}
		sigs = append(sigs, sig)
	}
	return sigs, true
}

// checkAttestation returns how many distinct members of set validly signed
// att, which must be executed, be the attestation of rec's ledger row and
// reach the set's threshold.
func checkAttestation(att notarytypes.Attestation, set notarytypes.NotarySet, rec vehicletypes.Record) (int, error) {
	digest, err := notarytypes.Digest(att.Observation, att.SetVersion)
	if err != nil {
		return 0, fmt.Errorf("the attestation's observation has no digest: %w", err)
	}
	o, obs := rec.LedgerOrigin, att.Observation
	if notarytypes.AttestationID(digest) != att.Id || att.Id != o.AttestationId {
		return 0, fmt.Errorf("the attestation's id is not the digest of its observation")
	}
	if att.Status != notarytypes.ATTESTATION_STATUS_EXECUTED {
		return 0, fmt.Errorf("the attestation is %s, not executed", att.Status)
	}
	vr := obs.GetVehicleRecord()
	if vr == nil || obs.NetworkId != o.LedgerId || obs.TxRef != o.RecordRef {
		return 0, fmt.Errorf("the attestation observes %s %s, not this ledger row", obs.NetworkId, obs.TxRef)
	}
	a, _ := vr.Record.Marshal()
	b, _ := rec.Input.Marshal()
	if !bytes.Equal(a, b) {
		return 0, fmt.Errorf("the notaries attested another record than the hub keeps (%d km, hub: %d km)", vr.Record.OdometerKm, rec.Input.OdometerKm)
	}
	signed := map[string]bool{}
	for _, sig := range att.Signatures {
		_, signer, err := bech32.DecodeAndConvert(sig.Operator)
		if err != nil {
			continue
		}
		for _, m := range set.Members {
			_, member, err := bech32.DecodeAndConvert(m.Operator)
			if err == nil && bytes.Equal(member, signer) && notarytypes.VerifySignature(m.Pubkey, digest, sig.Sig) == nil {
				signed[string(member)] = true
			}
		}
	}
	if len(signed) < int(set.Threshold) || set.Threshold == 0 {
		return len(signed), fmt.Errorf("only %d valid signatures of members of set %d, threshold %d", len(signed), set.Version, set.Threshold)
	}
	return len(signed), nil
}
