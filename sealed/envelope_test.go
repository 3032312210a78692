package sealed_test

import (
	"bytes"
	"crypto/ecdh"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/sealed"
)

const subject = "vehicle/1HGCM82633A004352/d1"

// party is a registered key holder: its key id and private key.
type party struct {
	id   sealed.KeyID
	priv *ecdh.PrivateKey
}

func newParty(t testing.TB, name string) party {
	t.Helper()
	priv, err := sealed.GenerateKey()
	require.NoError(t, err)
	return party{id: sealed.KeyID{Address: "cosmos1" + name, Version: 1}, priv: priv}
}

func (p party) key() sealed.RecipientKey {
	return sealed.RecipientKey{KeyID: p.id, PublicKey: p.priv.PublicKey().Bytes()}
}

var saleFields = []sealed.PlainField{
	{Name: "sale_price", Value: []byte("18500 EUR")},
	{Name: "buyer_name", Value: []byte("Erika Mustermann")},
	{Name: "buyer_id", Value: []byte("L01X00T47")},
}

func seal(t testing.TB, parties ...party) *sealed.Envelope {
	t.Helper()
	keys := make([]sealed.RecipientKey, len(parties))
	for i, p := range parties {
		keys[i] = p.key()
	}
	env, err := sealed.Seal(subject, saleFields, keys)
	require.NoError(t, err)
	return env
}

func TestSealOpenForEveryRecipient(t *testing.T) {
	for _, n := range []int{1, 5} {
		t.Run(fmt.Sprintf("%d recipients", n), func(t *testing.T) {
			parties := make([]party, n)
			for i := range parties {
				parties[i] = newParty(t, fmt.Sprintf("party%d", i))
			}
			env := seal(t, parties...)
			require.NoError(t, env.ValidateBasic())
			require.Len(t, env.Recipients, n)
			require.Len(t, env.Commitments, len(saleFields))
			bz, err := env.Marshal()
			require.NoError(t, err)
			for _, f := range saleFields {
				require.False(t, bytes.Contains(bz, f.Value), "plaintext %q in the envelope", f.Value)
			}
			for _, p := range parties {
				fields, err := sealed.Open(env, p.id, p.priv)
				require.NoError(t, err)
				require.Len(t, fields, len(saleFields))
				for i, f := range fields {
					require.Equal(t, saleFields[i].Name, f.Name)
					require.Equal(t, saleFields[i].Value, f.Value)
				}
			}
		})
	}
}

func TestNonRecipientCannotOpen(t *testing.T) {
	dealer, regulator, outsider := newParty(t, "dealer"), newParty(t, "regulator"), newParty(t, "outsider")
	env := seal(t, dealer, regulator)

	_, err := sealed.Open(env, outsider.id, outsider.priv)
	require.ErrorIs(t, err, sealed.ErrNotRecipient)
	// Claiming a recipient's key id does not help without its private key:
	// the entry names the key it is sealed to.
	_, err = sealed.Open(env, regulator.id, outsider.priv)
	require.ErrorIs(t, err, sealed.ErrNotRecipient)
	_, _, err = sealed.OpenAny(env, outsider.priv)
	require.ErrorIs(t, err, sealed.ErrNotRecipient)
	// Nor does an old key version of a recipient.
	_, err = sealed.Open(env, sealed.KeyID{Address: regulator.id.Address, Version: 2}, regulator.priv)
	require.ErrorIs(t, err, sealed.ErrNotRecipient)
}

