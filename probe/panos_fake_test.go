package probe_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	stdlog "log"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

const fakeKey = "LUFRPT1FIXTUREFIXTUREFIXTURE=="

// fakePeer is a PAN-OS XML API over TLS answering from testdata. Its
// fields change how it answers; change them with set once it runs.
type fakePeer struct {
	*httptest.Server
	mu        sync.Mutex
	swVersion string        // sw-version in system info
	delay     time.Duration // before every op reply
	refuseKey bool          // answer every op with PAN-OS's 403
	refusePW  bool          // answer keygen with PAN-OS's 403
	keygens   atomic.Int64
	// override, when set, answers the op commands whose cmd contains its
	// key instead of testdata.
	override map[string]http.HandlerFunc

	requests atomic.Int64
	conns    atomic.Int64 // connections accepted
	inFlight atomic.Int64
	overlaps atomic.Int64 // requests that ran while another one was still in flight
}

func newFakePeer(t testing.TB, configure func(*fakePeer)) *fakePeer {
	t.Helper()
	f := &fakePeer{swVersion: "10.1.12"}
	if configure != nil {
		configure(f)
	}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.Config.ErrorLog = stdlog.New(io.Discard, "", 0) // refused handshakes are expected
	f.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			f.conns.Add(1)
		}
	}
	f.StartTLS()
	t.Cleanup(f.Close)
	return f
}

func (f *fakePeer) serve(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	f.noteOverlap(f.inFlight.Add(1))
	defer f.inFlight.Add(-1)
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if r.Form.Get("type") == "keygen" {
		f.keygens.Add(1)
		f.mu.Lock()
		refusePW := f.refusePW
		f.mu.Unlock()
		if refusePW {
			f.xml(w, http.StatusForbidden, `<response status = 'error' code = '403'><result><msg>Invalid Credential</msg></result></response>`)
			return
		}
		f.xml(w, http.StatusOK, testdataFile("keygen.xml"))
		return
	}
	f.mu.Lock()
	delay, refuse, version, override := f.delay, f.refuseKey, f.swVersion, maps.Clone(f.override)
	f.mu.Unlock()
	select {
	case <-time.After(delay):
	case <-r.Context().Done():
		return
	}
	if refuse {
		f.xml(w, http.StatusForbidden, `<response status = 'error' code = '403'><result><msg>Invalid Credential</msg></result></response>`)
		return
	}
	cmd := r.Form.Get("cmd")
	for k, h := range override {
		if strings.Contains(cmd, k) {
			h(w, r)
			return
		}
	}
	switch {
	case strings.Contains(cmd, "<system>"):
		body := strings.Replace(testdataFile("system-info.xml"), "<sw-version>9.1.16</sw-version>", "<sw-version>"+version+"</sw-version>", 1)
		f.xml(w, http.StatusOK, body)
	case strings.Contains(cmd, "high-availability"):
		f.xml(w, http.StatusOK, testdataFile("ha-all-active.xml"))
	case strings.Contains(cmd, "<counter>"):
		f.xml(w, http.StatusOK, testdataFile("counter-interface-all.xml"))
	case strings.Contains(cmd, "<interface>"):
		f.xml(w, http.StatusOK, testdataFile("interface-all.xml"))
	case strings.Contains(cmd, "<session>"):
		f.xml(w, http.StatusOK, testdataFile("session-info.xml"))
	default:
		f.xml(w, http.StatusOK, `<response status="error" code="17"><msg>unknown command</msg></response>`)
	}
}

// set changes how f answers.
func (f *fakePeer) set(change func(*fakePeer)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

// noteOverlap counts a request that arrives while another is in flight.
// The server learns that a client abandoned a request only when it reads
// the closed connection, a little after the client sent its next request
// on a new one: an overlap counts when the other request is still there
// 100 ms later, which an abandoned (closed) one is not.
func (f *fakePeer) noteOverlap(n int64) {
	for i := 0; n > 1 && i < 10; i++ {
		time.Sleep(10 * time.Millisecond)
		n = f.inFlight.Load()
	}
	if n > 1 {
		f.overlaps.Add(1)
	}
}

func (f *fakePeer) xml(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

func testdataFile(name string) string {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// fakeOpts returns the options of a prober of f: the real pango client, a
// transport trusting f's certificate, and a log into buf.
func fakeOpts(f *fakePeer, name string, buf *syncBuffer) probe.PANOSPeerOptions {
	var log *slog.Logger
	if buf != nil {
		log = slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return probe.PANOSPeerOptions{
		Name: name, Address: f.Listener.Addr().String(),
		Credentials: probe.Credentials{APIKey: fakeKey, Username: "admin", Password: "pw"},
		Transport:   f.Client().Transport.(*http.Transport).Clone(),
		Timeout:     10 * time.Second, SystemInfoInterval: time.Hour, Logger: log,
	}
}

func newFakeProber(t testing.TB, o probe.PANOSPeerOptions) *probe.PANOSPeer {
	t.Helper()
	p, err := probe.NewPANOSPeer(o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pollWithin polls p with a deadline whose cause names the test.
func pollWithin(p *probe.PANOSPeer, d time.Duration) *probe.PeerStatus {
	ctx, cancel := context.WithTimeoutCause(context.Background(), d, errPollDeadline)
	defer cancel()
	return p.Poll(ctx)
}

var errPollDeadline = errors.New("test poll deadline")

// syncBuffer is a bytes.Buffer safe for a logger used from several
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
