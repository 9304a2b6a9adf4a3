package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	stdlog "log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// connServer is an httptest TLS server that counts the connections it
// accepts and closes, and a peerConn to it that counts its dials.
type connServer struct {
	*httptest.Server
	opened, closed atomic.Int64
	dials          atomic.Int64
	pc             *peerConn
}

func newConnServer(t *testing.T, h http.HandlerFunc) *connServer {
	t.Helper()
	s := &connServer{Server: httptest.NewUnstartedServer(h)}
	s.Config.ErrorLog = stdlog.New(io.Discard, "", 0)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			s.opened.Add(1)
		case http.StateClosed, http.StateHijacked:
			s.closed.Add(1)
		}
	}
	s.StartTLS()
	t.Cleanup(s.Close)
	base := s.Client().Transport.(*http.Transport).Clone()
	var d net.Dialer
	base.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		s.dials.Add(1)
		return d.DialContext(ctx, network, addr)
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	s.pc = newPeerConn(base, u.Hostname(), u.Host)
	t.Cleanup(s.pc.CloseIdleConnections)
	return s
}

// post sends a form like the poll's to s through s.pc and reads the reply.
func (s *connServer) post(ctx context.Context) (*http.Response, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/api", strings.NewReader("type=op&key=SECRETKEY"))
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.pc.RoundTrip(req)
	if err != nil {
		return nil, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

// waitFor waits up to 3 s for cond.
func waitFor(cond func() bool) bool {
	for i := 0; i < 300 && !cond(); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

func okReply(w http.ResponseWriter, r *http.Request) {
	if r.ParseForm() != nil || r.Form.Get("key") != "SECRETKEY" {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	_, _ = io.WriteString(w, "<response status='success'/>")
}

func TestPeerConnReusesOneConnection(t *testing.T) {
	s := newConnServer(t, okReply)
	for i := range 5 {
		resp, body, err := s.post(context.Background())
		if err != nil || resp.StatusCode != http.StatusOK || body != "<response status='success'/>" {
			t.Fatalf("request %d: %v %v %q", i, err, resp, body)
		}
		if resp.TLS == nil || len(resp.TLS.PeerCertificates) == 0 || !resp.TLS.PeerCertificates[0].Equal(s.Certificate()) {
			t.Fatalf("request %d: reply without the server's certificate", i)
		}
	}
	if n := s.opened.Load(); n != 1 {
		t.Errorf("%d connections for 5 requests, want 1", n)
	}
}

// A connection the server closes while idle is found dead before reuse,
// or, when the check is skipped (idle less than aliveCheckAfter), the
// request is sent once more on a new connection.
func TestPeerConnServerClosesIdle(t *testing.T) {
	for _, check := range []bool{false, true} {
		s := newConnServer(t, okReply)
		if _, _, err := s.post(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.CloseClientConnections()
		if !waitFor(func() bool { return s.closed.Load() == 1 }) {
			t.Fatal("the server did not close its connection")
		}
		if check {
			s.pc.mu.Lock()
			s.pc.idleSince = time.Now().Add(-2 * aliveCheckAfter)
			s.pc.mu.Unlock()
		}
		if _, body, err := s.post(context.Background()); err != nil || body == "" {
			t.Errorf("check=%v: request after the close: %v", check, err)
		}
		if d := s.dials.Load(); d != 2 {
			t.Errorf("check=%v: %d dials, want 2", check, d)
		}
	}
}

// A request failing on a reused connection is sent once more, not twice;
// one failing on a new connection is not sent again.
func TestPeerConnRetriesOnce(t *testing.T) {
	var n atomic.Int64
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			okReply(w, r)
			return
		}
		c, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = c.Close()
		}
	})
	if _, _, err := s.post(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.post(context.Background())
	if err == nil {
		t.Fatal("no error from a server closing every connection")
	}
	if strings.Contains(err.Error(), "SECRETKEY") {
		t.Errorf("error shows the key: %v", err)
	}
	if d, r := s.dials.Load(), n.Load(); d != 2 || r != 3 {
		t.Errorf("%d dials, %d requests received; want 2 and 3 (one retry)", d, r)
	}
}

var errTestCause = errors.New("test cause")

func TestPeerConnCancelMidRead(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := newConnServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<response>")
		_ = http.NewResponseController(w).Flush()
		select { // the server sees the client's close as the request's end
		case <-release:
		case <-r.Context().Done():
		}
	})
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/api", strings.NewReader("x"))
	resp, err := s.pc.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	time.AfterFunc(100*time.Millisecond, func() { cancel(errTestCause) })
	start := time.Now()
	body, err := io.ReadAll(resp.Body)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("canceled read returned after %s", el)
	}
	if !errors.Is(err, errTestCause) || string(body) != "<response>" {
		t.Errorf("got %q, %v; want the start of the reply and the cause", body, err)
	}
	if !waitFor(func() bool { return s.closed.Load() == 1 }) {
		t.Error("the canceled connection was not closed")
	}
}

