package hub

import (
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/vinhub/vinhub/adapters/htlc"
	"github.com/vinhub/vinhub/hashlock"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
)

// answers is a hub node that answers the HTLC query with each HTLC in turn,
// then with the last one again.
type answers struct {
	htlctypes.QueryClient
	htlcs []htlctypes.HTLC
}

func (a *answers) HTLC(context.Context, *htlctypes.QueryHTLCRequest, ...grpc.CallOption) (*htlctypes.QueryHTLCResponse, error) {
	h := a.htlcs[0]
	if len(a.htlcs) > 1 {
		a.htlcs = a.htlcs[1:]
	}
	return &htlctypes.QueryHTLCResponse{Htlc: h}, nil
}

// TestWatchSecretForeign: a watcher of the hub alone learns a swap's
// secret from the hub leg's claim or, before any claim, from the foreign
// secret a notary attestation recorded on it; a refunded leg whose secret
// was published still gives it, and one without ends the watch.
func TestWatchSecretForeign(t *testing.T) {
	secret, err := hashlock.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	other, err := hashlock.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	leg := func(state htlctypes.HTLCState, claimed, foreign string) htlctypes.HTLC {
		return htlctypes.HTLC{Id: "leg", HashLock: secret.Hash().String(), Expiry: time.Unix(1e9, 0), State: state,
			Secret: claimed, ForeignSecret: foreign}
	}
	locked := leg(htlctypes.HTLC_STATE_LOCKED, "", "")
	cases := []struct {
		name      string
		answers   []htlctypes.HTLC
		wantState htlc.State
		wantErr   error // nil wants the secret
	}{
		{"claimed on the hub", []htlctypes.HTLC{leg(htlctypes.HTLC_STATE_CLAIMED, secret.String(), "")}, htlc.StateClaimed, nil},
		{"locked, then published from another rail", []htlctypes.HTLC{locked, locked, leg(htlctypes.HTLC_STATE_LOCKED, "", secret.String())}, htlc.StateLocked, nil},
		{"refunded after it was published", []htlctypes.HTLC{leg(htlctypes.HTLC_STATE_REFUNDED, "", secret.String())}, htlc.StateRefunded, nil},
		{"refunded, never published", []htlctypes.HTLC{leg(htlctypes.HTLC_STATE_REFUNDED, "", "")}, htlc.StateRefunded, htlc.ErrRefunded},
		{"a node reporting a secret that does not open the lock", []htlctypes.HTLC{leg(htlctypes.HTLC_STATE_LOCKED, "", other.String())}, htlc.StateLocked, hashlock.ErrWrongSecret},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &Rail{query: &answers{htlcs: tc.answers}, poll: time.Millisecond}
			c := htlc.Contract{Rail: Name, Ref: "leg", Terms: htlc.Terms{Hash: secret.Hash()}}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			got, err := r.WatchSecret(ctx, c)
			switch {
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			case tc.wantErr == nil && (err != nil || got != secret):
				t.Fatalf("got %s, %v; want the secret", got, err)
			}
			st, err := status(tc.answers[len(tc.answers)-1])
			if err != nil || st.State != tc.wantState {
				t.Fatalf("status: %s, %v; want %s", st.State, err, tc.wantState)
			}
		})
	}
}
