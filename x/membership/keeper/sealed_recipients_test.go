package keeper_test

import (
	"crypto/ecdh"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/membership/types"
)

// keyHolder is an account with a private key and the key id it is registered under.
type keyHolder struct {
	id   sealed.KeyID
	priv *ecdh.PrivateKey
}

func (h keyHolder) recipient() sealed.RecipientKey {
	return sealed.RecipientKey{KeyID: h.id, PublicKey: h.priv.PublicKey().Bytes()}
}

func genKey(t *testing.T) *ecdh.PrivateKey {
	t.Helper()
	priv, err := sealed.GenerateKey()
	require.NoError(t, err)
	return priv
}

// sealTo seals one field to the key holders.
func sealTo(t *testing.T, to ...sealed.RecipientKey) *sealed.Envelope {
	t.Helper()
	env, err := sealed.Seal("vehicle/1HGCM82633A004352/acme", []sealed.PlainField{{Name: "sale_price", Value: []byte("18500 EUR")}}, to)
	require.NoError(t, err)
	return env
}

// recipientSetup: a lender with a registered key and a regulator whose key
// governance set (version 1, then rotated to version 2).
func recipientSetup(t *testing.T) (fixture, keyHolder, keyHolder, keyHolder) {
	t.Helper()
	f := keySetup(t)
	lender := keyHolder{priv: genKey(t)}
	v, err := f.k.RegisterEncryptionKey(f.ctx, lenderAcc, lender.priv.PublicKey().Bytes(), "")
	require.NoError(t, err)
	lender.id = sealed.KeyID{Address: lenderAcc.String(), Version: v}
	old := keyHolder{priv: genKey(t)}
	v, err = f.k.SetEncryptionKey(f.ctx, regulatorAcc, old.priv.PublicKey().Bytes())
	require.NoError(t, err)
	old.id = sealed.KeyID{Address: regulatorAcc.String(), Version: v}
	current := keyHolder{priv: genKey(t)}
	v, err = f.k.SetEncryptionKey(f.ctx, regulatorAcc, current.priv.PublicKey().Bytes())
	require.NoError(t, err)
	current.id = sealed.KeyID{Address: regulatorAcc.String(), Version: v}
	return f, lender, old, current
}

// TestCheckRecipients: the hub refuses an envelope whose entry is sealed to
// another key than the registered one under its key id (a lying keys
// node's substitute), one that leaves out a regulator, one naming a
// regulator's old version (unless relayed), and a non-canonical address.
func TestCheckRecipients(t *testing.T) {
	f, lender, oldReg, regulator := recipientSetup(t)
	require.NoError(t, f.k.CheckRecipients(f.ctx, sealTo(t, lender.recipient(), regulator.recipient())))
	require.NoError(t, f.k.CheckRelayedRecipients(f.ctx, sealTo(t, lender.recipient(), regulator.recipient())))

	substituted := regulator.recipient()
	substituted.PublicKey = genKey(t).PublicKey().Bytes() // the attacker's key under the regulator's key id
	upper := lender.recipient()
	upper.Address = strings.ToUpper(upper.Address)
	unregistered := lender.recipient()
	unregistered.Version = 9
	tests := []struct {
		name       string
		env        *sealed.Envelope
		wantErr    error
		relayedErr error // nil: accepted when relayed
	}{
		{"regulator's key substituted", sealTo(t, lender.recipient(), substituted), types.ErrKeyMismatch, types.ErrKeyMismatch},
		{"sealed only to the sender", sealTo(t, lender.recipient()), types.ErrRegulatorNotRecipient, types.ErrRegulatorNotRecipient},
		{"regulator at its old version", sealTo(t, lender.recipient(), oldReg.recipient()), types.ErrRegulatorNotRecipient, nil},
		{"upper-case recipient address", sealTo(t, upper, regulator.recipient()), types.ErrInvalidAddress, types.ErrInvalidAddress},
		{"unregistered key version", sealTo(t, unregistered, regulator.recipient()), types.ErrKeyNotFound, types.ErrKeyNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorIs(t, f.k.CheckRecipients(f.ctx, tc.env), tc.wantErr)
			if tc.relayedErr == nil {
				require.NoError(t, f.k.CheckRelayedRecipients(f.ctx, tc.env))
			} else {
				require.ErrorIs(t, f.k.CheckRelayedRecipients(f.ctx, tc.env), tc.relayedErr)
			}
		})
	}

	// The same account twice, once upper-case: refused (not two recipients).
	twice := sealTo(t, lender.recipient(), regulator.recipient())
	dup := twice.Recipients[0]
	dup.Address, dup.KeyFingerprint = strings.ToUpper(dup.Address), sealed.KeyFingerprint(genKey(t).PublicKey().Bytes())
	twice.Recipients = append(twice.Recipients, dup)
	require.ErrorIs(t, f.k.CheckRecipients(f.ctx, twice), types.ErrInvalidAddress)
}

