package client

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// KeyringDir is where vinrelay keeps keys, inside its home.
const KeyringDir = "keys"

// OpenKeyring opens the SDK keyring of backend (test, file, os) in home/keys.
func OpenKeyring(home, backend string, cdc codec.Codec) (keyring.Keyring, error) {
	kr, err := keyring.New("vinrelay", backend, filepath.Join(home, KeyringDir), bufio.NewReader(os.Stdin), cdc)
	if err != nil {
		return nil, fmt.Errorf("keyring %q in %s: %w", backend, filepath.Join(home, KeyringDir), err)
	}
	return kr, nil
}

// KeyName is the keyring entry of a chain's key: keys are per chain so one
// keyring can hold a different account for each.
func KeyName(chainID, key string) string { return chainID + "/" + key }

// AddKey creates a new key (mnemonic returned) or restores one from mnemonic.
func AddKey(kr keyring.Keyring, name, mnemonic string) (addr sdk.AccAddress, phrase string, err error) {
	if _, err := kr.Key(name); err == nil {
		return nil, "", fmt.Errorf("key %q already exists", name)
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
