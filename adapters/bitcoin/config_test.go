package bitcoin

import (
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcutil"
)

// TestDefaults: the median-time lag is two hours on public chains and a
// minute on test chains unless set, finality follows the confirmations,
// and LateClaim adds them to the relayer delay.
func TestDefaults(t *testing.T) {
	const relayer = 5 * time.Minute
	cases := []struct {
		name          string
		cfg           Config
		lag, finality time.Duration
	}{
		{"mainnet", Config{Net: "mainnet"}, 2 * time.Hour, 10 * time.Minute},
		{"testnet3", Config{Net: "testnet3", Confirmations: 3}, 2 * time.Hour, 30 * time.Minute},
		{"simnet", Config{Net: "simnet"}, time.Minute, 10 * time.Minute},
		{"regtest", Config{Net: "regtest", Finality: time.Second}, time.Minute, time.Second},
		{"lag given", Config{Net: "mainnet", MedianTimeLag: 90 * time.Minute, Finality: time.Hour}, 90 * time.Minute, time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			params, err := NetParams(tc.cfg.Net)
			if err != nil {
				t.Fatal(err)
			}
			wif, err := btcutil.NewWIF(newKey(t), params, true)
			if err != nil {
				t.Fatal(err)
			}
			tc.cfg.Key, tc.cfg.RPCHost, tc.cfg.NoTLS = wif.String(), "127.0.0.1:1", true
			r, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.mtpLag != tc.lag || r.Finality() != tc.finality {
				t.Fatalf("median-time lag %s, finality %s; want %s, %s", r.mtpLag, r.Finality(), tc.lag, tc.finality)
			}
			if got, want := r.LateClaim(relayer), relayer+tc.lag+tc.finality; got != want {
				t.Fatalf("LateClaim(%s) = %s, want %s", relayer, got, want)
			}
		})
	}
}
