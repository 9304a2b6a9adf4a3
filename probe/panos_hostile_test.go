package probe_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// heapPeak samples the heap while f runs and returns the highest HeapAlloc
// above the one before f, in MiB. It is reported, never asserted: the
// figure depends on the collector's timing.
func heapPeak(f func()) float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	return float64(peak-base) / (1 << 20)
}

// streamReply writes a reply of total bytes made of one element repeated,
// without holding it in memory, and counts what it could write.
func streamReply(total int64, written *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		chunk := []byte(strings.Repeat("<entry><name>ethernet1/1</name></entry>", 1700))
		_, _ = w.Write([]byte(`<response status="success"><result><ifnet>`))
		for n := int64(0); n < total; n += int64(len(chunk)) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			written.Add(int64(len(chunk)))
		}
	}
}

func TestHugeReplyIsBounded(t *testing.T) {
	var written atomic.Int64
	f := newFakePeer(t, func(f *fakePeer) {
		f.override = map[string]http.HandlerFunc{"<interface>": streamReply(200<<20, &written)}
	})
	p := newFakeProber(t, fakeOpts(f, "fw-a", nil))
	var st *probe.PeerStatus
	mib := heapPeak(func() { st = pollWithin(p, 30*time.Second) })
	r, _ := st.Result(probe.CmdInterfaces)
	if !errors.Is(r.Err, probe.ErrReplyTooLarge) || !strings.Contains(r.Err.Error(), fmt.Sprint(probe.DefaultMaxReplyBytes)) {
		t.Fatalf("interfaces: %v, want ErrReplyTooLarge naming the limit", r.Err)
	}
	if !st.Up || st.HA == nil {
		t.Errorf("the other commands failed too: up=%v err=%v", st.Up, st.Err)
	}
	// The server can write what the socket buffers hold past the limit,
	// not the 200 MB.
	if w := written.Load(); w > 64<<20 {
		t.Errorf("server wrote %d MiB: the reply was read past the limit", w>>20)
	}
	t.Logf("200 MB reply: peak heap +%.1f MiB, server wrote %.1f MiB, err: %v", mib, float64(written.Load())/(1<<20), r.Err)
}

func TestRedirectsAreRefused(t *testing.T) {
	var otherHits atomic.Int64
	count := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { otherHits.Add(1) })
	otherTLS := httptest.NewTLSServer(count)
	defer otherTLS.Close()
	otherPlain := httptest.NewServer(count)
	defer otherPlain.Close()
	for _, tc := range []struct {
		name string
		code int
		to   string
	}{
		{"307 to another host", http.StatusTemporaryRedirect, otherTLS.URL + "/api"},
		{"307 to http", http.StatusTemporaryRedirect, otherPlain.URL + "/api"},
		{"302", http.StatusFound, otherTLS.URL + "/api"},
		{"308 to the peer itself", http.StatusPermanentRedirect, "/api/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			otherHits.Store(0)
			f := newFakePeer(t, func(f *fakePeer) {
				f.override = map[string]http.HandlerFunc{"high-availability": func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, tc.to, tc.code)
				}}
			})
			opts := fakeOpts(f, "fw-a", nil)
			// Trust the other server too: only the redirect rule may stop it.
			opts.Transport.TLSClientConfig.RootCAs.AddCert(otherTLS.Certificate())
			st := pollWithin(newFakeProber(t, opts), 10*time.Second)
			r, _ := st.Result(probe.CmdHA)
			var he *probe.HTTPError
			if !errors.As(r.Err, &he) || he.StatusCode != tc.code || !strings.Contains(r.Err.Error(), fmt.Sprint(tc.code)) {
				t.Errorf("ha: %v, want an error naming %d", r.Err, tc.code)
			}
			if st.HA != nil {
				t.Error("a redirected reply was parsed")
			}
			if n := otherHits.Load(); n != 0 {
				t.Errorf("the redirect target received %d requests", n)
			}
			if n := f.requests.Load(); n != 5 {
				t.Errorf("peer received %d requests, want 5 (no request followed the redirect)", n)
			}
		})
	}
}