func TestTamperingIsDetected(t *testing.T) {
	dealer, regulator := newParty(t, "dealer"), newParty(t, "regulator")
	tests := []struct {
		name   string
		tamper func(e *sealed.Envelope)
	}{
		{"ciphertext byte flipped", func(e *sealed.Envelope) { e.Ciphertext[3] ^= 1 }},
		{"ciphertext truncated", func(e *sealed.Envelope) { e.Ciphertext = e.Ciphertext[:len(e.Ciphertext)-1] }},
		{"wrapped key flipped", func(e *sealed.Envelope) { e.Recipients[1].WrappedKey[0] ^= 1 }},
		{"enc replaced", func(e *sealed.Envelope) { e.Recipients[1].Enc = e.Recipients[0].Enc }},
		{"commitment digest changed", func(e *sealed.Envelope) { e.Commitments[0].Digest[0] ^= 1 }},
		{"commitments swapped", func(e *sealed.Envelope) {
			e.Commitments[0], e.Commitments[1] = e.Commitments[1], e.Commitments[0]
		}},
		{"commitment renamed", func(e *sealed.Envelope) { e.Commitments[0].Name = "mileage" }},
		{"subject changed", func(e *sealed.Envelope) { e.Subject = "vehicle/1M8GDM9AXKP042788/d2" }},
		// The entries' labels are in the HPKE info: relabelling one breaks it.
		{"key ids swapped", func(e *sealed.Envelope) {
			e.Recipients[0].Address, e.Recipients[1].Address = e.Recipients[1].Address, e.Recipients[0].Address
		}},
		{"key version relabelled", func(e *sealed.Envelope) { e.Recipients[1].KeyVersion = 7 }},
		{"another entry labelled with the regulator's key", func(e *sealed.Envelope) {
			e.Recipients[1].Enc, e.Recipients[1].WrappedKey = e.Recipients[0].Enc, e.Recipients[0].WrappedKey
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := seal(t, dealer, regulator)
			tc.tamper(env)
			_, err := sealed.Open(env, sealed.KeyID{Address: env.Recipients[1].Address, Version: env.Recipients[1].KeyVersion}, regulator.priv)
			require.ErrorIs(t, err, sealed.ErrTampered)
			// Opening without the key id is no different: the regulator's
			// own entry unwraps or not, and tampering is never "not for
			// this key".
			id, _, err := sealed.OpenAny(env, regulator.priv)
			require.ErrorIs(t, err, sealed.ErrTampered)
			require.NotErrorIs(t, err, sealed.ErrNotRecipient)
			require.ErrorContains(t, err, id.String(), "the error names the entry")
		})
	}
}

func TestDisclosure(t *testing.T) {
	dealer := newParty(t, "dealer")
	env := seal(t, dealer)
	other := seal(t, dealer) // another record: same car, same fields, other salts
	fields, err := sealed.Open(env, dealer.id, dealer.priv)
	require.NoError(t, err)
	d, err := sealed.Disclose(env, fields, "vinhub-1", "vehicle/record/42", "sale_price")
	require.NoError(t, err)
	require.NoError(t, sealed.VerifyDisclosure(d, "vinhub-1", env))
	// Record 42 of a dealer chain is another record than the hub's.
	require.ErrorIs(t, sealed.VerifyDisclosure(d, "dealer-1", env), sealed.ErrDisclosure)

	tests := []struct {
		name     string
		malleate func(d *sealed.Disclosure)
		against  *sealed.Envelope
	}{
		{"other chain", func(d *sealed.Disclosure) { d.ChainId = "dealer-1" }, env},
		{"changed value", func(d *sealed.Disclosure) { d.Value = []byte("9500 EUR") }, env},
		{"changed salt", func(d *sealed.Disclosure) { d.Salt = bytes.Clone(d.Salt); d.Salt[0] ^= 1 }, env},
		{"short salt", func(d *sealed.Disclosure) { d.Salt = d.Salt[:16] }, env},
		{"other field's name", func(d *sealed.Disclosure) { d.Name = "buyer_name" }, env},
		{"unknown field", func(d *sealed.Disclosure) { d.Name = "mileage" }, env},
		{"other subject", func(d *sealed.Disclosure) { d.Subject = "vehicle/1M8GDM9AXKP042788" }, env},
		{"field from another record", func(*sealed.Disclosure) {}, other},
		{"record without envelope", func(*sealed.Disclosure) {}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bad := d
			tc.malleate(&bad)
			require.ErrorIs(t, sealed.VerifyDisclosure(bad, "vinhub-1", tc.against), sealed.ErrDisclosure)
		})
	}
	_, err = sealed.Disclose(env, fields, "vinhub-1", "vehicle/record/42", "mileage")
	require.ErrorIs(t, err, sealed.ErrDisclosure)
}

