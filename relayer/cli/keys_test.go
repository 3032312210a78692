package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcutil"
	"github.com/btcsuite/btcd/chaincfg"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/adapters/bitcoin"
	"github.com/vinhub/vinhub/adapters/swap"
	"github.com/vinhub/vinhub/client"
)

// testMnemonic is a valid 24-word BIP-39 mnemonic (the SDK's test vectors).
const testMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"

const testPassphrase = "correct horse battery staple"

// vinrelay runs the command line in this process with stdin, and returns
// what it printed on stdout.
func vinrelay(t *testing.T, home, stdin string, args ...string) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = stdout }()
	out := make(chan string)
	go func() {
		bz, _ := io.ReadAll(r)
		out <- string(bz)
	}()
	app := App()
	app.Reader = strings.NewReader(stdin)
	runErr := app.Run(append([]string{"vinrelay", "--home", home}, args...))
	require.NoError(t, w.Close())
	return <-out, runErr
}

// secretFile writes content to a file of mode perm in dir.
func secretFile(t *testing.T, dir, name, content string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content+"\n"), perm))
	require.NoError(t, os.Chmod(path, perm))
	return path
}

// expectedAddress is the account testMnemonic restores to.
func expectedAddress(t *testing.T) sdk.AccAddress {
	t.Helper()
	priv, err := hd.Secp256k1.Derive()(testMnemonic, keyring.DefaultBIP39Passphrase, sdk.FullFundraiserPath)
	require.NoError(t, err)
	return sdk.AccAddress(hd.Secp256k1.Generate()(priv).PubKey().Address())
}

// openKeys opens home's keyring as vinrelay does, with a fixed passphrase.
func openKeys(t *testing.T, home, backend, pass string) *client.Keyring {
	t.Helper()
	kr, err := client.OpenKeyring(home, backend, func(bool) (string, error) { return pass, nil }, client.NewCodec())
	require.NoError(t, err)
	return kr
}

// TestKeyringDefaultsToFile is the attack on the default: vinrelay's
// keyring (which holds the hub swap key) was the unencrypted test backend.
// A key added with no --keyring-backend lands in the passphrase-encrypted
// file keyring, which a wrong passphrase cannot read.
func TestKeyringDefaultsToFile(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	pass := secretFile(t, dir, "passphrase", testPassphrase, 0o600)
	_, err := vinrelay(t, home, testMnemonic+"\n", "--keyring-passphrase-file", pass, "keys", "restore", "hub", "relayer")
	require.NoError(t, err)
	require.NoDirExists(t, filepath.Join(home, client.KeyringDir, "keyring-test"))
	require.DirExists(t, filepath.Join(home, client.KeyringDir, "keyring-file"))

	rec, err := openKeys(t, home, keyring.BackendFile, testPassphrase).Key(client.KeyName("hub", "relayer"))
	require.NoError(t, err)
	addr, err := rec.GetAddress()
	require.NoError(t, err)
	require.Equal(t, expectedAddress(t), addr)

	_, err = openKeys(t, home, keyring.BackendFile, "not the passphrase").Key(client.KeyName("hub", "relayer"))
	require.ErrorIs(t, err, client.ErrWrongPassphrase)

	// The passphrase may also come from stdin, after the mnemonic (twice
	// for a new keyring).
	other := t.TempDir()
	_, err = vinrelay(t, other, testMnemonic+"\n"+testPassphrase+"\n"+testPassphrase+"\n", "keys", "restore", "dealer-a", "relayer")
	require.NoError(t, err)
	_, err = openKeys(t, other, keyring.BackendFile, testPassphrase).Key(client.KeyName("dealer-a", "relayer"))
	require.NoError(t, err)
}

// TestKeysRestoreRefusesMnemonicArgument: a mnemonic on the command line
// stays in the shell history and shows in the process list; it is refused
// and no key is written.
func TestKeysRestoreRefusesMnemonicArgument(t *testing.T) {
	home := t.TempDir()
	_, err := vinrelay(t, home, "", "--keyring-backend", "test", "keys", "restore", "hub", "relayer", testMnemonic)
	require.ErrorContains(t, err, "never from the command line")
	_, err = vinrelay(t, home, "", append([]string{"--keyring-backend", "test", "keys", "restore", "hub", "relayer"}, strings.Fields(testMnemonic)...)...)
	require.ErrorContains(t, err, "never from the command line")
	_, err = vinrelay(t, home, "", "--keyring-backend", "test", "keys", "restore", "hub", "relayer", "--mnemonic-file", "m.txt")
	require.ErrorContains(t, err, "put flags before them")
	_, err = openKeys(t, home, keyring.BackendTest, "").Key(client.KeyName("hub", "relayer"))
	require.ErrorContains(t, err, "not found")
}

