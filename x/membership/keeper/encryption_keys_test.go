package keeper_test

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/x/membership/keeper"
	"github.com/vinhub/vinhub/x/membership/types"
)

var (
	lenderAcc    = sdk.AccAddress(bytes.Repeat([]byte{0x1e}, 20))
	regulatorAcc = sdk.AccAddress(bytes.Repeat([]byte{0x2e}, 20))
	reporterAcc  = sdk.AccAddress(bytes.Repeat([]byte{0x3e}, 20))
	outsider     = sdk.AccAddress(bytes.Repeat([]byte{0x4e}, 20))
)

// dealerReporters stands in for x/vehicle's reporter registry: dealer "acme" admits reporterAcc.
type dealerReporters struct{}

var errNotReporter = errors.New("not a reporter of that dealer")

func (dealerReporters) CheckReporter(_ context.Context, dealerID string, r sdk.AccAddress) error {
	if dealerID == "acme" && r.Equals(reporterAcc) {
		return nil
	}
	return errNotReporter
}

func newKey(t *testing.T) []byte {
	t.Helper()
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	require.NoError(t, err)
	return k.PublicKey().Bytes()
}

func keySetup(t *testing.T) fixture {
	t.Helper()
	f := setup(t)
	f.k = f.k.WithReporters(dealerReporters{})
	f.msgs, f.queries = keeper.NewMsgServerImpl(f.k), keeper.NewQueryServerImpl(f.k)
	require.NoError(t, f.k.GrantRole(f.ctx, lenderAcc, types.ROLE_LENDER, "bank"))
	require.NoError(t, f.k.GrantRole(f.ctx, regulatorAcc, types.ROLE_REGULATOR, "authority"))
	return f
}

// TestEncryptionKeyRotationKeepsOldVersions: a member registers, rotates,
// and every old version stays readable (old envelopes name it).
func TestEncryptionKeyRotationKeepsOldVersions(t *testing.T) {
	f := keySetup(t)
	k1, k2 := newKey(t), newKey(t)
	res, err := f.msgs.RegisterEncryptionKey(f.ctx, &types.MsgRegisterEncryptionKey{Owner: lenderAcc.String(), PublicKey: k1})
	require.NoError(t, err)
	require.Equal(t, uint32(1), res.Version)

	later := f.ctx.WithBlockHeight(12)
	res, err = f.msgs.RegisterEncryptionKey(later, &types.MsgRegisterEncryptionKey{Owner: lenderAcc.String(), PublicKey: k2})
	require.NoError(t, err)
	require.Equal(t, uint32(2), res.Version)

	all, err := f.queries.EncryptionKeys(f.ctx, &types.QueryEncryptionKeysRequest{Address: lenderAcc.String()})
	require.NoError(t, err)
	require.Equal(t, []types.EncryptionKey{
		{Address: lenderAcc.String(), Version: 1, PublicKey: k1, RegisteredHeight: 7, SupersededHeight: 12},
		{Address: lenderAcc.String(), Version: 2, PublicKey: k2, RegisteredHeight: 12},
	}, all.Keys)
	cur, err := f.queries.EncryptionKey(f.ctx, &types.QueryEncryptionKeyRequest{Address: lenderAcc.String()})
	require.NoError(t, err)
	require.Equal(t, k2, cur.Key.PublicKey)
	old, err := f.k.EncryptionKey(f.ctx, lenderAcc, 1)
	require.NoError(t, err)
	require.Equal(t, k1, old.PublicKey)
	_, err = f.k.EncryptionKey(f.ctx, lenderAcc, 3)
	require.ErrorIs(t, err, types.ErrKeyNotFound)

	// A dealer's reporter is a member through its dealer.
	_, err = f.msgs.RegisterEncryptionKey(f.ctx, &types.MsgRegisterEncryptionKey{Owner: reporterAcc.String(), PublicKey: newKey(t), DealerId: "acme"})
	require.NoError(t, err)

	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	g := setup(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, *gs))
	back, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, back)
	cur2, found, err := g.k.CurrentEncryptionKey(g.ctx, lenderAcc)
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, uint32(2), cur2.Version)
}

