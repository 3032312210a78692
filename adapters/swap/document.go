package swap

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
)

// Version is the swap document format written by this package.
const Version = 1

// Duration is a time.Duration written as "75s" in JSON.
type Duration time.Duration

// MarshalText writes Go duration syntax.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads Go duration syntax.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: %w", b, err)
	}
	*d = Duration(v)
	return nil
}

// Leg is one side of the swap: the rail, the agreed terms (the hash is
// filled in by Initiate), the rail finality the plan was checked with, and
// the contract once locked.
type Leg struct {
	Rail      string         `json:"rail"`
	Terms     htlc.Terms     `json:"terms"`
	Finality  Duration       `json:"finality"`
	LateClaim Duration       `json:"late_claim"`
	Contract  *htlc.Contract `json:"contract,omitempty"`
}

// Swap is the document both parties hold.
type Swap struct {
	Version      int           `json:"version"`
	Hash         hashlock.Hash `json:"hash"`
	RelayerDelay Duration      `json:"relayer_delay"`
	Initiator    Leg           `json:"initiator"`
	Responder    Leg           `json:"responder"`
}

// Plan is the timelock plan of the two legs.
func (s Swap) Plan() htlc.Plan {
	return htlc.Plan{
		Initiator:    s.Initiator.plan(),
		Responder:    s.Responder.plan(),
		RelayerDelay: time.Duration(s.RelayerDelay),
	}
}

func (l Leg) plan() htlc.Leg {
	return htlc.Leg{Rail: l.Rail, Expiry: l.Terms.Expiry, Finality: time.Duration(l.Finality), LateClaim: time.Duration(l.LateClaim)}
}

// Load reads a swap document.
func Load(path string) (Swap, error) {
	var s Swap
	b, err := os.ReadFile(path)
	if err != nil {
		return s, fmt.Errorf("read swap document: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("swap document %s: %w", path, err)
	}
	if s.Version != Version {
		return s, fmt.Errorf("swap document %s has version %d; this vinrelay reads version %d", path, s.Version, Version)
	}
	return s, nil
}

// Save writes a swap document (it holds no secret: it is meant to be sent
// to the counterparty).
func (s Swap) Save(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(b, '\n'), 0o644)
}

// SaveSecret writes the initiator's secret readable by its owner only.
func SaveSecret(path string, secret hashlock.Secret) error {
	return writeAtomic(path, []byte(secret.String()+"\n"), 0o600)
}

// LoadSecret reads a secret written by SaveSecret.
func LoadSecret(path string) (hashlock.Secret, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return hashlock.Secret{}, fmt.Errorf("read secret: %w", err)
	}
	return hashlock.ParseSecret(string(b))
}

// writeAtomic replaces path in one rename, so a crash never leaves half a
// document or secret behind.
func writeAtomic(path string, b []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	// A leftover temp file could carry wider permissions than mode: start
	// from a new file, created exclusively.
	if err := os.Remove(tmp); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
