package hashlock

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestHashRule(t *testing.T) {
	s, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	h := s.Hash()
	cases := []struct {
		name     string
		preimage []byte
		want     error
	}{
		{"right secret", s[:], nil},
		{"31 bytes", s[:31], ErrSecretLength},
		{"33 bytes", append(append([]byte{}, s[:]...), 0), ErrSecretLength},
		{"empty", nil, ErrSecretLength},
		{"wrong secret", bytes.Repeat([]byte{7}, 32), ErrWrongSecret},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Verify(h, tc.preimage)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify: %v, want %v", err, tc.want)
			}
			if tc.want == nil && got != s {
				t.Fatalf("Verify returned %s, want %s", got, s)
			}
		})
	}
}

func TestParse(t *testing.T) {
	s, _ := NewSecret()
	back, err := ParseSecret(s.String())
	if err != nil || back != s {
		t.Fatalf("ParseSecret round trip: %v %s", err, back)
	}
	if _, err := ParseSecret(s.String()[:62]); !errors.Is(err, ErrSecretLength) {
		t.Fatalf("31-byte hex secret: %v", err)
	}
	if _, err := ParseSecret("zz"); err == nil {
		t.Fatal("non-hex secret accepted")
	}
	if _, err := ParseHash(s.String() + "00"); !errors.Is(err, ErrHashLength) {
		t.Fatalf("33-byte hash: %v", err)
	}
	var h Hash
	if err := h.UnmarshalText([]byte(s.Hash().String())); err != nil || h != s.Hash() {
		t.Fatalf("hash text round trip: %v", err)
	}
}

func FuzzParseSecret(f *testing.F) {
	f.Add("00")
	f.Add(strings.Repeat("ab", 32))
	f.Add(strings.Repeat("ab", 33))
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSecret(in)
		if err != nil {
			return
		}
		if _, err := Verify(s.Hash(), s[:]); err != nil {
			t.Fatalf("parsed secret does not verify: %v", err)
		}
	})
}
