package stellarsim

import (
	"net"
	"net/http"
	"sync"
)

// freshConns are connections accepted that have not sent a request yet.
// Clients open them ahead of need and keep them idle; http.Server's
// Shutdown waits 5 s before it treats them as idle, which would make
// every Close of a busy simulator take 5 s.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// track is the server's ConnState hook.
func (f *freshConns) track(c net.Conn, st http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st == http.StateNew {
		if f.conns == nil {
			f.conns = map[net.Conn]struct{}{}
		}
		f.conns[c] = struct{}{}
		return
	}
	delete(f.conns, c)
}

// closeAll drops them: nothing is in flight on them.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		_ = c.Close()
	}
	f.conns = nil
}