func TestValidateBasic(t *testing.T) {
	dealer := newParty(t, "dealer")
	tests := []struct {
		name     string
		malleate func(e *sealed.Envelope)
	}{
		{"version 0", func(e *sealed.Envelope) { e.Version = 0 }},
		{"version 1", func(e *sealed.Envelope) { e.Version = 1 }},
		{"version 3", func(e *sealed.Envelope) { e.Version = 3 }},
		{"no subject", func(e *sealed.Envelope) { e.Subject = "" }},
		{"long subject", func(e *sealed.Envelope) { e.Subject = string(make([]byte, sealed.MaxSubjectLength+1)) }},
		{"short ciphertext", func(e *sealed.Envelope) { e.Ciphertext = e.Ciphertext[:15] }},
		{"huge ciphertext", func(e *sealed.Envelope) { e.Ciphertext = make([]byte, sealed.MaxCiphertext+1) }},
		{"no recipients", func(e *sealed.Envelope) { e.Recipients = nil }},
		{"too many recipients", func(e *sealed.Envelope) {
			for i := 0; i < sealed.MaxRecipients; i++ {
				r := e.Recipients[0]
				r.Address = fmt.Sprintf("cosmos1r%d", i)
				e.Recipients = append(e.Recipients, r)
			}
		}},
		{"recipient twice", func(e *sealed.Envelope) { e.Recipients = append(e.Recipients, e.Recipients[0]) }},
		{"recipient without address", func(e *sealed.Envelope) { e.Recipients[0].Address = "" }},
		{"key version 0", func(e *sealed.Envelope) { e.Recipients[0].KeyVersion = 0 }},
		{"short enc", func(e *sealed.Envelope) { e.Recipients[0].Enc = e.Recipients[0].Enc[:31] }},
		{"no key fingerprint", func(e *sealed.Envelope) { e.Recipients[0].KeyFingerprint = nil }},
		{"same key for two addresses", func(e *sealed.Envelope) {
			r := e.Recipients[0]
			r.Address = "cosmos1other"
			e.Recipients = append(e.Recipients, r)
		}},
		{"long wrapped key", func(e *sealed.Envelope) { e.Recipients[0].WrappedKey = append(e.Recipients[0].WrappedKey, 0) }},
		{"no fields", func(e *sealed.Envelope) { e.Commitments = nil }},
		{"too many fields", func(e *sealed.Envelope) {
			for i := 0; i < sealed.MaxFields; i++ {
				e.Commitments = append(e.Commitments, sealed.Commitment{Name: fmt.Sprintf("f%d", i), Digest: make([]byte, 32)})
			}
		}},
		{"field twice", func(e *sealed.Envelope) { e.Commitments = append(e.Commitments, e.Commitments[0]) }},
		{"upper-case name", func(e *sealed.Envelope) { e.Commitments[0].Name = "Price" }},
		{"name with space", func(e *sealed.Envelope) { e.Commitments[0].Name = "sale price" }},
		{"name starting with a digit", func(e *sealed.Envelope) { e.Commitments[0].Name = "1price" }},
		{"short digest", func(e *sealed.Envelope) { e.Commitments[0].Digest = e.Commitments[0].Digest[:31] }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := seal(t, dealer)
			tc.malleate(env)
			require.ErrorIs(t, env.ValidateBasic(), sealed.ErrMalformed)
		})
	}
	var none *sealed.Envelope
	require.ErrorIs(t, none.ValidateBasic(), sealed.ErrMalformed)
}

