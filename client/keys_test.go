package client

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
)

func fixedPassphrase(p string) Passphrase { return func(bool) (string, error) { return p, nil } }

func TestReadSecretFile(t *testing.T) {
	tests := []struct {
		name string
		perm os.FileMode
		ok   bool
	}{
		{"owner only", 0o600, true},
		{"owner read-only", 0o400, true},
		{"world-readable", 0o644, false},
		{"group-readable", 0o640, false},
		{"group-writable", 0o620, false},
		{"world-writable", 0o602, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "secret")
			require.NoError(t, os.WriteFile(path, []byte("  s3cret \n"), 0o600))
			require.NoError(t, os.Chmod(path, tc.perm))
			got, err := ReadSecretFile(path)
			if tc.ok {
				require.NoError(t, err)
				require.Equal(t, "s3cret", got)
				return
			}
			require.ErrorIs(t, err, ErrSecretFileMode)
			require.ErrorContains(t, err, "chmod 600 "+path)
			require.Empty(t, got)
		})
	}
	_, err := ReadSecretFile(filepath.Join(t.TempDir(), "missing"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

// TestFileKeyringPassphrase: the passphrase chosen first is checked on
// every later open; a wrong one reads nothing, and one too short is never
// chosen.
func TestFileKeyringPassphrase(t *testing.T) {
	home := t.TempDir()
	_, err := OpenKeyring(home, "kwallet", nil, NewCodec())
	require.ErrorContains(t, err, "use file, os or test")

	short, err := OpenKeyring(home, keyring.BackendFile, fixedPassphrase("short"), NewCodec())
	require.NoError(t, err)
	_, _, err = AddKey(short, KeyName("hub", "relayer"), "")
	require.ErrorContains(t, err, "at least 8 characters")
	require.NoFileExists(t, filepath.Join(home, KeyringDir, "keyring-file", "keyhash"))

	var chosen []bool
	kr, err := OpenKeyring(home, keyring.BackendFile, func(choose bool) (string, error) {
		chosen = append(chosen, choose)
		return "long enough passphrase", nil
	}, NewCodec())
	require.NoError(t, err)
	require.Equal(t, keyring.BackendFile, kr.Backend())
	addr, _, err := AddKey(kr, KeyName("hub", "relayer"), "")
	require.NoError(t, err)
	require.NoError(t, kr.SetSecret("stellar/seller", "SSECRET"))
	require.Equal(t, []bool{true}, chosen, "asked once, to choose it")

	wrong, err := OpenKeyring(home, keyring.BackendFile, fixedPassphrase("another passphrase"), NewCodec())
	require.NoError(t, err)
	_, err = wrong.Key(KeyName("hub", "relayer"))
	require.ErrorIs(t, err, ErrWrongPassphrase)
	_, err = wrong.Secret("stellar/seller")
	require.ErrorIs(t, err, ErrWrongPassphrase)
	_, _, err = AddKey(wrong, KeyName("hub", "relayer"), "")
	require.ErrorIs(t, err, ErrWrongPassphrase)

	chosen = nil
	again, err := OpenKeyring(home, keyring.BackendFile, func(choose bool) (string, error) {
		chosen = append(chosen, choose)
		return "long enough passphrase", nil
	}, NewCodec())
	require.NoError(t, err)
	rec, err := again.Key(KeyName("hub", "relayer"))
	require.NoError(t, err)
	got, err := rec.GetAddress()
	require.NoError(t, err)
	require.Equal(t, addr, got)
	seed, err := again.Secret("stellar/seller")
	require.NoError(t, err)
	require.Equal(t, "SSECRET", seed)
	require.Equal(t, []bool{false}, chosen, "asked once per open, to check it")
}

// TestKeyringSecrets: secrets never overwrite, never pass for keys, and
// their names cannot look like the SDK's items.
func TestKeyringSecrets(t *testing.T) {
	kr, err := OpenKeyring(t.TempDir(), keyring.BackendTest, nil, NewCodec())
	require.NoError(t, err)
	_, err = kr.Secret("bitcoin/buyer")
	require.ErrorIs(t, err, ErrSecretNotFound)
	require.NoError(t, kr.SetSecret("bitcoin/buyer", "cVwif"))
	require.ErrorContains(t, kr.SetSecret("bitcoin/buyer", "other"), "already exists")
	got, err := kr.Secret("bitcoin/buyer")
	require.NoError(t, err)
	require.Equal(t, "cVwif", got)
	for _, name := range []string{"", "x.info", "x.address", "../x", "a//b", "/a"} {
		require.ErrorContains(t, kr.SetSecret(name, "s"), "secret name", name)
	}
	recs, err := kr.List()
	require.NoError(t, err)
	require.Empty(t, recs, "a secret is not a key")
}
