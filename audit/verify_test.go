package audit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/vinhub/vinhub/audit"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

func statuses(f audit.Findings) map[audit.Status]int {
	n := map[audit.Status]int{}
	for _, fact := range f.Facts {
		n[fact.Status]++
	}
	return n
}

// TestVerifyProvesACarsLife: every fact about the car is proven against the
// app hash: the summary, the complete history (ownership records included),
// every lien and the active one, the asset and both loans.
func TestVerifyProvesACarsLife(t *testing.T) {
	c, h, ev := audited(t)
	f := audit.Verify(c.appHashes[h], ev)
	for _, fact := range f.Facts {
		require.Equal(t, audit.Proven, fact.Status, "%s: %s (%s)", fact.Subject, fact.Statement, fact.Reason)
	}
	require.True(t, f.Known)
	require.Len(t, f.Records, 5)
	require.EqualValues(t, []uint64{10_000, 20_000, 15_000, 0, 0}, []uint64{f.Records[0].Input.OdometerKm,
		f.Records[1].Input.OdometerKm, f.Records[2].Input.OdometerKm, f.Records[3].Input.OdometerKm, f.Records[4].Input.OdometerKm})
	require.NotNil(t, f.Records[4].TitleOrigin)
	require.Len(t, f.Liens, 2)
	require.EqualValues(t, 2, f.ActiveLien)
	require.Len(t, f.Assets, 1)
	require.Len(t, f.Loans, 2)
	require.False(t, f.Contradicted())
}

// TestVerifyUnknownVIN: a VIN the hub never saw is proven absent: no
// summary, an empty history, no lien, no asset.
func TestVerifyUnknownVIN(t *testing.T) {
	c := newChain(t)
	c.life(t)
	h := c.commit()
	ev, err := audit.Fetch(context.Background(), c, "JH4KA7561PC008269", c.state(h))
	require.NoError(t, err)
	f := audit.Verify(c.appHashes[h], ev)
	require.False(t, f.Known)
	require.Equal(t, map[audit.Status]int{audit.Proven: 5}, statuses(f), "%+v", f.Facts)
	require.Equal(t, "no active lien on the VIN", factOf(t, f, "active lien").Statement)
}

// TestVerifyLienWithoutRecords: a bound dealer's lien request for a VIN
// the hub has no record of grants a lien (the hub needs no history for
// it); the audit proves the lien active, not just "no record".
func TestVerifyLienWithoutRecords(t *testing.T) {
	c := newChain(t)
	route := vehicletypes.NewClientRoute("07-tendermint-3")
	require.NoError(t, c.vehicle.Bindings.Set(c.ctx, collections.Join(route.Key(), "acme"),
		vehicletypes.DealerBinding{DealerId: "acme", Route: route, ChainId: "dealer-a", BoundHeight: 1}))
	data := vehicletypes.NewLienRequestPacketData(vehicletypes.LienRequestPacket{DealerId: "acme", Vin: car, Lender: lender.String(), Reference: "finance-7"})
	ack := c.vehicle.OnRecvPacket(c.ctx, route, 1, must(data.Marshal()))
	require.NotNil(t, ack.GetLienRequest(), "%+v", ack)
	require.NotZero(t, ack.GetLienRequest().LienId, "%+v", ack)
	lienID := ack.GetLienRequest().LienId
	h := c.commit()

	ev, err := audit.Fetch(context.Background(), c, car, c.state(h))
	require.NoError(t, err)
	f := audit.Verify(c.appHashes[h], ev)
	require.False(t, f.Contradicted(), "%+v", f.Facts)
	require.False(t, f.Known)
	require.Contains(t, factOf(t, f, "summary").Statement, "no vehicle records")
	require.Equal(t, "the history lists exactly 0 records", factOf(t, f, "history").Statement)
	require.Equal(t, fmt.Sprintf("lien %d is active on the VIN", lienID), factOf(t, f, "active lien").Statement)
	require.Equal(t, audit.Proven, factOf(t, f, "active lien").Status)
	require.Len(t, f.Liens, 1)
	require.Equal(t, "the VIN has exactly 0 asset(s) on the hub", factOf(t, f, "assets").Statement)

	t.Run("a server withholding the lien walk and the active lien is caught", func(t *testing.T) {
		lied := clone(t, ev)
		lied.Liens.Steps, lied.LienReads, lied.ActiveLien = nil, nil, audit.Read{}
		f := audit.Verify(c.appHashes[h], lied)
		require.Equal(t, audit.Contradicted, factOf(t, f, "liens").Status)
		require.Equal(t, audit.Contradicted, factOf(t, f, "active lien").Status)
	})
}
