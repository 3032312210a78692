package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"

	membershiptypes "github.com/vinhub/vinhub/x/membership/types"
	"github.com/vinhub/vinhub/x/notary/types"
	vehicletypes "github.com/vinhub/vinhub/x/vehicle/types"
)

func TestLedgerRecordEntersHistoryOnceAtThreshold(t *testing.T) {
	f := setup(t)
	obs := ledgerRecord("row-1", 61_000)

	for i := 0; i < 2; i++ {
		res := f.mustAttest(t, i, obs, 1)
		require.Equal(t, types.ATTESTATION_STATUS_PENDING, res.Status, "signature %d", i+1)
		require.Empty(t, f.history(t), "nothing executes below the threshold")
	}
	res := f.mustAttest(t, 2, obs, 1)
	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, res.Status)
	require.EqualValues(t, 3, res.Signatures)

	hist := f.history(t)
	require.Len(t, hist, 1)
	rec := hist[0]
	require.Equal(t, "acme", rec.DealerId)
	require.EqualValues(t, 61_000, rec.Input.OdometerKm)
	require.Equal(t, &vehicletypes.LedgerOrigin{LedgerId: ledgerID, RecordRef: "row-1", AttestationId: res.Id}, rec.LedgerOrigin)

	att := f.attestation(t, res.Id)
	require.Len(t, att.Signatures, 3, "every signature is kept for auditors")
	require.EqualValues(t, f.ctx.BlockHeight(), att.FinalHeight)
	require.Contains(t, att.Result, "appended to "+carVIN)
	// Each kept signature verifies offline against the set.
	digest, err := types.Digest(att.Observation, att.SetVersion)
	require.NoError(t, err)
	for i, s := range att.Signatures {
		require.NoError(t, types.VerifySignature(f.notaries[i].member().Pubkey, digest, s.Sig))
	}

	// The last notary's late signature and any resubmission are replays.
	f.next(time.Second)
	_, err = f.attest(3, obs, 1)
	require.ErrorIs(t, err, types.ErrAlreadyFinal)
	require.Len(t, f.history(t), 1, "executed exactly once")
}

