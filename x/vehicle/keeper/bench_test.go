package keeper_test

import (
	"fmt"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/vehicle/testutil"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

func BenchmarkRecordBatch(b *testing.B) {
	for _, size := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			f := setup(b)
			vins := make([]string, size)
			for i := range vins {
				vins[i] = testutil.VIN(i)
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
