package daemon

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/journal"
)

// testDaemon is a daemon without pairs serving HTTP on a local port.
type testDaemon struct {
	*Daemon
	url     string
	addr    string
	reloads atomic.Int32
}

// smallBuffers makes the kernel hold little of a reply for a client, so
// that a client that does not read blocks the handler at once.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

func startDaemon(t *testing.T, web config.WebConfig) *testDaemon {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{Shards: 1, AlertHoldScale: 1, Web: web}
	td := &testDaemon{addr: ln.Addr().String(), url: "http://" + ln.Addr().String()}
	d, err := New(Options{
		Config:   cfg,
		Listener: smallBuffers{ln},
		Reload: func() (*config.Config, error) {
			td.reloads.Add(1)
			return cfg, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	td.Daemon = d
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return td
}

// fillJournal appends n events of about 250 bytes each as JSON.
func fillJournal(t *testing.T, j *journal.Journal, n int) {
	t.Helper()
	events := make([]journal.Event, n)
	start := time.Now().Add(-time.Hour)
	for i := range events {
		events[i] = journal.Event{
			Time: start.Add(time.Duration(i) * time.Millisecond), Pair: "edge", Peer: "fw-a",
			Kind: journal.KindInterface, Subject: fmt.Sprintf("ethernet1/%d", i), Before: "up", After: "down",
			Message: fmt.Sprintf("Data-plane interface ethernet1/%d of fw-a went down; %s", i, strings.Repeat("x", 100)),
		}
	}
	if err := j.Append(events...); err != nil {
		t.Fatal(err)
	}
}

// liveHeap returns the bytes of live heap objects.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// waitFor polls cond until it holds or d passes, and returns how long it
// took.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// TestClientsThatDoNotRead: 200 clients ask for a page of 1000 events of a
// 100,000-event journal and never read. Every handler blocks in its write,
// holding its page and nothing more, until the write timeout ends it.
func TestClientsThatDoNotRead(t *testing.T) {
	const clients, writeTimeout = 200, time.Second
	d := startDaemon(t, config.WebConfig{WriteTimeout: writeTimeout, MaxAPIRequests: clients})
	fillJournal(t, d.journal, journal.DefaultMaxEvents)
	base, heap0 := runtime.NumGoroutine(), liveHeap()

	conns := make([]net.Conn, clients)
	for i := range conns {
		c, err := net.Dial("tcp", d.addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.(*net.TCPConn).SetReadBuffer(4096)
		t.Cleanup(func() { _ = c.Close() })
		if _, err := io.WriteString(c, "GET /api/v1/events?limit=1000 HTTP/1.1\r\nHost: hawatch\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	sent := time.Now()
	// Each connection has a goroutine serving it, stuck writing; the idle
	// timeout (1 min) is far, so only the write timeout ends them.
	waitFor(t, writeTimeout/2, "handlers blocked", func() bool { return runtime.NumGoroutine() >= base+clients })
	heap := liveHeap() - heap0
	t.Logf("%d handlers blocked: live heap grew by %.1f MiB (%.0f KiB each)", clients, float64(heap)/(1<<20), float64(heap)/clients/1024)
	if heap > 64<<20 {
		t.Errorf("live heap grew by %d MiB with %d blocked clients, want under 64", heap>>20, clients)
	}
	waitFor(t, writeTimeout+3*time.Second, "handlers ended", func() bool { return runtime.NumGoroutine() <= base+5 })
	t.Logf("all handlers ended %s after the requests (write timeout %s)", time.Since(sent).Round(10*time.Millisecond), writeTimeout)
	if took := time.Since(sent); took > writeTimeout+2*time.Second {
		t.Errorf("handlers ended after %s, write timeout %s", took, writeTimeout)
	}
	// The server cut the replies short and closed the connections: what the
	// kernel held drains, then the stream ends.
	_ = conns[0].SetReadDeadline(time.Now().Add(2 * time.Second))
	n, err := io.Copy(io.Discard, conns[0])
	if isTimeout(err) {
		t.Errorf("connection still open after the write timeout: %v", err)
	}
	resp, err := http.Get(d.url + "/api/v1/events?limit=1000")
	if err != nil {
		t.Fatal(err)
	}
	full, _ := io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	t.Logf("a client that did not read got %d bytes of a %d-byte page", n, full)
	if n >= full {
		t.Errorf("the client that did not read got the whole page (%d bytes): its handler never blocked", n)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// TestIdleConnectionsClosed: keep-alive connections that send nothing
// after their reply are closed after the idle timeout.
func TestIdleConnectionsClosed(t *testing.T) {
	const conns, idle = 50, 500 * time.Millisecond
	d := startDaemon(t, config.WebConfig{IdleTimeout: idle})
	closed := make(chan time.Duration, conns)
	for range conns {
		c, err := net.Dial("tcp", d.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		if _, err := io.WriteString(c, "GET /-/healthy HTTP/1.1\r\nHost: hawatch\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("healthy: %s, close %v", resp.Status, resp.Close)
		}
		answered := time.Now()
		go func() {
			_ = c.SetReadDeadline(time.Now().Add(idle + 3*time.Second))
			_, err := br.ReadByte()
			if isTimeout(err) {
				closed <- -1
				return
			}
			closed <- time.Since(answered)
		}()
	}
	var longest time.Duration
	for range conns {
		took := <-closed
		if took < 0 {
			t.Fatalf("an idle connection was still open %s after its reply", idle+3*time.Second)
		}
		if took < idle/2 {
			t.Errorf("an idle connection was closed after %s, before the idle timeout %s", took, idle)
		}
		longest = max(longest, took)
	}
	t.Logf("%d idle connections closed at most %s after their reply (idle timeout %s)", conns, longest.Round(time.Millisecond), idle)
}

// TestServerLimits: the server built from the defaults bounds every phase.
func TestServerLimits(t *testing.T) {
	s := newServer(http.NotFoundHandler(), config.WebConfig{})
	if s.ReadHeaderTimeout != 10*time.Second || s.ReadTimeout != 30*time.Second || s.WriteTimeout != time.Minute ||
		s.IdleTimeout != time.Minute || s.MaxHeaderBytes != 64<<10 {
		t.Errorf("server limits %+v", s)
	}
	if s := newServer(http.NotFoundHandler(), config.WebConfig{ReadTimeout: 3 * time.Second}); s.ReadHeaderTimeout != 3*time.Second {
		t.Errorf("header timeout %s longer than the read timeout", s.ReadHeaderTimeout)
	}
}