// TestKeysRestoreReadsMnemonic: from stdin or from --mnemonic-file.
func TestKeysRestoreReadsMnemonic(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	out, err := vinrelay(t, home, testMnemonic+"\n", "--keyring-backend", "test", "keys", "restore", "hub", "relayer")
	require.NoError(t, err)
	require.Contains(t, out, expectedAddress(t).String())
	require.NotContains(t, out, "abandon", "the mnemonic is not echoed")

	file := secretFile(t, dir, "mnemonic", testMnemonic, 0o600)
	out, err = vinrelay(t, t.TempDir(), "", "--keyring-backend", "test", "keys", "restore", "--mnemonic-file", file, "dealer-a", "relayer")
	require.NoError(t, err)
	require.Contains(t, out, expectedAddress(t).String())

	_, err = vinrelay(t, home, "", "--keyring-backend", "test", "keys", "restore", "dealer-b", "relayer")
	require.ErrorContains(t, err, "no mnemonic")
	_, err = vinrelay(t, home, "not a mnemonic\n", "--keyring-backend", "test", "keys", "restore", "dealer-b", "relayer")
	require.ErrorContains(t, err, "Invalid mnemonic")
}

// TestSecretFilesMustBePrivate: a passphrase, mnemonic or key file other
// users can read is refused, saying how to fix it.
func TestSecretFilesMustBePrivate(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	for _, tc := range []struct {
		name string
		args func(file string) []string
		perm os.FileMode
	}{
		{"passphrase world-readable", func(f string) []string {
			return []string{"--keyring-passphrase-file", f, "keys", "add", "hub", "relayer"}
		}, 0o644},
		{"passphrase group-readable", func(f string) []string {
			return []string{"--keyring-passphrase-file", f, "keys", "add", "hub", "relayer"}
		}, 0o640},
		{"mnemonic", func(f string) []string {
			return []string{"--keyring-backend", "test", "keys", "restore", "--mnemonic-file", f, "hub", "relayer"}
		}, 0o604},
		{"stellar seed", func(f string) []string {
			return []string{"--keyring-backend", "test", "swap", "import-key", "--file", f, "stellar", "seller"}
		}, 0o644},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := secretFile(t, dir, strings.ReplaceAll(tc.name, " ", "-"), testPassphrase, tc.perm)
			_, err := vinrelay(t, home, "", tc.args(file)...)
			require.ErrorContains(t, err, "chmod 600 "+file)
		})
	}
	require.NoError(t, filepath.WalkDir(home, func(path string, d os.DirEntry, err error) error {
		require.True(t, d.IsDir(), "nothing is written, found %s", path)
		return err
	}))
}

// TestSwapSecretsEncryptedAtRest is the attack on the swap rails' keys:
// the Stellar seed and the Bitcoin WIF were plain files. They are imported
// from stdin into the encrypted keyring, no file holds them in clear, and
// the config names them.
func TestSwapSecretsEncryptedAtRest(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	pass := secretFile(t, dir, "passphrase", testPassphrase, 0o600)
	stellarKey, err := keypair.Random()
	require.NoError(t, err)
	btcKey, err := btcec.NewPrivateKey()
	require.NoError(t, err)
	wif, err := btcutil.NewWIF(btcKey, &chaincfg.SimNetParams, true)
	require.NoError(t, err)

	out, err := vinrelay(t, home, stellarKey.Seed()+"\n", "--keyring-passphrase-file", pass, "swap", "import-key", "stellar", "seller")
	require.NoError(t, err)
	require.Contains(t, out, stellarKey.Address())
	out, err = vinrelay(t, home, wif.String()+"\n", "--keyring-passphrase-file", pass, "swap", "import-key", "bitcoin", "seller")
	require.NoError(t, err)
	require.NotContains(t, out, wif.String())
	_, err = vinrelay(t, home, stellarKey.Seed()+"\n", "--keyring-passphrase-file", pass, "swap", "import-key", "stellar", "seller")
	require.ErrorContains(t, err, "already exists")
	_, err = vinrelay(t, home, stellarKey.Address()+"\n", "--keyring-passphrase-file", pass, "swap", "import-key", "stellar", "buyer")
	require.ErrorContains(t, err, "not a Stellar secret seed")

	require.NoError(t, filepath.WalkDir(home, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		bz, err := os.ReadFile(path)
		require.NoError(t, err)
		require.False(t, bytes.Contains(bz, []byte(stellarKey.Seed())), "%s holds the Stellar seed in clear", path)
		require.False(t, bytes.Contains(bz, []byte(wif.String())), "%s holds the WIF in clear", path)
		return nil
	}))

	cfg := DefaultConfig()
	sec := client.Duration{Duration: 10 * time.Second}
	cfg.Swap.Stellar = &swap.StellarRail{Horizon: "http://127.0.0.1:8000", Passphrase: "Test SDF Network ; September 2015", SeedKey: "seller", BaseFee: 100, Finality: sec}
	cfg.Swap.Bitcoin = &swap.BitcoinRail{NodeConfig: bitcoin.NodeConfig{RPC: "127.0.0.1:18556", Net: "simnet", NoTLS: true}, WIFKey: "seller",
		FeeRate: 10, Confirmations: 1, Finality: sec}
	require.NoError(t, cfg.Save(home))
	out, err = vinrelay(t, home, "", "--keyring-passphrase-file", pass, "swap", "accounts")
	require.NoError(t, err)
	require.Contains(t, out, "stellar\t"+stellarKey.Address())

	_, err = vinrelay(t, home, "", "--keyring-passphrase-file", secretFile(t, dir, "wrong", "not the passphrase", 0o600), "swap", "accounts")
	require.ErrorIs(t, err, client.ErrWrongPassphrase)
}
