package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/vinhub/vinhub/x/htlc/types"
)

// TestHashSquatting is the attack on a swap whose hub leg is the
// responder's: the buyer (initiator) drew the secret and locked on another
// rail, where the hash is public. A stranger copies it and locks dust under
// it on the hub first — to the same recipient and with the same expiry, the
// most confusing squat. The seller's lock must still succeed, its recipient
// must claim it with the secret, and the squatter's HTLC stays its own:
// untouched by the claim, refunded to the squatter at its expiry.
func TestHashSquatting(t *testing.T) {
	f := setup(t)
	secret := newSecret(t)
	car := f.car(t)

	squat := f.lockMsg(secret)
	squat.Sender, squat.Amount = stranger.String(), coins(1)
	squatID := f.lock(t, squat)

	victim := f.lockTitle(t, car, secret)
	require.NotEqual(t, squatID, victim)
	require.Equal(t, escrow.String(), f.owner(t, car))

	_, err := f.msgs.Claim(f.ctx, &types.MsgClaim{Claimer: buyer.String(), Id: victim, Secret: secret.String()})
	require.NoError(t, err)
	require.Equal(t, buyer.String(), f.owner(t, car))
	require.Equal(t, types.HTLC_STATE_CLAIMED, f.htlc(t, victim).State)

	sq := f.htlc(t, squatID)
	require.Equal(t, types.HTLC_STATE_LOCKED, sq.State, "a claim pays out only the HTLC it names")
	require.Equal(t, sdkmath.NewInt(1), f.balance(escrow))
	f.advance(time.Hour)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, types.HTLC_STATE_REFUNDED, f.htlc(t, squatID).State)
	require.Equal(t, sdkmath.NewInt(1_000_000), f.balance(stranger), "the squatter gets its dust back, nothing more")
	require.Equal(t, sdkmath.NewInt(1_000_000), f.balance(buyer))
}