func TestSealRefusesBadInput(t *testing.T) {
	dealer := newParty(t, "dealer")
	_, err := sealed.Seal(subject, saleFields, nil)
	require.ErrorIs(t, err, sealed.ErrMalformed)
	_, err = sealed.Seal(subject, []sealed.PlainField{{Name: "Bad Name", Value: []byte("x")}}, []sealed.RecipientKey{dealer.key()})
	require.ErrorIs(t, err, sealed.ErrMalformed)
	lowOrder := dealer.key()
	lowOrder.PublicKey = make([]byte, 32)
	_, err = sealed.Seal(subject, saleFields, []sealed.RecipientKey{lowOrder})
	require.ErrorIs(t, err, sealed.ErrKeyLowOrder)
	_, err = sealed.Seal(subject, []sealed.PlainField{{Name: "invoice", Value: make([]byte, sealed.MaxCiphertext)}}, []sealed.RecipientKey{dealer.key()})
	require.ErrorIs(t, err, sealed.ErrMalformed)
}

// FuzzEnvelope: decoding any bytes as an envelope, validating it and trying
// to open it never panics; a valid envelope survives a round trip.
func FuzzEnvelope(f *testing.F) {
	dealer := newParty(f, "dealer")
	env := seal(f, dealer)
	bz, err := env.Marshal()
	require.NoError(f, err)
	f.Add(bz)
	f.Add([]byte{})
	f.Add([]byte{0x08, 0x01, 0x12, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		var e sealed.Envelope
		if err := e.Unmarshal(data); err != nil {
			return
		}
		if e.ValidateBasic() != nil {
			return
		}
		again, err := e.Marshal()
		require.NoError(t, err)
		var back sealed.Envelope
		require.NoError(t, back.Unmarshal(again))
		require.NoError(t, back.ValidateBasic())
		_, _ = sealed.Open(&e, dealer.id, dealer.priv)
	})
}

func TestOpenAnyAndKeyFile(t *testing.T) {
	path := t.TempDir() + "/regulator.json"
	priv, err := sealed.WriteKeyFile(path)
	require.NoError(t, err)
	_, err = sealed.WriteKeyFile(path)
	require.Error(t, err, "a key file is never overwritten")
	back, err := sealed.ReadKeyFile(path)
	require.NoError(t, err)
	require.True(t, priv.Equal(back))

	dealer := newParty(t, "dealer")
	regulator := party{id: sealed.KeyID{Address: "cosmos1regulator", Version: 3}, priv: back}
	env := seal(t, dealer, regulator)
	id, fields, err := sealed.OpenAny(env, back)
	require.NoError(t, err)
	require.Equal(t, regulator.id, id)
	require.Equal(t, saleFields[0].Value, fields[0].Value)
	_, _, err = sealed.OpenAny(env, newParty(t, "outsider").priv)
	require.ErrorIs(t, err, sealed.ErrNotRecipient)
}

// TestKeyFileRefusals: a key file other users can read, or whose public key
// is not its private key's, is refused.
func TestKeyFileRefusals(t *testing.T) {
	dir := t.TempDir()
	readable := dir + "/readable.json"
	_, err := sealed.WriteKeyFile(readable)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(readable, 0o644))
	_, err = sealed.ReadKeyFile(readable)
	require.ErrorContains(t, err, "chmod 600")

	mixed := dir + "/mixed.json"
	_, err = sealed.WriteKeyFile(mixed)
	require.NoError(t, err)
	other, err := sealed.GenerateKey()
	require.NoError(t, err)
	bz, err := os.ReadFile(mixed)
	require.NoError(t, err)
	var kf sealed.KeyFile
	require.NoError(t, json.Unmarshal(bz, &kf))
	kf.PublicKey = hex.EncodeToString(other.PublicKey().Bytes())
	bz, err = json.Marshal(kf)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(mixed, bz, 0o600))
	_, err = sealed.ReadKeyFile(mixed)
	require.ErrorContains(t, err, "is not the private key's")
}
