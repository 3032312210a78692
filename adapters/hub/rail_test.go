package hub

import (
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/vinhub/vinhub/client"
	htlctypes "github.com/vinhub/vinhub/x/htlc/types"
)

// TestLockedID: Lock takes its contract's id from its own transaction's
// EventLocked, never from a lookup by hash (other senders may use the hash).
func TestLockedID(t *testing.T) {
	id := strings.Repeat("ab", 32)
	typed := func(ev *htlctypes.EventLocked) abci.Event {
		e, err := sdk.TypedEventToEvent(ev)
		if err != nil {
			t.Fatal(err)
		}
		return abci.Event(e)
	}
	other := abci.Event{Type: "transfer", Attributes: []abci.EventAttribute{{Key: "id", Value: "not this"}}}
	cases := []struct {
		name   string
		events []abci.Event
		want   string // "" wants an error
	}{
		{"its lock", []abci.Event{other, typed(&htlctypes.EventLocked{Id: id, HashLock: strings.Repeat("cd", 32)})}, id},
		{"no lock event", []abci.Event{other}, ""},
		{"an empty id", []abci.Event{typed(&htlctypes.EventLocked{Id: ""})}, ""},
		{"an id that is not JSON", []abci.Event{{Type: eventLocked, Attributes: []abci.EventAttribute{{Key: "id", Value: id}}}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := lockedID(client.TxResult{Hash: "AB", Events: client.FlattenEvents(tc.events)})
			switch {
			case tc.want == "" && err == nil:
				t.Fatalf("got id %q, want an error", got)
			case tc.want != "" && (err != nil || got != tc.want):
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
