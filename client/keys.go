package client

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	dkeyring "github.com/99designs/keyring"
	"golang.org/x/crypto/bcrypt"

	"github.com/cosmos/cosmos-sdk/client/input"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// KeyringDir is where vinrelay keeps keys, inside its home.
const KeyringDir = "keys"

// keyringService is the keyring's application name (the SDK's appName).
const keyringService = "vinrelay"

// ErrWrongPassphrase means the keyring passphrase does not match the one
// the keyring was created with.
var ErrWrongPassphrase = errors.New("wrong keyring passphrase")

// ErrSecretNotFound means the keyring holds no secret of that name.
var ErrSecretNotFound = errors.New("no such secret in vinrelay's keyring")

// ErrSecretFileMode means a secret file is open to other users.
var ErrSecretFileMode = errors.New("secret file is accessible to other users")

// Passphrase supplies the passphrase of an encrypted keyring. choose is set
// when the keyring has none yet and the passphrase is being chosen (a
// prompt asks for it twice).
type Passphrase func(choose bool) (string, error)

// Keyring is vinrelay's keyring: the SDK keyring of chain keys and, in the
// same store under the same passphrase, named secrets of other rails (a
// Stellar seed, a Bitcoin WIF), so none of them sits in a plain file.
type Keyring struct {
	keyring.Keyring
	db      dkeyring.Keyring
	backend string
}

// OpenKeyring opens the keyring of backend in home/keys: file (encrypted
// with a passphrase, asked for once, when first needed), os (the OS secret
// store) or test (unencrypted, for local networks and tests). Its layout
// is the SDK's, so the SDK's own key commands can read it too.
//
// vinrelay builds the store itself rather than through keyring.New: the
// SDK's prompt reads the passphrase from the terminal whenever stdin is
// one, which would ignore a passphrase file, and its secrets must share
// the one store and the one passphrase.
func OpenKeyring(home, backend string, pass Passphrase, cdc codec.Codec) (*Keyring, error) {
	dir := filepath.Join(home, KeyringDir)
	var cfg dkeyring.Config
	switch backend {
	case keyring.BackendTest:
		cfg = dkeyring.Config{AllowedBackends: []dkeyring.BackendType{dkeyring.FileBackend}, ServiceName: keyringService,
			FileDir: filepath.Join(dir, "keyring-test"), FilePasswordFunc: func(string) (string, error) { return "test", nil }}
	case keyring.BackendFile:
		fileDir := filepath.Join(dir, "keyring-file")
		cfg = dkeyring.Config{AllowedBackends: []dkeyring.BackendType{dkeyring.FileBackend}, ServiceName: keyringService,
			FileDir: fileDir, FilePasswordFunc: checkedPassphrase(fileDir, pass)}
	case keyring.BackendOS:
		cfg = dkeyring.Config{ServiceName: keyringService, FileDir: dir, KeychainTrustApplication: true,
			FilePasswordFunc: checkedPassphrase(dir, pass)}
	default:
		return nil, fmt.Errorf("keyring backend %q: use file, os or test", backend)
	}
	db, err := dkeyring.Open(cfg)
	if err != nil {
		return nil, fmt.Errorf("keyring %q in %s: %w", backend, dir, err)
	}
	return &Keyring{Keyring: keyring.NewInMemoryWithKeyring(db, cdc), db: db, backend: backend}, nil
}

// Backend is the backend the keyring was opened with.
func (k *Keyring) Backend() string { return k.backend }

