package audit_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/audit"
	notarytypes "github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// attest has a set of three notaries (threshold 2) attest a ledger row of
// car; sign picks which members sign and may spoil a signature; the hub
// keeps hubInput as the record.
func (c *chain) attest(t *testing.T, signers []int, spoil bool, hubKm uint64) {
	t.Helper()
	set := notarytypes.NotarySet{Version: 1, Threshold: 2}
	var keys []*btcec.PrivateKey
	for i := range 3 {
		key, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{byte(0x40 + i)}, 32))
		keys = append(keys, key)
		set.Members = append(set.Members, notarytypes.Member{Operator: sdk.AccAddress(bytes.Repeat([]byte{byte(0x60 + i)}, 20)).String(), Pubkey: notarytypes.PubKeyBytes(key)})
	}
	in := vehicletypes.RecordInput{Vin: car, Kind: vehicletypes.RECORD_KIND_SERVICE, OdometerKm: 61_000, OccurredAt: start.Add(-time.Hour)}
	obs := notarytypes.Observation{Platform: notarytypes.PLATFORM_LEDGER, NetworkId: "acme-ledger", TxRef: "row-1", Height: 1, Time: start,
		Payload: &notarytypes.Observation_VehicleRecord{VehicleRecord: &notarytypes.VehicleRecord{Record: in}}}
	digest, err := notarytypes.Digest(obs, 1)
	require.NoError(t, err)
	att := notarytypes.Attestation{Id: notarytypes.AttestationID(digest), Observation: obs, SetVersion: 1, Status: notarytypes.ATTESTATION_STATUS_EXECUTED}
	for _, i := range signers {
		sig, err := notarytypes.Sign(keys[i], digest)
		require.NoError(t, err)
		if spoil {
			sig[5] ^= 0xff
		}
		// As x/notary stores them: each under (attestation id, member index).
		require.NoError(t, c.notary.Signatures.Set(c.ctx, collections.Join(att.Id, uint32(i)),
			notarytypes.Signature{Operator: set.Members[i].Operator, Sig: sig, Height: 1}))
		att.SignatureCount++
	}
	require.NoError(t, c.notary.Sets.Set(c.ctx, 1, set))
	require.NoError(t, c.notary.Attestations.Set(c.ctx, att.Id, att))
	in.OdometerKm = hubKm
	_, err = c.vehicle.AppendAttestedRecord(c.ctx, "acme", in, vehicletypes.LedgerOrigin{LedgerId: "acme-ledger", RecordRef: "row-1", AttestationId: att.Id})
	require.NoError(t, err)
}

// TestAttestedRecordSignatures: a record attested from a ledger is PROVEN
// only when a threshold of the proven notary set signed exactly that row;
// spoiled signatures, too few signers or a hub record that is not what
// the notaries signed are CONTRADICTED.
func TestAttestedRecordSignatures(t *testing.T) {
	testCases := []struct {
		name    string
		signers []int
		spoil   bool
		hubKm   uint64
		want    audit.Status
		reason  string
	}{
		{"two of three sign", []int{0, 2}, false, 61_000, audit.Proven, ""},
		{"one of three signs", []int{1}, false, 61_000, audit.Contradicted, "threshold 2"},
		{"the signatures are spoiled", []int{0, 1, 2}, true, 61_000, audit.Contradicted, "only 0 valid signatures"},
		{"a signer listed twice", []int{1, 1}, false, 61_000, audit.Contradicted, "only 1 valid"},
		{"the hub keeps another reading than attested", []int{0, 1}, false, 16_000, audit.Contradicted, "another record"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChain(t)
			c.attest(t, tc.signers, tc.spoil, tc.hubKm)
			h := c.commit()
			ev, err := audit.Fetch(context.Background(), c, car, c.state(h))
			require.NoError(t, err)
			f := audit.Verify(c.appHashes[h], ev)
			var fact *audit.Fact
			for i := range f.Facts {
				if strings.HasPrefix(f.Facts[i].Statement, "row row-1 of ledger acme-ledger") {
					fact = &f.Facts[i]
				}
			}
			require.NotNil(t, fact, "%+v", f.Facts)
			require.Equal(t, tc.want, fact.Status, fact.Reason)
			require.Contains(t, fact.Reason, tc.reason)
		})
	}
}
