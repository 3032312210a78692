// Package loopback hands out free TCP ports on 127.0.0.1 to the processes
// the test harness starts (chain nodes, btcd, PostgreSQL, vinrelay).
package loopback

import (
	"net"
	"sync"
)

var (
	handedOutMu sync.Mutex
	// handedOut remembers every port Ports returned in this process: a
	// process that has not bound its port yet must not lose it to another.
	handedOut = map[int]bool{}
)

// Ports reserves n distinct free TCP ports on 127.0.0.1, none of them
// handed out before by this process.
func Ports(n int) ([]int, error) {
	handedOutMu.Lock()
	defer handedOutMu.Unlock()
	ports := make([]int, 0, n)
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for len(ports) < n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		// Held open until the end, so the kernel offers another port next.
		listeners = append(listeners, l)
		port := l.Addr().(*net.TCPAddr).Port
		if handedOut[port] {
			continue
		}
		handedOut[port] = true
		ports = append(ports, port)
	}
	return ports, nil
}
