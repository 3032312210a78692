package vehicle_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	hostv2 "github.com/cosmos/ibc-go/v11/modules/core/24-host/v2"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/vinhub/vinhub/x/vehicle/testutil"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// BenchmarkRecordPacketGas measures the gas of moving a batch of records
// from a dealer chain to the hub and back, per batch size and IBC version:
// the dealer's MsgRecordEvents (local append + send), the hub's
// MsgRecvPacket (light-client proof + validation + append) and the dealer's
// MsgAcknowledgement (settling sync states). Wall time here is ibctesting's,
// not a real network's; the gas figures are what a chain charges.
func BenchmarkRecordPacketGas(b *testing.B) {
	for _, v2 := range []bool{true, false} {
		version := "v1"
		if v2 {
			version = "v2"
		}
		for _, size := range []int{1, 10, 50, 100, 200} {
			b.Run(fmt.Sprintf("ibc=%s/records=%d", version, size), func(b *testing.B) {
				l := newLink(b, v2)
				l.bind()
				params := types.Params{MaxRecordsPerBatch: 1000, MaxClockSkew: types.DefaultMaxClockSkew, PacketTimeout: types.DefaultPacketTimeout, MaxOdometerKmPerDay: types.DefaultMaxOdometerKmPerDay}
				l.govMsg(l.hub, &types.MsgUpdateParams{Params: params})
				l.govMsg(l.dealer, &types.MsgUpdateParams{Params: params})
				var sendGas, recvGas, ackGas int64
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					batch := make([]types.RecordInput, size)
					for j := range batch {
						batch[j] = mileage(testutil.VIN(j), uint64(1000*(i+1)), 0)
						batch[j].OccurredAt = startTime.AddDate(-1, 0, 0).Add(time.Duration(i) * time.Hour)
					}
					res, err := l.dealer.SendMsgs(&types.MsgRecordEvents{Reporter: l.dealer.SenderAccount.GetAddress().String(), DealerId: dealerID, Records: batch})
					require.NoError(b, err)
					sendGas += res.GasUsed
					recv, ack := l.relayMeasured(l.packetFrom(res))
					recvGas += recv
					ackGas += ack
				}
				n := float64(b.N)
				b.ReportMetric(float64(sendGas)/n, "dealer-send-gas/packet")
				b.ReportMetric(float64(recvGas)/n, "hub-recv-gas/packet")
				b.ReportMetric(float64(recvGas)/n/float64(size), "hub-recv-gas/record")
				b.ReportMetric(float64(ackGas)/n, "dealer-ack-gas/packet")
				require.Equal(b, uint64(b.N*size), l.hubRecordCount())
				require.Equal(b, &types.QueryPendingCountResponse{}, l.pendingCount())
			})
		}
	}
}

// relayMeasured relays like relay and returns the gas used by the hub's
// MsgRecvPacket tx and the dealer's MsgAcknowledgement tx.
func (l *link) relayMeasured(p sentPacket) (recvGas, ackGas int64) {
	l.t.Helper()
	if !l.v2 {
		require.NoError(l.t, l.path.EndpointB.UpdateClient())
		recv, err := l.path.EndpointB.RecvPacketWithResult(p.v1)
		require.NoError(l.t, err)
		ackBz, err := ibctesting.ParseAckFromEvents(recv.Events)
		require.NoError(l.t, err)
		require.NoError(l.t, l.path.EndpointA.UpdateClient())
		ack, err := l.path.EndpointA.AcknowledgePacketWithResult(p.v1, ackBz)
		require.NoError(l.t, err)
		return recv.GasUsed, ack.GasUsed
	}
	require.NoError(l.t, l.path.EndpointB.UpdateClient())
	proof, proofHeight := l.path.EndpointA.QueryProof(hostv2.PacketCommitmentKey(p.v2.SourceClient, p.v2.Sequence))
	recv, err := l.hub.SendMsgs(channeltypesv2.NewMsgRecvPacket(p.v2, proof, proofHeight, l.hub.SenderAccount.GetAddress().String()))
	require.NoError(l.t, err)
	ackBz, err := ibctesting.ParseAckV2FromEvents(recv.Events)
	require.NoError(l.t, err)
	var ack channeltypesv2.Acknowledgement
	require.NoError(l.t, proto.Unmarshal(ackBz, &ack))
	require.NoError(l.t, l.path.EndpointA.UpdateClient())
	proof, proofHeight = l.path.EndpointB.QueryProof(hostv2.PacketAcknowledgementKey(p.v2.DestinationClient, p.v2.Sequence))
	res, err := l.dealer.SendMsgs(channeltypesv2.NewMsgAcknowledgement(p.v2, ack, proof, proofHeight, l.dealer.SenderAccount.GetAddress().String()))
	require.NoError(l.t, err)
	return recv.GasUsed, res.GasUsed
}
