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
	defer f.Close()
	if _, err := f.Write(append(bz, '\n')); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return priv, f.Close()
}

// ReadKeyFile loads the private key of a key file.
func ReadKeyFile(path string) (*ecdh.PrivateKey, error) {
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
	return priv, nil
}
