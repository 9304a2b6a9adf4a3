package probe_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// connectProxy is an HTTP proxy that tunnels CONNECT requests and counts
// them.
func connectProxy(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var tunnels atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		up, err := net.DialTimeout("tcp", r.Host, 5*time.Second)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		tunnels.Add(1)
		// Hijack before answering: net/http may already hold the first
		// byte the client sends after a 200, and only the returned reader
		// has it.
		down, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			_ = up.Close()
			return
		}
		if _, err := io.WriteString(down, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
			_ = up.Close()
			_ = down.Close()
			return
		}
		go func() { _, _ = io.Copy(up, rw.Reader); _ = up.Close() }()
		_, _ = io.Copy(down, up)
		_ = down.Close()
	}))
	t.Cleanup(s.Close)
	return s, &tunnels
}

// TestPollThroughProxy: a peer behind a proxy is polled through it, on the
// net/http path.
func TestPollThroughProxy(t *testing.T) {
	f := newFakePeer(t, nil)
	proxy, tunnels := connectProxy(t)
	u, err := url.Parse(proxy.URL)
	if err != nil {
		t.Fatal(err)
	}
	o := fakeOpts(f, "fw-a", nil)
	o.Transport.Proxy = http.ProxyURL(u)
	p := newFakeProber(t, o)
	defer p.Close()
	for range 2 {
		if st := pollWithin(p, 10*time.Second); !st.Up || st.Err != nil {
			t.Fatalf("poll through the proxy: up=%v err=%v", st.Up, st.Err)
		}
	}
	if n := tunnels.Load(); n != 1 {
		t.Errorf("%d tunnels through the proxy for two polls, want 1 kept alive", n)
	}
}
