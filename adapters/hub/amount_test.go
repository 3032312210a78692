package hub

import (
	"errors"
	"testing"

	"github.com/vinhub/vinhub/adapters/htlc"
)

func TestAmounts(t *testing.T) {
	cases := []struct {
		in, norm string
		assetID  uint64
		parseErr bool
	}{
		{"asset:7", "asset:7", 7, false},
		{"asset:007", "asset:7", 0, true},
		{"100stake", "100stake", 0, false},
		{"100stake,5uatom", "100stake,5uatom", 0, false},
		{"5uatom,100stake", "100stake,5uatom", 0, true},
		{"asset:0", "", 0, true},
		{"asset:x", "", 0, true},
		{"stake", "", 0, true},
		{"1.5stake", "", 0, true},
		{"0stake", "", 0, true},
		{"1.0stake", "1stake", 0, true},
		{"", "", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			norm, err := NormalizeAmount(tc.in)
			if tc.norm == "" {
				if !errors.Is(err, htlc.ErrInvalidTerms) {
					t.Fatalf("NormalizeAmount(%q) = %q, %v; want ErrInvalidTerms", tc.in, norm, err)
				}
			} else if err != nil || norm != tc.norm {
				t.Fatalf("NormalizeAmount(%q) = %q, %v; want %q", tc.in, norm, err, tc.norm)
			}
			coins, id, err := ParseAmount(tc.in)
			if tc.parseErr {
				if !errors.Is(err, htlc.ErrInvalidTerms) {
					t.Fatalf("ParseAmount(%q) accepted: %v %d", tc.in, coins, id)
				}
				return
			}
			if err != nil || id != tc.assetID || (id == 0 && coins.String() != tc.in) {
				t.Fatalf("ParseAmount(%q) = %v, %d, %v", tc.in, coins, id, err)
			}
		})
	}
}

func FuzzNormalizeAmount(f *testing.F) {
	for _, s := range []string{"asset:7", "100stake", "5uatom,100stake", "asset:", "1.5stake"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm, err := NormalizeAmount(s)
		if err != nil {
			return
		}
		again, err := NormalizeAmount(norm)
		if err != nil || again != norm {
			t.Fatalf("normalizing %q twice: %q then %q, %v", s, norm, again, err)
		}
		if _, _, err := ParseAmount(norm); err != nil {
			t.Fatalf("normalized %q does not parse: %v", norm, err)
		}
	})
}
