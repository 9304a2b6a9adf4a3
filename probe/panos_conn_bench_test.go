package probe

import (
	"context"
	"io"
	stdlog "log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"testing"
	"time"
)

// BenchmarkPeersKeptAlive opens 500 peers to one in-process TLS server,
// sends one request from each and leaves its connection kept alive, then
// reports the heap in use and the goroutines per peer: net/http's
// Transport (the path of a peer behind a proxy) against peerConn. The
// server's share is the same in both.
//
//	go test -run '^$' -bench PeersKeptAlive -benchtime 1x ./probe/
func BenchmarkPeersKeptAlive(b *testing.B) {
	const peers = 500
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "<response status='success'><result/></response>")
	}))
	s.Config.ErrorLog = stdlog.New(io.Discard, "", 0)
	s.StartTLS()
	defer s.Close()
	u, err := url.Parse(s.URL)
	if err != nil {
		b.Fatal(err)
	}
	base := s.Client().Transport.(*http.Transport).Clone()
	base.TLSHandshakeTimeout, base.IdleConnTimeout = 10*time.Second, 90*time.Second
	for _, c := range []struct {
		name  string
		inner func() innerRT
	}{
		{"net-http", func() innerRT { return pinnedClone(base, u.Host) }},
		{"peerconn", func() innerRT { return newPeerConn(base, u.Hostname(), u.Host) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				heap, stack, goroutines := keptAlive(b, s.URL, u.Host, peers, c.inner)
				b.ReportMetric(heap/peers, "heap-B/peer")
				b.ReportMetric(stack/peers, "stack-B/peer")
				b.ReportMetric(goroutines/peers, "goroutines/peer")
			}
		})
	}
}

// keptAlive returns the growth of the heap and stacks in use and of the
// goroutine count once n peers made one request each and kept their
// connection.
func keptAlive(b *testing.B, serverURL, addr string, n int, inner func() innerRT) (heap, stack, goroutines float64) {
	b.Helper()
	before, g0 := inUse(), runtime.NumGoroutine()
	rts := make([]*boundedRT, n)
	for i := range rts {
		rts[i] = &boundedRT{addr: addr, lim: replyLimits{maxBytes: 1 << 20, xml: XMLLimits{}.withDefaults()}, inner: inner()}
		buf, err := rts[i].post(context.Background(), serverURL+"/api", url.Values{"type": {"op"}}.Encode())
		if err != nil {
			b.Fatal(err)
		}
		putReplyBuf(buf)
	}
	time.Sleep(100 * time.Millisecond) // let both ends settle in their idle state
	after, g1 := inUse(), runtime.NumGoroutine()
	for _, rt := range rts {
		rt.inner.CloseIdleConnections()
	}
	waitGoroutines(g0)
	return float64(after.HeapInuse) - float64(before.HeapInuse),
		float64(after.StackInuse) - float64(before.StackInuse), float64(g1 - g0)
}

func inUse() runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}
