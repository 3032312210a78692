package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/audit"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

// latestOf is a chain's latest committed state, as a verified header gives it.
type latestOf struct{ c *chain }

func (l latestOf) Latest(context.Context) (audit.Verified, error) {
	h := l.c.cms.LastCommitID().Version
	return audit.Verified{Height: h, AppHash: l.c.appHashes[h]}, nil
}

// TestCheckOrigins: a hub record that came over IBC is compared with its
// original, proven on the dealer chain: identical is PROVEN; a hub copy
// that differs, or an original the dealer chain does not have, is
// CONTRADICTED; a chain the auditor cannot reach stays CLAIMED.
func TestCheckOrigins(t *testing.T) {
	testCases := []struct {
		name     string
		malleate func(hub *vehicletypes.Record)
		dealers  bool
		want     audit.Status
		reason   string
	}{
		{"identical", func(*vehicletypes.Record) {}, true, audit.Proven, ""},
		{"the hub's copy has another odometer", func(r *vehicletypes.Record) { r.Input.OdometerKm++ }, true, audit.Contradicted, "input"},
		{"the hub's copy names another reporter", func(r *vehicletypes.Record) { r.Origin.Reporter = seller.String() }, true, audit.Contradicted, "reporter"},
		{"the dealer chain has no such record", func(r *vehicletypes.Record) { r.Origin.DealerRecordId = 99 }, true, audit.Contradicted, "proven to have no such record"},
		{"the dealer chain is not configured", func(*vehicletypes.Record) {}, false, audit.Claimed, "not read"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			dealer := newChain(t)
			dealer.record(t, car, 12_000, start.Add(-24*time.Hour))
			dealer.commit()
			original, err := dealer.vehicle.Records.Get(dealer.ctx, 1)
			require.NoError(t, err)

			hub := newChain(t)
			copied := vehicletypes.Record{DealerId: original.DealerId, Input: original.Input,
				Origin: &vehicletypes.Origin{ChainId: "dealer-1", Route: vehicletypes.NewChannelRoute("channel-0"), Sequence: 1,
					DealerRecordId: original.Id, Reporter: original.Reporter}}
			tc.malleate(&copied)
			params, err := hub.vehicle.Params.Get(hub.ctx)
			require.NoError(t, err)
			vin, err := vehicletypes.ParseVIN(car)
			require.NoError(t, err)
			_, err = hub.vehicle.AppendRecord(hub.ctx, copied, vin, params)
			require.NoError(t, err)
			h := hub.commit()

			ev, err := audit.Fetch(context.Background(), hub, car, hub.state(h))
			require.NoError(t, err)
			f := audit.Verify(hub.appHashes[h], ev)
			dealers := map[string]audit.Dealer{}
			if tc.dealers {
				dealers["dealer-1"] = audit.Dealer{Headers: latestOf{dealer}, Prover: dealer}
			}
			require.NoError(t, audit.CheckOrigins(context.Background(), &f, dealers))
			var origin *audit.Fact
			for i, fact := range f.Facts {
				if fact.Subject == "record 1" && strings.HasPrefix(fact.Statement, "the original is record") {
					origin = &f.Facts[i]
				}
			}
			require.NotNil(t, origin, "%+v", f.Facts)
			require.Equal(t, tc.want, origin.Status, origin.Reason)
			require.Contains(t, origin.Reason, tc.reason)
		})
	}
}
