package keeper_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/notary/types"
)

// The gas benchmarks meter only what the keeper reads and writes (the
// SDK's KV gas schedule); the ante handler's per-tx charges (the tx
// signature, the tx size, the signer's account) come on top of these
// figures and are the same for every MsgAttest of one size.

// BenchmarkAttestGas is the store gas of the k-th signature of a ledger
// record's attestation, with sets of 4 (threshold 3) and 19 (threshold 13)
// members: the first one (a new attestation), the second, the last one
// below the threshold, and the finalizing one (which also appends the
// record to the VIN's history). Each signature is stored under its own key,
// so from the second on every signature below the threshold costs the same.
func BenchmarkAttestGas(b *testing.B) {
	for _, size := range []int{4, 19} {
		threshold := 2*size/3 + 1
		for _, k := range signaturePositions(threshold) {
			name := fmt.Sprintf("members=%d/sig=%d", size, k)
			if k == threshold {
				name += "-final"
			}
			b.Run(name, func(b *testing.B) { benchAttest(b, size, k) })
		}
	}
}

// signaturePositions is 1, 2, threshold-1 and threshold without repeats.
func signaturePositions(threshold int) []int {
	var out []int
	for _, k := range []int{1, 2, threshold - 1, threshold} {
		if k >= 1 && (len(out) == 0 || k > out[len(out)-1]) {
			out = append(out, k)
		}
	}
	return out
}

// benchAttest measures the k-th signature of a fresh attestation per
// iteration; signing and the k-1 signatures before it are not timed.
func benchAttest(b *testing.B, size, k int) {
	f := setupWith(b, size, size)
	set, err := f.k.GetSet(f.ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	if int(set.Threshold) != 2*size/3+1 {
		b.Fatalf("threshold %d for %d members", set.Threshold, size)
	}
	want := types.ATTESTATION_STATUS_PENDING
	if k >= int(set.Threshold) {
		want = types.ATTESTATION_STATUS_EXECUTED
	}
	var gas, msgBytes uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		msgs := f.signedBy(b, benchRecord(i), set.Version, k)
		for _, m := range msgs[:k-1] {
			if _, err := f.msgs.Attest(f.ctx.WithEventManager(sdk.NewEventManager()), m); err != nil {
				b.Fatal(err)
			}
		}
		last := msgs[k-1]
		ctx := f.ctx.WithGasMeter(storetypes.NewInfiniteGasMeter()).WithEventManager(sdk.NewEventManager())
		b.StartTimer()
		res, err := f.msgs.Attest(ctx, last)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if res.Status != want || int(res.Signatures) != k {
			b.Fatalf("signature %d: %s with %d signatures, want %s", k, res.Status, res.Signatures, want)
		}
		if want == types.ATTESTATION_STATUS_EXECUTED {
			att, err := f.k.GetAttestation(f.ctx, res.Id)
			if err != nil || strings.Contains(att.Result, "flagged") {
				b.Fatalf("record not appended cleanly: %q %v", att.Result, err)
			}
		}
		gas += ctx.GasMeter().GasConsumed()
		msgBytes += uint64(last.Size())
		b.StartTimer()
	}
	b.ReportMetric(float64(gas)/float64(b.N), "gas/op")
	b.ReportMetric(float64(msgBytes)/float64(b.N), "msg-bytes")
}

// signedBy is MsgAttest of obs by members 0 to k-1 of set version.
func (f *fixture) signedBy(b *testing.B, obs types.Observation, version uint64, k int) []*types.MsgAttest {
	b.Helper()
	digest, err := types.Digest(obs, version)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]*types.MsgAttest, k)
	for j := range out {
		sig, err := types.Sign(f.notaries[j].key, digest)
		if err != nil {
			b.Fatal(err)
		}
		out[j] = &types.MsgAttest{Notary: f.notaries[j].addr.String(), Observation: obs, SetVersion: version, Signature: sig}
	}
	return out
}

// benchRecord is ledger row i: the car's odometer 10 km further on, one
// second later, so every final attestation appends to one growing history
// with no flags. The row reference and the reading keep one encoded size
// for any i below 10^7, so every iteration is charged the same gas.
func benchRecord(i int) types.Observation {
	obs := ledgerRecord(fmt.Sprintf("row-%07d", i), 100_000+uint64(i)*10)
	at := start.AddDate(-1, 0, 0).Add(time.Duration(i) * time.Second)
	rec := &obs.GetVehicleRecord().Record
	rec.OccurredAt = at
	obs.Time = at
	return obs
}

// BenchmarkDigest is the CPU cost of types.Digest of a ledger record (the
// canonical encoding and the tagged hash), paid once per MsgAttest.
func BenchmarkDigest(b *testing.B) {
	obs := benchRecord(0)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := types.Digest(obs, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifySignature is the CPU cost of types.VerifySignature (key
// parsing and BIP-340 verification), paid once per MsgAttest.
func BenchmarkVerifySignature(b *testing.B) {
	key := newNotary(0).key
	digest, err := types.Digest(benchRecord(0), 1)
	if err != nil {
		b.Fatal(err)
	}
	sig, err := types.Sign(key, digest)
	if err != nil {
		b.Fatal(err)
	}
	pk := types.PubKeyBytes(key)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := types.VerifySignature(pk, digest, sig); err != nil {
			b.Fatal(err)
		}
	}
}
