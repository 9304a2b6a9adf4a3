package e2e

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// switchProxy owns an address hawatch is configured with and decides, at
// any moment, what answers there: it forwards TCP to a target (the
// simulator's peer, a hostile server, a fake Alertmanager) or refuses
// connections outright (nothing listens: connection refused). Switching
// cuts the connections open through it, so that a kept-alive connection
// does not carry the old target's answers past the switch.
type switchProxy struct {
	Addr string
	t    *testing.T

	mu     sync.Mutex
	ln     net.Listener // nil while refusing
	target string
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

// startSwitchProxy listens on a free loopback port and forwards to target.
func startSwitchProxy(t *testing.T, target string) *switchProxy {
	t.Helper()
	p := &switchProxy{t: t, target: target, conns: map[net.Conn]struct{}{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.Addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.close)
	return p
}

// Forward sends new connections to target, cutting the open ones, and
// listens again if the proxy was refusing.
func (p *switchProxy) Forward(target string) {
	p.mu.Lock()
	p.target = target
	p.cutLocked()
	refusing := p.ln == nil
	p.mu.Unlock()
	if !refusing {
		return
	}
	// The port was free for a while; retry briefly in case the kernel
	// still holds it.
	var err error
	for range 50 {
		var ln net.Listener
		if ln, err = net.Listen("tcp", p.Addr); err == nil {
			p.serve(ln)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Errorf("listen again on %s: %v", p.Addr, err)
}

// Refuse stops listening and cuts the open connections: every new
// connection is refused by the kernel.
func (p *switchProxy) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.cutLocked()
}

func (p *switchProxy) cutLocked() {
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

func (p *switchProxy) close() {
	p.Refuse()
	p.wg.Wait()
}

func (p *switchProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Go(func() { p.pipe(c) })
		}
	})
}

// pipe connects one client to the current target.
func (p *switchProxy) pipe(c net.Conn) {
	p.mu.Lock()
	target := p.target
	p.mu.Unlock()
	up, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		_ = c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[up] = struct{}{}, struct{}{}
	p.mu.Unlock()
	var wg sync.WaitGroup
	copyHalf := func(dst, src net.Conn) {
		_, err := io.Copy(dst, src)
		if err != nil && !errors.Is(err, net.ErrClosed) {
			_ = dst.Close()
		}
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
	}
	wg.Go(func() { copyHalf(up, c) })
	wg.Go(func() { copyHalf(c, up) })
	wg.Wait()
	_ = c.Close()
	_ = up.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
}
