package keeper_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vinhub/vinhub/sealed"
	"github.com/vinhub/vinhub/x/anchor/keeper"
	"github.com/vinhub/vinhub/x/anchor/types"
)

// oneKey stands in for x/membership's key registry: only regulator/1 is registered.
type oneKey struct{}

func (oneKey) CheckRecipients(_ context.Context, env *sealed.Envelope) error {
	for _, id := range env.KeyIDs() {
		if id != (sealed.KeyID{Address: alice, Version: 1}) {
			return errors.New("key not registered")
		}
	}
	return nil
}

func note(t *testing.T, subject string, version uint32) *sealed.Envelope {
	t.Helper()
	priv, err := sealed.GenerateKey()
	require.NoError(t, err)
	env, err := sealed.Seal(subject, []sealed.PlainField{{Name: "parties", Value: []byte("seller Acme Motors, buyer E. Mustermann")}},
		[]sealed.RecipientKey{{KeyID: sealed.KeyID{Address: alice, Version: version}, PublicKey: priv.PublicKey().Bytes()}})
	require.NoError(t, err)
	return env
}

// TestSealedNote: a first anchoring keeps its sealed note; a repeat keeps
// the first (and its note); a note about another hash, malformed, sealed to
// an unregistered key, or on a chain without a key registry is refused and
// changes nothing.
func TestSealedNote(t *testing.T) {
	h := docHash("sale contract")
	subject := types.NoteSubject(h, alice)
	tests := []struct {
		name    string
		noKeys  bool
		env     *sealed.Envelope
		wantErr error
	}{
		{name: "note about another hash", env: note(t, types.NoteSubject(docHash("other"), alice), 1), wantErr: types.ErrInvalidNote},
		// bob's note copied into alice's anchoring (a front-run) names bob.
		{name: "note of another submitter", env: note(t, types.NoteSubject(h, bob), 1), wantErr: types.ErrInvalidNote},
		{name: "malformed note", env: func() *sealed.Envelope { e := note(t, subject, 1); e.Version = 7; return e }(), wantErr: types.ErrInvalidNote},
		{name: "unregistered key", env: note(t, subject, 2), wantErr: types.ErrInvalidNote},
		{name: "no key registry", noKeys: true, env: note(t, subject, 1), wantErr: types.ErrInvalidNote},
		{name: "registered key", env: note(t, subject, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			if !tc.noKeys {
				f.k = f.k.WithRecipientKeys(oneKey{})
				f.msgs = keeper.NewMsgServerImpl(f.k)
			}
			before := f.exported(t)
			res, err := f.msgs.AnchorEvidence(f.ctx, &types.MsgAnchorEvidence{Submitter: alice, Sha256: h, Kind: types.EVIDENCE_KIND_CONTRACT, SealedNote: tc.env})
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Equal(t, before, f.exported(t))
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.env, res.Anchoring.SealedNote)
			again, err := f.msgs.AnchorEvidence(f.ctx, &types.MsgAnchorEvidence{Submitter: bob, Sha256: h, Kind: types.EVIDENCE_KIND_CONTRACT, SealedNote: note(t, types.NoteSubject(h, bob), 1)})
			require.NoError(t, err)
			require.True(t, again.AlreadyAnchored)
			require.Equal(t, tc.env, again.Anchoring.SealedNote)
			require.NoError(t, f.exported(t).Validate())
		})
	}
}