// TestRegulatorKeysSetByGovernance: a regulator cannot register its own key;
// governance sets it, and it is listed among the regulators' keys.
func TestRegulatorKeysSetByGovernance(t *testing.T) {
	f := keySetup(t)
	keys, err := f.queries.RegulatorKeys(f.ctx, &types.QueryRegulatorKeysRequest{})
	require.NoError(t, err)
	require.Empty(t, keys.Keys)
	require.Equal(t, []string{regulatorAcc.String()}, keys.Missing)

	pub := newKey(t)
	_, err = f.msgs.RegisterEncryptionKey(f.ctx, &types.MsgRegisterEncryptionKey{Owner: regulatorAcc.String(), PublicKey: pub})
	require.ErrorIs(t, err, types.ErrKeyByGovernance)

	res, err := f.msgs.SetEncryptionKey(f.ctx, &types.MsgSetEncryptionKey{Authority: f.authority, Address: regulatorAcc.String(), PublicKey: pub})
	require.NoError(t, err)
	require.Equal(t, uint32(1), res.Version)
	keys, err = f.queries.RegulatorKeys(f.ctx, &types.QueryRegulatorKeysRequest{})
	require.NoError(t, err)
	require.Equal(t, []types.EncryptionKey{{Address: regulatorAcc.String(), Version: 1, PublicKey: pub, RegisteredHeight: 7, SetByGovernance: true}}, keys.Keys)
	require.Empty(t, keys.Missing)
}

func TestEncryptionKeyRefusals(t *testing.T) {
	order8 := mustHexKey("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")
	tests := []struct {
		name    string
		run     func(f fixture, pub []byte) error
		wantErr error
	}{
		{"31-byte key", func(f fixture, pub []byte) error { return register(f, lenderAcc, pub[:31], "") }, types.ErrInvalidKey},
		{"33-byte key", func(f fixture, pub []byte) error { return register(f, lenderAcc, append(pub, 0), "") }, types.ErrInvalidKey},
		{"all-zero key", func(f fixture, _ []byte) error { return register(f, lenderAcc, make([]byte, 32), "") }, types.ErrInvalidKey},
		{"low-order key", func(f fixture, _ []byte) error { return register(f, lenderAcc, order8, "") }, types.ErrInvalidKey},
		{"non-member", func(f fixture, pub []byte) error { return register(f, outsider, pub, "") }, types.ErrNotMember},
		{"reporter of another dealer", func(f fixture, pub []byte) error { return register(f, reporterAcc, pub, "globex") }, types.ErrNotMember},
		{"outsider naming a dealer", func(f fixture, pub []byte) error { return register(f, outsider, pub, "acme") }, types.ErrNotMember},
		{"regulator registering itself", func(f fixture, pub []byte) error { return register(f, regulatorAcc, pub, "") }, types.ErrKeyByGovernance},
		{"same key again", func(f fixture, pub []byte) error {
			require.NoError(t, register(f, lenderAcc, pub, ""))
			return register(f, lenderAcc, pub, "")
		}, types.ErrKeyUnchanged},
		{"set by a non-authority signer", func(f fixture, pub []byte) error {
			_, err := f.msgs.SetEncryptionKey(f.ctx, &types.MsgSetEncryptionKey{Authority: lenderAcc.String(), Address: regulatorAcc.String(), PublicKey: pub})
			return err
		}, types.ErrInvalidAuthority},
		{"set for a non-member", func(f fixture, pub []byte) error {
			_, err := f.msgs.SetEncryptionKey(f.ctx, &types.MsgSetEncryptionKey{Authority: f.authority, Address: outsider.String(), PublicKey: pub})
			return err
		}, types.ErrNotMember},
		{"set a low-order key", func(f fixture, _ []byte) error {
			_, err := f.msgs.SetEncryptionKey(f.ctx, &types.MsgSetEncryptionKey{Authority: f.authority, Address: regulatorAcc.String(), PublicKey: order8})
			return err
		}, types.ErrInvalidKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := keySetup(t)
			before, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			events := len(f.ctx.EventManager().Events())
			pub := newKey(t)
			err = tc.run(f, pub)
			require.ErrorIs(t, err, tc.wantErr)
			after, err := f.k.ExportGenesis(f.ctx)
			require.NoError(t, err)
			if tc.wantErr == types.ErrKeyUnchanged { // the first registration went through
				require.Len(t, after.EncryptionKeys, 1)
				return
			}
			require.Equal(t, before, after)
			require.Len(t, f.ctx.EventManager().Events(), events)
		})
	}
}

func TestEncryptionKeyQueryErrors(t *testing.T) {
	f := keySetup(t)
	_, err := f.queries.EncryptionKey(f.ctx, &types.QueryEncryptionKeyRequest{Address: outsider.String()})
	require.Equal(t, codes.NotFound, status.Code(err))
	_, err = f.queries.EncryptionKey(f.ctx, &types.QueryEncryptionKeyRequest{Address: "nope"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}

func register(f fixture, owner sdk.AccAddress, pub []byte, dealer string) error {
	_, err := f.msgs.RegisterEncryptionKey(f.ctx, &types.MsgRegisterEncryptionKey{Owner: owner.String(), PublicKey: pub, DealerId: dealer})
	return err
}

func mustHexKey(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
