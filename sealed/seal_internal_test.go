package sealed

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOpenAnyRefusesContentAgainstItsCommitments: a dishonest sealer
// encrypts, under a valid content key and a valid AEAD, another salt or
// value than the public commitment (the one it later discloses). The
// recipient's own entry opens; OpenAny must say ErrTampered naming the
// entry, not "not a recipient".
func TestOpenAnyRefusesContentAgainstItsCommitments(t *testing.T) {
	regulator, err := GenerateKey()
	require.NoError(t, err)
	id := KeyID{Address: "cosmos1regulator", Version: 2}
	const subject = "vehicle/1HGCM82633A004352/d1"
	committed, sealedSalt := make([]byte, SaltSize), make([]byte, SaltSize)
	rand.Read(committed)
	rand.Read(sealedSalt)
	tests := []struct {
		name  string
		plain Field
	}{
		{"other salt", Field{Name: "sale_price", Value: []byte("9000"), Salt: sealedSalt}},
		{"other value", Field{Name: "sale_price", Value: []byte("18500"), Salt: committed}},
		{"other name", Field{Name: "buyer_name", Value: []byte("9000"), Salt: committed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := &Envelope{Version: Version, Subject: subject, Commitments: []Commitment{
				{Name: "sale_price", Digest: Commit(subject, "sale_price", committed, []byte("9000"))}}}
			require.NoError(t, encrypt(e, Fields{Fields: []Field{tc.plain}},
				[]RecipientKey{{KeyID: id, PublicKey: regulator.PublicKey().Bytes()}}))
			got, fields, err := OpenAny(e, regulator)
			require.ErrorIs(t, err, ErrTampered)
			require.NotErrorIs(t, err, ErrNotRecipient)
			require.ErrorContains(t, err, id.String())
			require.Equal(t, id, got)
			require.Nil(t, fields, "no field of a tampered envelope is handed out")
		})
	}
}