func TestAttestRefusalsChangeNothing(t *testing.T) {
	tests := []struct {
		name     string
		malleate func(f *fixture) (*types.MsgAttest, error)
		want     error
	}{
		{"signer without the notary role", func(f *fixture) (*types.MsgAttest, error) {
			m := f.signed(0, ledgerRecord("r", 1), 1)
			m.Notary = stranger.String()
			return m, nil
		}, membershiptypes.ErrMissingRole},
		{"revoked notary", func(f *fixture) (*types.MsgAttest, error) {
			return f.signed(0, ledgerRecord("r", 1), 1), f.roles.RevokeRole(f.ctx, f.notaries[0].addr, membershiptypes.ROLE_NOTARY)
		}, membershiptypes.ErrMissingRole},
		{"notary not in the set", func(f *fixture) (*types.MsgAttest, error) {
			return f.signed(4, ledgerRecord("r", 1), 1), nil
		}, types.ErrNotInSet},
		{"signature by another member's key", func(f *fixture) (*types.MsgAttest, error) {
			m := f.signed(1, ledgerRecord("r", 1), 1)
			m.Notary = f.notaries[0].addr.String()
			return m, nil
		}, types.ErrBadSignature},
		{"signature over another observation", func(f *fixture) (*types.MsgAttest, error) {
			m := f.signed(0, ledgerRecord("r", 1), 1)
			m.Observation = ledgerRecord("r", 2)
			return m, nil
		}, types.ErrBadSignature},
		{"signature over another set version", func(f *fixture) (*types.MsgAttest, error) {
			f.rotate(0, 1, 2, 3)
			m := f.signed(0, ledgerRecord("r", 1), 2)
			m.SetVersion = 1
			return m, nil
		}, types.ErrBadSignature},
		{"signature of 63 bytes", func(f *fixture) (*types.MsgAttest, error) {
			m := f.signed(0, ledgerRecord("r", 1), 1)
			m.Signature = m.Signature[:63]
			return m, nil
		}, types.ErrInvalidSignature},
		{"unknown set version", func(f *fixture) (*types.MsgAttest, error) {
			return f.signed(0, ledgerRecord("r", 1), 9), nil
		}, types.ErrUnknownSet},
		{"stale set after its grace window", func(f *fixture) (*types.MsgAttest, error) {
			f.rotate(0, 1, 2, 3)
			f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + types.DefaultGraceBlocks + 1)
			return f.signed(0, ledgerRecord("r", 1), 1), nil
		}, types.ErrStaleSet},
		{"duplicate signer", func(f *fixture) (*types.MsgAttest, error) {
			_, err := f.attest(0, ledgerRecord("r", 1), 1)
			return f.signed(0, ledgerRecord("r", 1), 1), err
		}, types.ErrDuplicateSigner},
		{"duplicate signer spelled in upper case", func(f *fixture) (*types.MsgAttest, error) {
			_, err := f.attest(0, ledgerRecord("r", 1), 1)
			m := f.signed(0, ledgerRecord("r", 1), 1)
			m.Notary = strings.ToUpper(m.Notary)
			return m, err
		}, types.ErrDuplicateSigner},
		{"replay of an executed observation", func(f *fixture) (*types.MsgAttest, error) {
			f.final(ledgerRecord("r", 1), 1, 0, 1, 2)
			return f.signed(3, ledgerRecord("r", 1), 1), nil
		}, types.ErrAlreadyFinal},
		{"replay under the next set version", func(f *fixture) (*types.MsgAttest, error) {
			f.final(ledgerRecord("r", 1), 1, 0, 1, 2)
			f.rotate(0, 1, 2, 3)
			return f.signed(0, ledgerRecord("r", 1), 2), nil
		}, types.ErrAlreadyFinal},
		{"malformed observation: upper-case tx hash", func(f *fixture) (*types.MsgAttest, error) {
			obs := payment(strings.ToUpper(txHash("tx")), 5, 1)
			return f.signed(0, obs, 1), nil
		}, types.ErrInvalidObservation},
		{"malformed observation: payload does not fit the platform", func(f *fixture) (*types.MsgAttest, error) {
			obs := ledgerRecord("r", 1)
			obs.Platform = types.PLATFORM_STELLAR
			obs.NetworkId, obs.TxRef = stellarNet, txHash("tx")
			return f.signed(0, obs, 1), nil
		}, types.ErrInvalidObservation},
		{"malformed observation: invalid VIN", func(f *fixture) (*types.MsgAttest, error) {
			obs := ledgerRecord("r", 1)
			obs.GetVehicleRecord().Record.Vin = "NOT-A-VIN"
			return f.signed(0, obs, 1), nil
		}, types.ErrInvalidObservation},
		{"oversized observation", func(f *fixture) (*types.MsgAttest, error) {
			params := types.DefaultParams()
			params.MaxObservationBytes = 512
			_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority, Params: params})
			obs := ledgerRecord("r", 1)
			obs.GetVehicleRecord().Record.Description = strings.Repeat("x", 600)
			return f.signed(0, obs, 1), err
		}, types.ErrObservationTooLarge},
		{"source the hub does not accept", func(f *fixture) (*types.MsgAttest, error) {
			obs := payment(txHash("tx"), 5, 1)
			obs.NetworkId = hexSHA("Public Global Stellar Network ; September 2015")
			return f.signed(0, obs, 1), nil
		}, types.ErrUnknownSource},
		{"ledger not bound to a dealer", func(f *fixture) (*types.MsgAttest, error) {
			obs := ledgerRecord("r", 1)
			obs.NetworkId = "other-ledger"
			return f.signed(0, obs, 1), nil
		}, types.ErrLedgerNotBound},
		{"payment in an asset without a governor limit", func(f *fixture) (*types.MsgAttest, error) {
			obs := payment(txHash("tx"), 5, 1)
			obs.GetPayment().Asset = "USDC:GISSUER"
			return f.signed(0, obs, 1), nil
		}, types.ErrUnknownAsset},
		{"payment of zero", func(f *fixture) (*types.MsgAttest, error) {
			return f.signed(0, payment(txHash("tx"), 0, 1), 1), nil
		}, types.ErrInvalidObservation},
		{"htlc spend whose secret does not open the lock", func(f *fixture) (*types.MsgAttest, error) {
			obs := payment(txHash("tx"), 5, 1)
			obs.Payload = &types.Observation_HtlcSpend{HtlcSpend: &types.HtlcSpend{HashLock: txHash("lock"), Secret: txHash("wrong"), Contract: "GESCROW"}}
			return f.signed(0, obs, 1), nil
		}, types.ErrInvalidObservation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			msg, err := tc.malleate(f)
			require.NoError(t, err)
			before := f.snapshot(t)
			_, err = f.msgs.Attest(f.ctx, msg)
			require.Error(t, err)
			require.True(t, errorsmod.IsOf(err, tc.want), "got %v, want %v", err, tc.want)
			require.Equal(t, before, f.snapshot(t), "a refusal changes nothing")
		})
	}
}

