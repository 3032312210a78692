package keeper_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/types"
)

// benchVIN returns the i-th of a series of distinct North-American VINs with
// a correct check digit.
func benchVIN(tb testing.TB, i int) string {
	tb.Helper()
	raw := []byte(fmt.Sprintf("1HGCM82603A%06d", i%1_000_000))
	digit, err := types.CheckDigit(string(raw))
	require.NoError(tb, err)
	raw[8] = digit
	return string(raw)
}

func BenchmarkRecordBatch(b *testing.B) {
	for _, size := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			f := setup(b)
			vins := make([]string, size)
			for i := range vins {
				vins[i] = benchVIN(b, i)
			}
			batch := make([]types.RecordInput, size)
			b.ReportAllocs()
			b.ResetTimer()
			n := 0
			start := blockTime.AddDate(-1, 0, 0)
			for i := 0; i < b.N; i++ {
				// Each round reads every VIN's odometer 10 km further on, one second later.
				at := start.Add(time.Duration(i) * time.Second)
				for j := range batch {
					batch[j] = mileage(vins[j], uint64(i+1)*10, at)
				}
				// A fresh event manager per batch, as each transaction gets.
				ctx := f.ctx.WithEventManager(sdk.NewEventManager())
				res, err := f.k.RecordBatch(ctx, dealerA, reporterA, batch)
				if err != nil {
					b.Fatal(err)
				}
				if len(res[size-1].Flags) != 0 {
					b.Fatalf("unexpected flags %v", res[size-1].Flags)
				}
				n += size
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