// TestCheckRecipientsWithoutRegulatorKey: a regulator without a key set by
// governance is not required (nobody can seal to it).
func TestCheckRecipientsWithoutRegulatorKey(t *testing.T) {
	f := keySetup(t)
	lender := keyHolder{priv: genKey(t)}
	v, err := f.k.RegisterEncryptionKey(f.ctx, lenderAcc, lender.priv.PublicKey().Bytes(), "")
	require.NoError(t, err)
	lender.id = sealed.KeyID{Address: lenderAcc.String(), Version: v}
	require.NoError(t, f.k.CheckRecipients(f.ctx, sealTo(t, lender.recipient())))
}

// TestRegulatorGrantEndsSelfRegisteredKey: an examiner registers a key of
// its choice while its regulator grant is being voted on; the grant ends
// that key, so the regulator is listed as missing (no key to seal to) until
// governance sets one; the old version stays readable.
func TestRegulatorGrantEndsSelfRegisteredKey(t *testing.T) {
	f := keySetup(t)
	examiner := sdk.AccAddress(strings.Repeat("\x5e", 20))
	require.NoError(t, f.k.GrantRole(f.ctx, examiner, types.ROLE_EXAMINER, "examiner"))
	chosen := newKey(t)
	require.NoError(t, register(f, examiner, chosen, ""))

	later := f.ctx.WithBlockHeight(9)
	require.NoError(t, f.k.GrantRole(later, examiner, types.ROLE_REGULATOR, "made a regulator"))
	keys, err := f.queries.RegulatorKeys(later, &types.QueryRegulatorKeysRequest{})
	require.NoError(t, err)
	require.Empty(t, keys.Keys)
	require.ElementsMatch(t, []string{regulatorAcc.String(), examiner.String()}, keys.Missing)
	old, err := f.k.EncryptionKey(later, examiner, 1)
	require.NoError(t, err)
	require.Equal(t, chosen, old.PublicKey)
	require.Equal(t, int64(9), old.SupersededHeight)
	_, found, err := f.k.CurrentEncryptionKey(later, examiner)
	require.NoError(t, err)
	require.False(t, found)

	// Governance sets the next version; the chosen key cannot come back.
	_, err = f.msgs.SetEncryptionKey(later, &types.MsgSetEncryptionKey{Authority: f.authority, Address: examiner.String(), PublicKey: chosen})
	require.ErrorIs(t, err, types.ErrKeyTaken)
	pub := newKey(t)
	res, err := f.msgs.SetEncryptionKey(later, &types.MsgSetEncryptionKey{Authority: f.authority, Address: examiner.String(), PublicKey: pub})
	require.NoError(t, err)
	require.Equal(t, uint32(2), res.Version)
	keys, err = f.queries.RegulatorKeys(later, &types.QueryRegulatorKeysRequest{})
	require.NoError(t, err)
	require.Len(t, keys.Keys, 1)
	require.Equal(t, pub, keys.Keys[0].PublicKey)

	gs, err := f.k.ExportGenesis(later)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
}

// TestRegulatorKeysIgnoreSelfRegisteredKey: a regulator whose current key
// was not set by governance (as a genesis may hold) is listed as missing.
func TestRegulatorKeysIgnoreSelfRegisteredKey(t *testing.T) {
	f := setup(t)
	gs := types.GenesisState{
		Roles:          []types.RoleGrant{{Address: regulatorAcc.String(), Role: types.ROLE_REGULATOR}},
		EncryptionKeys: []types.EncryptionKey{{Address: regulatorAcc.String(), Version: 1, PublicKey: newKey(t)}},
	}
	require.NoError(t, f.k.InitGenesis(f.ctx, gs))
	keys, missing, err := f.k.RegulatorKeys(f.ctx)
	require.NoError(t, err)
	require.Empty(t, keys)
	require.Equal(t, []string{regulatorAcc.String()}, missing)
}

// TestEncryptionKeyRegisteredOnce: nobody registers a key another account
// registered (a regulator's, to read as it what is sealed "to" them), nor
// returns to an earlier version of its own; a genesis listing a key twice
// is invalid.
func TestEncryptionKeyRegisteredOnce(t *testing.T) {
	f := keySetup(t)
	regKey := newKey(t)
	_, err := f.msgs.SetEncryptionKey(f.ctx, &types.MsgSetEncryptionKey{Authority: f.authority, Address: regulatorAcc.String(), PublicKey: regKey})
	require.NoError(t, err)
	before, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.ErrorIs(t, register(f, lenderAcc, regKey, ""), types.ErrKeyTaken)
	after, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Equal(t, before, after)

	k1, k2 := newKey(t), newKey(t)
	require.NoError(t, register(f, lenderAcc, k1, ""))
	require.NoError(t, register(f, lenderAcc, k2, ""))
	require.ErrorIs(t, register(f, lenderAcc, k1, ""), types.ErrKeyTaken)

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	g := setup(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	g.k = g.k.WithReporters(dealerReporters{})
	_, err = g.k.RegisterEncryptionKey(g.ctx, lenderAcc, regKey, "")
	require.ErrorIs(t, err, types.ErrKeyTaken, "the index is rebuilt from genesis")

	dup := *gs
	dup.EncryptionKeys = append([]types.EncryptionKey(nil), gs.EncryptionKeys...)
	dup.EncryptionKeys = append(dup.EncryptionKeys, types.EncryptionKey{Address: reporterAcc.String(), Version: 1, PublicKey: regKey})
	require.ErrorIs(t, dup.Validate(), types.ErrInvalidGenesis)
}