func TestEquivocationIsHeldForGovernance(t *testing.T) {
	f := setup(t)
	honest := ledgerRecord("row-9", 61_000)
	forged := ledgerRecord("row-9", 9_999)

	a := f.mustAttest(t, 0, honest, 1)
	f.mustAttest(t, 1, honest, 1)
	// Notary 0 also signs a different version of the same ledger row.
	b := f.mustAttest(t, 0, forged, 1)
	require.Equal(t, types.ATTESTATION_STATUS_HELD, b.Status)
	require.Equal(t, types.ATTESTATION_STATUS_HELD, f.attestation(t, a.Id).Status)
	ev := lastEvent[*types.EventEquivocation](t, f.ctx)
	require.Equal(t, []string{f.notaries[0].addr.String()}, ev.SignedBoth)
	require.ElementsMatch(t, []string{a.Id, b.Id}, ev.AttestationIds)

	// Reaching the threshold while held executes nothing.
	res := f.mustAttest(t, 2, honest, 1)
	require.Equal(t, types.ATTESTATION_STATUS_HELD, res.Status)
	f.mustAttest(t, 3, forged, 1)
	require.Empty(t, f.history(t))

	// Governance may not execute the one that never reached its threshold.
	_, err := f.msgs.ResolveEquivocation(f.ctx, &types.MsgResolveEquivocation{Authority: authority, SourceKey: honest.SourceKey(), ExecuteId: b.Id})
	require.ErrorIs(t, err, types.ErrNotFinal)
	_, err = f.msgs.ResolveEquivocation(f.ctx, &types.MsgResolveEquivocation{Authority: stranger.String(), SourceKey: honest.SourceKey(), ExecuteId: a.Id})
	require.ErrorIs(t, err, types.ErrInvalidAuthority)

	out, err := f.msgs.ResolveEquivocation(f.ctx, &types.MsgResolveEquivocation{Authority: authority, SourceKey: honest.SourceKey(), ExecuteId: a.Id})
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, out.Status)
	require.Equal(t, types.ATTESTATION_STATUS_REJECTED, f.attestation(t, b.Id).Status)
	require.Len(t, f.history(t), 1)
	require.EqualValues(t, 61_000, f.history(t)[0].Input.OdometerKm)

	_, err = f.msgs.ResolveEquivocation(f.ctx, &types.MsgResolveEquivocation{Authority: authority, SourceKey: honest.SourceKey(), ExecuteId: a.Id})
	require.ErrorIs(t, err, types.ErrNoEquivocation)
	_, err = f.attest(3, honest, 1)
	require.ErrorIs(t, err, types.ErrAlreadyFinal)
}

func TestConflictAfterExecutionIsHeldAndReported(t *testing.T) {
	f := setup(t)
	honest := ledgerRecord("row-2", 61_000)
	f.final(honest, 1, 0, 1, 2)
	res := f.mustAttest(t, 3, ledgerRecord("row-2", 1), 1)
	require.Equal(t, types.ATTESTATION_STATUS_HELD, res.Status)
	lastEvent[*types.EventEquivocation](t, f.ctx)
	// Rejecting them all leaves the executed one as it is.
	_, err := f.msgs.ResolveEquivocation(f.ctx, &types.MsgResolveEquivocation{Authority: authority, SourceKey: honest.SourceKey()})
	require.NoError(t, err)
	require.Equal(t, types.ATTESTATION_STATUS_REJECTED, f.attestation(t, res.Id).Status)
	require.Len(t, f.history(t), 1)
}

