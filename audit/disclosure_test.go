package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/audit"
	"github.com/vinhub/vinhub/sealed"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

const hubChainID = "vinhub-test"

// TestDisclosureProven: a disclosure is checked against the record proven
// from the hub's verified app hash, not a node's say-so: the true value is
// proven with the record's VIN; a changed value, a disclosure of another
// chain, or a node answering with another record (the seller's node
// crafting "record 42") is contradicted.
func TestDisclosureProven(t *testing.T) {
	c := newChain(t)
	dealerKey, err := sealed.GenerateKey()
	require.NoError(t, err)
	seal := func(price string) *sealed.Envelope {
		env, err := sealed.Seal(vehicletypes.SealedSubject(car, "acme"), []sealed.PlainField{{Name: "sale_price", Value: []byte(price)}},
			[]sealed.RecipientKey{{KeyID: sealed.KeyID{Address: rep.String(), Version: 1}, PublicKey: dealerKey.PublicKey().Bytes()}})
		require.NoError(t, err)
		return env
	}
	in := vehicletypes.RecordInput{Vin: car, Kind: vehicletypes.RECORD_KIND_OWNERSHIP_TRANSFER, OccurredAt: start.Add(-24 * time.Hour), Sealed: seal("18500 EUR")}
	other := in
	other.Sealed = seal("9000 EUR")
	res, err := c.vehicle.RecordBatch(c.ctx, "acme", rep, []vehicletypes.RecordInput{in, other})
	require.NoError(t, err)
	height := c.commit()
	appHash := c.appHashes[height]

	fields, err := sealed.Open(in.Sealed, sealed.KeyID{Address: rep.String(), Version: 1}, dealerKey)
	require.NoError(t, err)
	d, err := sealed.Disclose(in.Sealed, fields, hubChainID, vehicletypes.RecordRef(res[0].Id), "sale_price")
	require.NoError(t, err)
	read, err := audit.FetchDisclosedRecord(context.Background(), c, d, height)
	require.NoError(t, err)

	f := audit.VerifyDisclosure(appHash, hubChainID, height, d, read)
	require.False(t, f.Contradicted(), "%+v", f.Facts)
	require.Equal(t, car, f.VIN)
	require.Contains(t, f.Facts[len(f.Facts)-1].Statement, "sale_price = 18500 EUR")

	changed := d
	changed.Value = []byte("9000 EUR")
	require.True(t, audit.VerifyDisclosure(appHash, hubChainID, height, changed, read).Contradicted(), "a changed value")
	require.True(t, audit.VerifyDisclosure(appHash, "dealer-1", height, d, read).Contradicted(), "a disclosure checked against another chain")

	// The node answers with the other record (whose envelope commits 9000) for record res[0].
	lie, err := c.Prove(context.Background(), vehicletypes.StoreKey, read.Key, height)
	require.NoError(t, err)
	otherRead, err := audit.FetchDisclosedRecord(context.Background(), c, sealed.Disclosure{RecordRef: vehicletypes.RecordRef(res[1].Id)}, height)
	require.NoError(t, err)
	lie.Value = otherRead.Value
	require.True(t, audit.VerifyDisclosure(appHash, hubChainID, height, changed, lie).Contradicted(), "a crafted record")
	require.True(t, audit.VerifyDisclosure(appHash, hubChainID, height, changed, otherRead).Contradicted(), "another record's proof")
}
