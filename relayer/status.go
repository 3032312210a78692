package relayer

import (
	"context"
	"fmt"
	"slices"
)

// EndStatus is one end of a path as the chains show it.
type EndStatus struct {
	Chain  string
	Height int64
	Client ClientInfo
	// Unreceived counts packets this end sent that the other end has not received.
	Unreceived int
	// AcksPending counts packets this end sent that were received but whose
	// acknowledgement has not come back.
	AcksPending int
}

// PathStatus is what `vinrelay status` reports for a path.
type PathStatus struct {
	Name string
	IBC  string
	Ends [2]EndStatus
}

// Status reads the state of every path from the chains alone.
func (r *Relayer) Status(ctx context.Context) ([]PathStatus, error) {
	var out []PathStatus
	for _, p := range r.paths {
		st := PathStatus{Name: p.cfg.Name, IBC: p.cfg.IBC}
		for k := range 2 {
			e, other := p.ends[k], p.ends[1-k]
			h, _, err := e.chain.Latest(ctx)
			if err != nil {
				return nil, err
			}
			info, _, err := clientInfo(ctx, e.chain, e.ClientID)
			if err != nil {
				return nil, err
			}
			committed, err := e.commitments(ctx)
			if err != nil {
				return nil, err
			}
			unrec, err := other.unreceived(ctx, committed)
			if err != nil {
				return nil, fmt.Errorf("path %s: %w", p.cfg.Name, err)
			}
			acks := slices.DeleteFunc(committed, func(s uint64) bool { return slices.Contains(unrec, s) })
			st.Ends[k] = EndStatus{Chain: e.chain.ID(), Height: h, Client: info, Unreceived: len(unrec), AcksPending: len(acks)}
		}
		out = append(out, st)
	}
	return out, nil
}