func TestRotationGraceWindow(t *testing.T) {
	f := setup(t)
	f.rotate(2, 3, 4, 5)
	cur, err := f.queries.CurrentSet(f.ctx, &types.QueryCurrentSetRequest{})
	require.NoError(t, err)
	require.EqualValues(t, 2, cur.Set.Version)
	require.EqualValues(t, 3, cur.Set.Threshold)

	// Inside the grace window set 1 still completes what it signed.
	obs := ledgerRecord("row-3", 61_000)
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + types.DefaultGraceBlocks)
	f.mustAttest(t, 0, obs, 1)
	f.mustAttest(t, 1, obs, 1)
	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, f.mustAttest(t, 2, obs, 1).Status)

	// After it, only set 2 counts; signatures of both sets never mix.
	f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1)
	next := ledgerRecord("row-4", 62_000)
	_, err = f.attest(0, next, 1)
	require.ErrorIs(t, err, types.ErrStaleSet)
	_, err = f.attest(0, next, 2)
	require.ErrorIs(t, err, types.ErrNotInSet, "notary 0 left the set")
	f.mustAttest(t, 4, next, 2)
	f.mustAttest(t, 5, next, 2)
	require.Equal(t, types.ATTESTATION_STATUS_EXECUTED, f.mustAttest(t, 3, next, 2).Status)
	require.Len(t, f.history(t), 2)
}

func TestNotarySetRules(t *testing.T) {
	f := setup(t)
	bad := []struct {
		name      string
		members   []types.Member
		threshold uint32
	}{
		{"empty", nil, 0},
		{"threshold not a majority", f.members(0, 1, 2, 3), 2},
		{"threshold above members", f.members(0, 1, 2), 4},
		{"operator twice", append(f.members(0, 1), types.Member{Operator: strings.ToUpper(f.notaries[0].addr.String()), Pubkey: f.notaries[2].member().Pubkey}), 0},
		{"key twice", append(f.members(0, 1), types.Member{Operator: f.notaries[2].addr.String(), Pubkey: f.notaries[0].member().Pubkey}), 0},
		{"key of 33 bytes", []types.Member{{Operator: f.notaries[0].addr.String(), Pubkey: append([]byte{2}, f.notaries[0].member().Pubkey...)}}, 0},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			before := f.snapshot(t)
			_, err := f.msgs.UpdateNotarySet(f.ctx, &types.MsgUpdateNotarySet{Authority: authority, Members: tc.members, Threshold: tc.threshold})
			require.ErrorIs(t, err, types.ErrInvalidSet)
			require.Equal(t, before, f.snapshot(t))
		})
	}
	_, err := f.msgs.UpdateNotarySet(f.ctx, &types.MsgUpdateNotarySet{Authority: f.notaries[0].addr.String(), Members: f.members(0, 1, 2)})
	require.ErrorIs(t, err, types.ErrInvalidAuthority)
	// Operators are stored in one spelling whatever the proposal wrote.
	upper := f.members(0, 1, 2)
	upper[0].Operator = strings.ToUpper(upper[0].Operator)
	res, err := f.msgs.UpdateNotarySet(f.ctx, &types.MsgUpdateNotarySet{Authority: authority, Members: upper})
	require.NoError(t, err)
	set, err := f.k.GetSet(f.ctx, res.Version)
	require.NoError(t, err)
	require.Equal(t, f.notaries[0].addr.String(), set.Members[0].Operator)
}

// signed is notary i's MsgAttest for obs under version (not submitted).
func (f *fixture) signed(i int, obs types.Observation, version uint64) *types.MsgAttest {
	digest, err := types.Digest(obs, version)
	if err != nil {
		panic(err)
	}
	sig, err := types.Sign(f.notaries[i].key, digest)
	if err != nil {
		panic(err)
	}
	return &types.MsgAttest{Notary: f.notaries[i].addr.String(), Observation: obs, SetVersion: version, Signature: sig}
}

