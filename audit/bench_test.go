package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vinhub/vinhub/audit"
)

// BenchmarkVerify measures verifying a VIN's history of n records from
// proofs already fetched (the DESIGN target: 1,000 records in < 1 s of CPU).
// Run on a quiet machine:
//
//	go test ./audit -run '^$' -bench BenchmarkVerify -benchtime 5x
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{10, 100, 1_000, 10_000} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			c := newChain(b)
			for i := range n {
				c.record(b, car, uint64(1_000+i), start.Add(time.Duration(i-n)*time.Hour))
			}
			h := c.commit()
			ev, err := audit.Fetch(context.Background(), c, car, c.state(h))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if f := audit.Verify(c.appHashes[h], ev); f.Contradicted() || len(f.Records) != n {
					b.Fatalf("%d records proven of %d", len(f.Records), n)
				}
			}
		})
	}
}
