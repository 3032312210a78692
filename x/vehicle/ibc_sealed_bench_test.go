package vehicle_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/sealed"
	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/vehicle/testutil"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// BenchmarkSealedRecordGas compares the gas of one record over IBC v2
// without an envelope and with one sealed to 1, 3 and 10 regulators (each
// a registered key the hub checks): the dealer's MsgRecordEvents and the
// hub's MsgRecvPacket. Gas is deterministic; wall time here means nothing.
func BenchmarkSealedRecordGas(b *testing.B) {
	for _, n := range []int{0, 1, 3, 10} {
		b.Run(fmt.Sprintf("recipients=%d", n), func(b *testing.B) {
			l := newLink(b, true)
			l.bind()
			keys := l.benchRegulators(b, n)
			var sendGas, recvGas int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in := mileage(testutil.VIN(i), 1000, 0)
				in.OccurredAt = startTime.AddDate(-1, 0, 0).Add(time.Duration(i) * time.Hour)
				if n > 0 {
					env, err := sealed.Seal(types.SealedSubject(in.Vin, dealerID), []sealed.PlainField{
						{Name: "sale_price", Value: []byte("18500 EUR")}, {Name: "buyer_name", Value: []byte("Erika Mustermann")},
						{Name: "buyer_id", Value: []byte("L01X00T47")},
					}, keys)
					require.NoError(b, err)
					in.Sealed = env
				}
				res, err := l.dealer.SendMsgs(&types.MsgRecordEvents{Reporter: l.dealer.SenderAccount.GetAddress().String(), DealerId: dealerID, Records: []types.RecordInput{in}})
				require.NoError(b, err)
				sendGas += res.GasUsed
				recv, _ := l.relayMeasured(l.packetFrom(res))
				recvGas += recv
			}
			b.ReportMetric(float64(sendGas)/float64(b.N), "dealer-send-gas/record")
			b.ReportMetric(float64(recvGas)/float64(b.N), "hub-recv-gas/record")
			require.Equal(b, uint64(b.N), l.hubRecordCount())
		})
	}
}

// benchRegulators registers n regulators with keys on the hub.
func (l *link) benchRegulators(b *testing.B, n int) []sealed.RecipientKey {
	mk, ctx := l.hubApp.MembershipKeeper, l.hub.GetContext()
	keys := make([]sealed.RecipientKey, n)
	for i := range keys {
		addr := sdk.AccAddress(bytes.Repeat([]byte{byte(0x80 + i)}, 20))
		priv, err := sealed.GenerateKey()
		require.NoError(b, err)
		require.NoError(b, mk.GrantRole(ctx, addr, membershiptypes.ROLE_REGULATOR, "bench"))
		v, err := mk.SetEncryptionKey(ctx, addr, priv.PublicKey().Bytes())
		require.NoError(b, err)
		keys[i] = sealed.RecipientKey{KeyID: sealed.KeyID{Address: addr.String(), Version: v}, PublicKey: priv.PublicKey().Bytes()}
	}
	l.hub.NextBlock()
	return keys
}
