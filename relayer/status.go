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
	// NotAllowed counts, among the first Checked of those pending packets,
	// the ones the path does not relay (a port not on allow_ports).
	NotAllowed, Checked int
}

// PathStatus is what `vinrelay status` reports for a path.
type PathStatus struct {
	Name string
	IBC  string
	// AllowPorts are the ports whose packets the path relays.
	AllowPorts []string
	Ends       [2]EndStatus
}

// statusLookups bounds how many pending packets per end Status looks up
// (one tx search each) to tell which it does not relay, so a path flooded
// with foreign packets cannot make it hang.
const statusLookups = 100

// Status reads the state of every path from the chains alone.
func (r *Relayer) Status(ctx context.Context) ([]PathStatus, error) {
	var out []PathStatus
	for _, p := range r.paths {
		st := PathStatus{Name: p.cfg.Name, IBC: p.cfg.IBC, AllowPorts: p.cfg.Ports()}
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
			foreign, checked, err := p.notAllowed(ctx, k, slices.Concat(unrec, acks))
			if err != nil {
				return nil, fmt.Errorf("path %s: %w", p.cfg.Name, err)
			}
			st.Ends[k] = EndStatus{Chain: e.chain.ID(), Height: h, Client: info, Unreceived: len(unrec), AcksPending: len(acks),
				NotAllowed: foreign, Checked: checked}
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

// notAllowed looks up the send events of the first statusLookups of seqs
// (pending packets end k sent) and counts those the path does not relay.
func (p *PathRelayer) notAllowed(ctx context.Context, k int, seqs []uint64) (foreign, checked int, err error) {
	seqs = seqs[:min(len(seqs), statusLookups)]
	found, err := p.ends[k].findEvents(ctx, eventSendPacket, seqs)
	if err != nil {
		return 0, 0, err
	}
	for _, s := range seqs {
		if pkt := found[s]; pkt != nil {
			if _, bad := pkt.foreignPort(p.cfg.Allows); bad {
				foreign++
			}
		}
	}
	return foreign, len(seqs), nil
}