// stallingListener accepts connections and never answers.
func stallingListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = c.Close() })
		}
	}()
	return ln.Addr().String()
}

func TestPeerConnStalledHandshake(t *testing.T) {
	addr := stallingListener(t)
	pc := newPeerConn(&http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}, "127.0.0.1", addr)
	ctx, cancel := context.WithTimeoutCause(context.Background(), 200*time.Millisecond, errTestCause)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "https://"+addr+"/api", strings.NewReader("x"))
	start := time.Now()
	_, err := pc.RoundTrip(req) //nolint:bodyclose // no response
	if el := time.Since(start); err == nil || el > 2*time.Second || ctx.Err() == nil {
		t.Errorf("stalled handshake: %v after %s, ctx %v", err, el, ctx.Err())
	}

	pc.handshakeTimeout = 100 * time.Millisecond
	req, _ = http.NewRequest(http.MethodPost, "https://"+addr+"/api", strings.NewReader("x"))
	if _, err := pc.RoundTrip(req); !errors.Is(err, errHandshakeTimeout) { //nolint:bodyclose // no response
		t.Errorf("handshake past its timeout: %v, want %v", err, errHandshakeTimeout)
	}
}

func TestPeerConnRefusesUnknownCertificate(t *testing.T) {
	s := newConnServer(t, okReply)
	u, _ := url.Parse(s.URL)
	pc := newPeerConn(&http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}, u.Hostname(), u.Host)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api", strings.NewReader("x"))
	_, err := pc.RoundTrip(req) //nolint:bodyclose // no response
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("got %v, want an unknown authority error", err)
	}
}

func TestPeerConnIdleTimeoutAndClose(t *testing.T) {
	s := newConnServer(t, okReply)
	s.pc.idleTimeout = 100 * time.Millisecond
	if _, _, err := s.post(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !waitFor(func() bool { return s.closed.Load() == 1 }) {
		t.Fatal("the idle connection was not closed after the idle timeout")
	}
	if _, _, err := s.post(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := s.dials.Load(); d != 2 {
		t.Errorf("%d dials, want 2", d)
	}
	s.pc.idleTimeout = time.Hour
	if _, _, err := s.post(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.pc.CloseIdleConnections()
	if !waitFor(func() bool { return s.closed.Load() == 2 }) {
		t.Error("CloseIdleConnections left the connection open")
	}
}

// Between requests no goroutine runs for the connection.
func TestPeerConnLeavesNoGoroutine(t *testing.T) {
	s := newConnServer(t, okReply)
	if _, _, err := s.post(context.Background()); err != nil {
		t.Fatal(err)
	}
	base := runtime.NumGoroutine()
	for range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, _, err := s.post(ctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := waitGoroutines(base); n > base {
		t.Errorf("%d goroutines after 3 requests, %d before", n, base)
	}
	if s.opened.Load() != 1 {
		t.Errorf("%d connections", s.opened.Load())
	}
}

// waitGoroutines waits up to 3 s for the goroutine count to fall to want.
func waitGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 300 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

func TestPeerRoundTripperSelection(t *testing.T) {
	proxy, _ := url.Parse("http://proxy.example:3128")
	for _, c := range []struct {
		name   string
		base   *http.Transport
		viaNet bool
	}{
		{"no proxy", &http.Transport{}, false},
		{"proxy from an empty environment", &http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return nil, nil }}, false},
		{"proxy", &http.Transport{Proxy: http.ProxyURL(proxy)}, true},
		{"proxy error", &http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return nil, errors.New("bad proxy") }}, true},
		{"nil base", nil, false},
	} {
		rt := peerRoundTripper(c.base, "fw.example", "fw.example:443")
		if _, ok := rt.(*http.Transport); ok != c.viaNet {
			t.Errorf("%s: %T", c.name, rt)
		}
	}
}