func TestNotXMLIsRefused(t *testing.T) {
	html := testdataFile("html-502-proxy.html")
	f := newFakePeer(t, func(f *fakePeer) {
		f.override = map[string]http.HandlerFunc{
			"<session>": func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadGateway)
				_, _ = w.Write([]byte(html))
			},
			// An HTML page with 200 and no content type: the body decides.
			"<system>": func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(html)) },
		}
	})
	st := pollWithin(newFakeProber(t, fakeOpts(f, "fw-a", nil)), 10*time.Second)
	r, _ := st.Result(probe.CmdSystem)
	if !errors.Is(r.Err, probe.ErrMalformed) || st.System != nil {
		t.Errorf("system from an html page: err=%v system=%+v", r.Err, st.System)
	}
	if st.Up {
		t.Error("up although system info failed on the first poll")
	}
	f.set(func(f *fakePeer) { delete(f.override, "<system>") })
	st = pollWithin(newFakeProber(t, fakeOpts(f, "fw-a", nil)), 10*time.Second)
	r, _ = st.Result(probe.CmdSessions)
	if !errors.Is(r.Err, probe.ErrMalformed) || !strings.Contains(r.Err.Error(), "502") {
		t.Errorf("sessions: %v, want ErrMalformed naming 502", r.Err)
	}
}

func TestDeepNestingIsRefused(t *testing.T) {
	const n = 1_000_000
	body := `<response status="success"><result>` + strings.Repeat("<a>", n) + strings.Repeat("</a>", n) + `</result></response>`
	f := newFakePeer(t, func(f *fakePeer) {
		f.override = map[string]http.HandlerFunc{"high-availability": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(body))
		}}
	})
	o := fakeOpts(f, "fw-a", nil)
	o.MaxReplyBytes = 16 << 20 // the 7 MB reply passes the byte limit: the depth check must stop it
	p := newFakeProber(t, o)
	var st *probe.PeerStatus
	start := time.Now()
	mib := heapPeak(func() { st = pollWithin(p, 30*time.Second) })
	el := time.Since(start)
	r, _ := st.Result(probe.CmdHA)
	if !errors.Is(r.Err, probe.ErrMalformed) || !strings.Contains(r.Err.Error(), "deeper than") {
		t.Fatalf("ha: %v, want ErrMalformed about depth", r.Err)
	}
	if el > 5*time.Second {
		t.Errorf("poll took %s", el)
	}
	t.Logf("%d nested elements (%.1f MB): poll %s, peak heap +%.1f MiB", n, float64(len(body))/1e6, el, mib)
}

// TestSlowPeerPastDeadline: the poll ends at its deadline with the
// deadline's cause, the request in flight is canceled (pango's own
// timeout is 10 s), and the next poll is not blocked.
func TestSlowPeerPastDeadline(t *testing.T) {
	f := newFakePeer(t, nil)
	p := newFakeProber(t, fakeOpts(f, "fw-a", nil))
	if st := pollWithin(p, 10*time.Second); !st.Up {
		t.Fatalf("first poll: %v", st.Err)
	}
	base := runtime.NumGoroutine()
	f.set(func(f *fakePeer) { f.delay = 8 * time.Second })
	start := time.Now()
	st := pollWithin(p, 300*time.Millisecond)
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("poll took %s", el)
	}
	if st.Up || !errors.Is(st.Err, errPollDeadline) {
		t.Errorf("up=%v err=%v, want the deadline's cause", st.Up, st.Err)
	}
	if n := probe.WaitGoroutines(base); n > base {
		t.Errorf("%d goroutines 3 s after the deadline, %d before the poll", n, base)
	}
	f.set(func(f *fakePeer) { f.delay = 0 })
	if st := pollWithin(p, 10*time.Second); !st.Up {
		t.Errorf("poll after the slow one: %v", st.Err)
	}
}
