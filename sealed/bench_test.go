package sealed_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/sealed"
)

// BenchmarkSealOpen measures sealing a sale's fields (three fields, ~40
// bytes) for 1, 3 and 10 recipients, and one recipient opening it (open
// cost does not depend on the recipient count: the key id is given).
func BenchmarkSealOpen(b *testing.B) {
	for _, n := range []int{1, 3, 10} {
		parties := make([]party, n)
		keys := make([]sealed.RecipientKey, n)
		for i := range parties {
			parties[i] = newParty(b, fmt.Sprintf("p%d", i))
			keys[i] = parties[i].key()
		}
		b.Run(fmt.Sprintf("seal/recipients=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sealed.Seal(subject, saleFields, keys); err != nil {
					b.Fatal(err)
				}
			}
		})
		env, err := sealed.Seal(subject, saleFields, keys)
		require.NoError(b, err)
		bz, err := env.Marshal()
		require.NoError(b, err)
		b.Run(fmt.Sprintf("open/recipients=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			last := parties[n-1]
			for b.Loop() {
				if _, err := sealed.Open(env, last.id, last.priv); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(bz)), "envelope-bytes")
		})
	}
}
