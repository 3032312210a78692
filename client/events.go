package client

import abci "github.com/cometbft/cometbft/abci/types"

// Event is an ABCI event with its attributes by key.
type Event struct {
	Type  string
	Attrs map[string]string
}

// FlattenEvents turns ABCI events into Events (a repeated attribute key
// keeps its last value).
func FlattenEvents(evs []abci.Event) []Event {
	out := make([]Event, len(evs))
	for i, e := range evs {
		attrs := make(map[string]string, len(e.Attributes))
		for _, a := range e.Attributes {
			attrs[a.Key] = a.Value
		}
		out[i] = Event{Type: e.Type, Attrs: attrs}
	}
	return out
}

// TxResult is a committed transaction.
type TxResult struct {
	Hash    string
	Height  int64
	GasUsed int64
	Events  []Event
}

// Attr is the first non-empty value of attribute key in an event of type
// typ, or "".
func (r TxResult) Attr(typ, key string) string {
	for _, e := range r.Events {
		if e.Type == typ && e.Attrs[key] != "" {
			return e.Attrs[key]
		}
	}
	return ""
}
