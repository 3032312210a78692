package sealed

import (
	"crypto/ecdh"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
)

// KeyFile is an encryption key pair on disk (JSON, mode 0600): the private
// key never leaves the holder's machine; the public key is what
// `tx membership register-encryption-key` registers.
type KeyFile struct {
	PublicKey  string `json:"public_key"`
	PrivateKey string `json:"private_key"`
}

// WriteKeyFile generates a key pair into path, refusing to overwrite a file.
func WriteKeyFile(path string) (*ecdh.PrivateKey, error) {
	priv, err := GenerateKey()
	if err != nil {
		return nil, err
	}
	bz, err := json.MarshalIndent(KeyFile{PublicKey: hex.EncodeToString(priv.PublicKey().Bytes()),
		PrivateKey: hex.EncodeToString(priv.Bytes())}, "", "  ")
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	_, err = f.Write(append(bz, '\n'))
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		// A partial key file would later read as a broken key.
		os.Remove(path)
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return priv, nil
}

// ReadKeyFile loads the private key of a key file. Like ssh, it refuses a
// file that other users may read or write (the regulator's key opens
// everything sealed to it), and one whose public key is not the private
// key's (a corrupted or mixed-up file).
func ReadKeyFile(path string) (*ecdh.PrivateKey, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("key file %s: mode %04o lets other users read it; chmod 600 it", path, perm)
	}
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	var kf KeyFile
	if err := json.Unmarshal(bz, &kf); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	raw, err := hex.DecodeString(kf.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("key file %s: private_key is not hex: %w", path, err)
	}
	priv, err := ecdh.X25519().NewPrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if derived := hex.EncodeToString(priv.PublicKey().Bytes()); kf.PublicKey != derived {
		return nil, fmt.Errorf("key file %s: public_key %q is not the private key's (%s)", path, kf.PublicKey, derived)
	}
	return priv, nil
}