// checkedPassphrase asks pass for the passphrase once and checks it against
// the bcrypt hash in dir/keyhash (the SDK's scheme), writing the hash when
// the keyring is new. A wrong passphrase fails at once: from a file it
// would only fail again.
func checkedPassphrase(dir string, pass Passphrase) dkeyring.PromptFunc {
	return func(string) (string, error) {
		if pass == nil {
			return "", errors.New("the keyring needs a passphrase and none can be asked for")
		}
		hashFile := filepath.Join(dir, "keyhash")
		hash, err := os.ReadFile(hashFile)
		if err == nil {
			p, err := pass(false)
			if err != nil {
				return "", err
			}
			if bcrypt.CompareHashAndPassword(hash, []byte(p)) != nil {
				return "", fmt.Errorf("%w for %s", ErrWrongPassphrase, dir)
			}
			return p, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		p, err := pass(true)
		if err != nil {
			return "", err
		}
		if len(p) < input.MinPassLength {
			return "", fmt.Errorf("the keyring passphrase must be at least %d characters", input.MinPassLength)
		}
		hash, err = bcrypt.GenerateFromPassword([]byte(p), bcrypt.DefaultCost)
		if err != nil {
			return "", err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", err
		}
		return p, os.WriteFile(hashFile, hash, 0o600)
	}
}

// secretName is what a secret may be called: no dots, so its item can
// never end in the SDK's .info or .address and pass for a key.
var secretName = regexp.MustCompile(`^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$`)

// secretItem is the store item of a named secret.
func secretItem(name string) (string, error) {
	if len(name) > 100 || !secretName.MatchString(name) {
		return "", fmt.Errorf("secret name %q: use letters, digits, - and _ (and / between parts)", name)
	}
	return "secret/" + name, nil
}

// SetSecret stores a secret under name, encrypted like the keys; it never
// overwrites one.
func (k *Keyring) SetSecret(name, secret string) error {
	item, err := secretItem(name)
	if err != nil {
		return err
	}
	if _, err := k.db.Get(item); err == nil {
		return fmt.Errorf("secret %q already exists in vinrelay's keyring", name)
	} else if !errors.Is(err, dkeyring.ErrKeyNotFound) {
		return fmt.Errorf("secret %q: %w", name, err)
	}
	return k.db.Set(dkeyring.Item{Key: item, Data: []byte(secret), Label: name, Description: "vinrelay secret"})
}

// Secret returns the secret stored under name.
func (k *Keyring) Secret(name string) (string, error) {
	item, err := secretItem(name)
	if err != nil {
		return "", err
	}
	it, err := k.db.Get(item)
	if errors.Is(err, dkeyring.ErrKeyNotFound) {
		return "", fmt.Errorf("%w: %q", ErrSecretNotFound, name)
	}
	if err != nil {
		return "", fmt.Errorf("secret %q: %w", name, err)
	}
	return string(it.Data), nil
}

// ReadSecretFile reads a file holding a secret (a passphrase, a mnemonic, a
// key) without surrounding whitespace. A file other users may read or write
// is refused: what it holds must be taken as leaked.
func ReadSecretFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("%w: %s has mode %#o: chmod 600 %s", ErrSecretFileMode, path, perm, path)
	}
	bz, err := io.ReadAll(f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return strings.TrimSpace(string(bz)), nil
}

// KeyName is the keyring entry of a chain's key: keys are per chain so one
// keyring can hold a different account for each.
func KeyName(chainID, key string) string { return chainID + "/" + key }

// AddKey creates a new key (mnemonic returned) or restores one from mnemonic.
func AddKey(kr keyring.Keyring, name, mnemonic string) (addr sdk.AccAddress, phrase string, err error) {
	switch _, err := kr.Key(name); {
	case err == nil:
		return nil, "", fmt.Errorf("key %q already exists", name)
	case !errors.Is(err, sdkerrors.ErrKeyNotFound):
		return nil, "", fmt.Errorf("key %q: %w", name, err)
	}
	var rec *keyring.Record
	if mnemonic == "" {
		rec, phrase, err = kr.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	} else {
		rec, err = kr.NewAccount(name, mnemonic, keyring.DefaultBIP39Passphrase, sdk.FullFundraiserPath, hd.Secp256k1)
		phrase = mnemonic
	}
	if err != nil {
		return nil, "", fmt.Errorf("key %q: %w", name, err)
	}
	addr, err = rec.GetAddress()
	return addr, phrase, err
}