// final has notaries idx sign obs under version.
func (f *fixture) final(obs types.Observation, version uint64, idx ...int) string {
	var id string
	for _, i := range idx {
		res, err := f.attest(i, obs, version)
		if err != nil {
			panic(err)
		}
		id = res.Id
	}
	return id
}

// rotate installs a set of the given notaries by governance.
func (f *fixture) rotate(idx ...int) {
	if _, err := f.msgs.UpdateNotarySet(f.ctx, &types.MsgUpdateNotarySet{Authority: authority, Members: f.members(idx...)}); err != nil {
		panic(err)
	}
}

// lastEvent returns the last typed event of type T emitted in ctx.
func lastEvent[T proto.Message](t *testing.T, ctx sdk.Context) T {
	t.Helper()
	evs := ctx.EventManager().ABCIEvents()
	for i := len(evs) - 1; i >= 0; i-- {
		msg, err := sdk.ParseTypedEvent(evs[i])
		if err != nil {
			continue
		}
		if ev, ok := msg.(T); ok {
			return ev
		}
	}
	var zero T
	t.Fatalf("no %T emitted", zero)
	return zero
}

// TestSignatureStoredUnderItsOwnKey: each signature is written under
// (attestation id, member index) and the attestation's value only counts
// them, so a signature costs the same gas whatever number came before it
// (it grew by ~4.2k gas per earlier signature when the attestation kept
// them all in its value); queries still return every signature.
func TestSignatureStoredUnderItsOwnKey(t *testing.T) {
	f := setupWith(t, 19, 19) // threshold 13
	obs := ledgerRecord("row-1", 61_000)
	var gas []uint64
	var id string
	for i := 0; i < 12; i++ {
		ctx := f.ctx.WithGasMeter(storetypes.NewInfiniteGasMeter()).WithEventManager(sdk.NewEventManager())
		res, err := f.msgs.Attest(ctx, f.signed(i, obs, 1))
		require.NoError(t, err)
		require.Equal(t, types.ATTESTATION_STATUS_PENDING, res.Status)
		gas, id = append(gas, ctx.GasMeter().GasConsumed()), res.Id
	}
	require.InDelta(t, gas[1], gas[11], 200, "the 12th signature costs what the 2nd does: %v", gas)

	stored, err := f.k.Attestations.Get(f.ctx, id)
	require.NoError(t, err)
	require.Empty(t, stored.Signatures, "the attestation's value holds no signature")
	require.EqualValues(t, 12, stored.SignatureCount)
	s, err := f.k.Signatures.Get(f.ctx, collections.Join(id, uint32(7)))
	require.NoError(t, err)
	require.Equal(t, f.notaries[7].addr.String(), s.Operator)
	// The key layout docs/spec/notary.md gives auditors: 0x0a || id || 0x00 || uint32_be(index).
	key, err := collections.EncodeKeyWithPrefix(types.SignaturesKey, f.k.Signatures.KeyCodec(), collections.Join(id, uint32(7)))
	require.NoError(t, err)
	require.Equal(t, append(append([]byte{0x0a}, id...), 0x00, 0, 0, 0, 7), key)

	att := f.attestation(t, id)
	require.Len(t, att.Signatures, 12)
	digest, err := types.Digest(att.Observation, att.SetVersion)
	require.NoError(t, err)
	for i, s := range att.Signatures {
		require.NoError(t, types.VerifySignature(f.notaries[i].member().Pubkey, digest, s.Sig), "signature %d", i)
	}
	res, err := f.queries.AttestationsBySource(f.ctx, &types.QueryAttestationsBySourceRequest{Platform: obs.Platform, NetworkId: obs.NetworkId, TxRef: obs.TxRef, Index: obs.Index})
	require.NoError(t, err)
	require.Len(t, res.Attestations, 1)
	require.Len(t, res.Attestations[0].Signatures, 12)
}
