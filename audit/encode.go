package audit

import (
	"encoding/json"
	"fmt"
)

// EncodeEvidence is the evidence as JSON (proofs in their protobuf JSON
// form), so an audit can be checked again offline.
func EncodeEvidence(ev Evidence) ([]byte, error) {
	return json.Marshal(ev)
}

// DecodeEvidence reads what EncodeEvidence wrote.
func DecodeEvidence(bz []byte) (Evidence, error) {
	var ev Evidence
	if err := json.Unmarshal(bz, &ev); err != nil {
		return Evidence{}, fmt.Errorf("decode evidence: %w", err)
	}
	return ev, nil
}

// readJSON is a Read with its proof in protobuf bytes: ics23's proof types
// do not round-trip through encoding/json.
type readJSON struct {
	Store string `json:"store"`
	Key   []byte `json:"key"`
	// Value is null when the key is claimed absent.
	Value []byte `json:"value"`
	Proof []byte `json:"proof"`
}

// MarshalJSON implements json.Marshaler.
func (r Read) MarshalJSON() ([]byte, error) {
	proof, err := r.Proof.Marshal()
	if err != nil {
		return nil, err
	}
	return json.Marshal(readJSON{Store: r.Store, Key: r.Key, Value: r.Value, Proof: proof})
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *Read) UnmarshalJSON(bz []byte) error {
	var in readJSON
	if err := json.Unmarshal(bz, &in); err != nil {
		return err
	}
	*r = Read{Store: in.Store, Key: in.Key, Value: in.Value}
	return r.Proof.Unmarshal(in.Proof)
}
