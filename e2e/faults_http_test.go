package e2e

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/journal"
)

// httpRows are the faults of hawatch's own HTTP surface.
func httpRows() []faultRow {
	return []faultRow{{"16 200 clients that never read the events API", rowGreedyClients}}
}

// rowGreedyClients opens 200 connections that ask for the largest page of
// a 30,000-event timeline and never read the reply. The write timeout and
// the cap on concurrent API requests must keep hawatch's memory bounded and
// its polls on time; the connections end within the write timeout.
func rowGreedyClients(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{env: func(fx *fixture, env map[string]string) {
		writeJournal(t, env["HAWATCH_DATA_DIR"], 30000)
		env["HAWATCH_WEB_WRITE_TIMEOUT"] = "2s"
	}})
	polls := func() float64 { v, _ := fx.d.gauge(t, `hawatch_polls_total{pair="edge"}`); return v }
	skipped := func() float64 { v, _ := fx.d.gauge(t, `hawatch_polls_skipped_total{pair="edge"}`); return v }
	p0, s0 := polls(), skipped()
	addr := strings.TrimPrefix(fx.d.URL, "http://")
	var conns []net.Conn
	for range 200 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.(*net.TCPConn).SetReadBuffer(1024)
		fmt.Fprintf(c, "GET /api/v1/events?limit=1000 HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", addr)
		conns = append(conns, c)
	}
	time.Sleep(8 * time.Second)
	fx.alive(t)
	for _, p := range []string{"fw-a", "fw-b"} {
		if v, _ := fx.d.gauge(t, peerUp(p)); v != 1 {
			t.Errorf("%s reported down while clients hold the API", p)
		}
	}
	done := polls() - p0
	if done < 6 {
		t.Errorf("%v polls in 8 s at a 1 s interval: polls fell behind", done)
	}
	if n := skipped() - s0; n != 0 {
		t.Errorf("%v polls skipped while clients hold the API", n)
	}
	// The stalled handlers end at the write timeout and the refused ones
	// after their 503, so hawatch's goroutines and open files come back
	// while the clients still hold their ends (the kernel may still be
	// delivering what was written before the timeout).
	fx.note("%v polls in 8 s with 200 clients holding the API", done)
	fx.finish(t, 64)
	for _, c := range conns {
		_ = c.Close()
	}
}

// writeJournal writes n events of pair edge into dir's timeline file.
func writeJournal(t *testing.T, dir string, n int) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, journal.FileName))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	start := time.Now().Add(-time.Duration(n) * time.Second)
	for i := range n {
		fmt.Fprintf(w, `{"time":%q,"pair":"edge","peer":"fw-a","kind":"interface","subject":"ethernet1/2","before":"up","after":"down","message":"Data-plane interface ethernet1/2 of fw-a went down (event %d of a long night)."}`+"\n",
			start.Add(time.Duration(i)*time.Second).UTC().Format(time.RFC3339Nano), i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
