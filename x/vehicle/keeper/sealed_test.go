package keeper_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/vehicle/types"
)

// registeredKeys stands in for x/membership's key registry: only reporterA/1 is registered.
type registeredKeys struct{}

func (registeredKeys) CheckRecipients(_ context.Context, env *sealed.Envelope) error {
	for _, id := range env.KeyIDs() {
		if id != (sealed.KeyID{Address: reporterA.String(), Version: 1}) {
			return errors.New("encryption key not found")
		}
	}
	return nil
}

func (r registeredKeys) CheckRelayedRecipients(ctx context.Context, env *sealed.Envelope) error {
	return r.CheckRecipients(ctx, env)
}

func sealedMileage(t *testing.T, version uint32) types.RecordInput {
	t.Helper()
	priv, err := sealed.GenerateKey()
	require.NoError(t, err)
	env, err := sealed.Seal(types.SealedSubject(accord, dealerA), []sealed.PlainField{{Name: "sale_price", Value: []byte("18500 EUR")}},
		[]sealed.RecipientKey{{KeyID: sealed.KeyID{Address: reporterA.String(), Version: version}, PublicKey: priv.PublicKey().Bytes()}})
	require.NoError(t, err)
	in := mileage(accord, 42_000, blockTime.Add(-1))
	in.Sealed = env
	return in
}

// TestLocalSealedRecordKeysChecked: on a chain with a key registry (the
// hub), a local record sealed to an unregistered key is refused with
// ErrInvalidSealed and nothing is written; one sealed to a registered key is kept.
func TestLocalSealedRecordKeysChecked(t *testing.T) {
	f := setup(t)
	f.k.SetRecipientKeys(registeredKeys{})
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	_, err = f.send(dealerA, reporterA, sealedMileage(t, 2))
	require.ErrorIs(t, err, types.ErrInvalidSealed)
	after, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, after)

	in := sealedMileage(t, 1)
	f.mustSend(t, dealerA, reporterA, in)
	require.Equal(t, in.Sealed, f.history(t, accord)[0].Input.Sealed)
}

// TestCopiedEnvelopeRefused: another dealer's reporter copies a stored
// record's envelope onto its own record of the same VIN: the subject names
// the first dealer, so the record is refused with ErrInvalidSealed (code 48)
// and nothing is written.
func TestCopiedEnvelopeRefused(t *testing.T) {
	f := setup(t)
	f.k.SetRecipientKeys(registeredKeys{})
	stored := sealedMileage(t, 1)
	f.mustSend(t, dealerA, reporterA, stored)

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	copied := mileage(accord, 43_000, blockTime.Add(-1))
	copied.Sealed = f.history(t, accord)[0].Input.Sealed
	_, err = f.send(dealerB, reporterB, copied)
	require.ErrorIs(t, err, types.ErrInvalidSealed)
	require.EqualValues(t, 48, types.ErrInvalidSealed.ABCICode())
	after, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, after)
}
