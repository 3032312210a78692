package testnet

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestMedian: an even count's median is the mean of its middle two, not
// the upper one (with -runs 2 the ingestion tables printed the better run
// as the median).
func TestMedian(t *testing.T) {
	require.Equal(t, 0.0, Median(nil))
	require.Equal(t, 3.0, Median([]float64{3}))
	require.Equal(t, 3.5, Median([]float64{2, 5}))
	require.Equal(t, 4.0, Median([]float64{1, 4, 9}))
	require.Equal(t, 4.5, Median([]float64{1, 4, 5, 9}))
}
