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
			e := p.ends[k]
			h, _, err := e.chain.Latest(ctx)
			if err != nil {
				return nil, err
			}
			info, _, err := clientInfo(ctx, e.chain, e.ClientID)
			if err != nil {
				return nil, err
			}
			unrec, acks, err := p.pending(ctx, k)
			if err != nil {
				return nil, fmt.Errorf("path %s: %w", p.cfg.Name, err)
			}
			st.Ends[k] = EndStatus{Chain: e.chain.ID(), Height: h, Client: info, Unreceived: len(unrec), AcksPending: len(acks)}
		}
		out = append(out, st)
	}
	return out, nil
}

// pending reads from the chains which packets end k sent are not received
// on the other end yet, and which were received but not acknowledged back.
func (p *PathRelayer) pending(ctx context.Context, k int) (unreceived, unacked []uint64, err error) {
	committed, err := p.ends[k].commitments(ctx)
	if err != nil {
		return nil, nil, err
	}
	unreceived, err = p.ends[1-k].unreceived(ctx, committed)
	if err != nil {
		return nil, nil, err
	}
	unacked = slices.DeleteFunc(committed, func(s uint64) bool { return slices.Contains(unreceived, s) })
	return unreceived, unacked, nil
}
