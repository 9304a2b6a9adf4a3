package probe_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// TestPanicInInitializeIsContained: pango's Initialize panics (slice
// bounds) on an empty or odd sw-version; the panic fails that peer's
// system command only, and the other peer keeps polling.
func TestPanicInInitializeIsContained(t *testing.T) {
	for _, version := range []string{"", "garbage"} {
		t.Run("sw-version "+version, func(t *testing.T) {
			bad := newFakePeer(t, func(f *fakePeer) { f.swVersion = version })
			good := newFakePeer(t, nil)
			var log syncBuffer
			pb := newFakeProber(t, fakeOpts(bad, "fw-bad", &log))
			pg := newFakeProber(t, fakeOpts(good, "fw-good", nil))
			for i := range 2 {
				st := pollWithin(pb, 10*time.Second)
				r, _ := st.Result(probe.CmdSystem)
				if !errors.Is(r.Err, probe.ErrPanic) || !strings.Contains(r.Err.Error(), "fw-bad") || !strings.Contains(r.Err.Error(), "system") {
					t.Fatalf("poll %d: system: %v, want ErrPanic naming the peer and the command", i, r.Err)
				}
				if st.Panics != 1 || st.Up {
					t.Errorf("poll %d: panics=%d up=%v, want 1, down", i, st.Panics, st.Up)
				}
				if st := pollWithin(pg, 10*time.Second); !st.Up || st.Panics != 0 {
					t.Fatalf("poll %d: the other peer: up=%v panics=%d err=%v", i, st.Up, st.Panics, st.Err)
				}
			}
			out := log.String()
			if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "recovered from a panic") ||
				!strings.Contains(out, "peer=fw-bad") || !strings.Contains(out, "goroutine ") {
				t.Errorf("panic not logged at error with the peer and the stack:\n%s", out)
			}
		})
	}
}

// TestConcurrentHostilePeers polls a healthy, a slow, a key-refusing and a
// panicking peer concurrently for a few seconds, each on its own schedule
// with short deadlines, as the scheduler does. Run with -race; it also
// checks that no peer ever has two requests in flight.
func TestConcurrentHostilePeers(t *testing.T) {
	peers := map[string]*fakePeer{
		"healthy": newFakePeer(t, nil),
		"slow":    newFakePeer(t, func(f *fakePeer) { f.delay = 400 * time.Millisecond }),
		"refused": newFakePeer(t, func(f *fakePeer) { f.refuseKey = true }),
		"panics":  newFakePeer(t, func(f *fakePeer) { f.swVersion = "garbage" }),
	}
	var wg sync.WaitGroup
	results := make(map[string][]*probe.PeerStatus)
	var mu sync.Mutex
	end := time.Now().Add(3 * time.Second)
	for name, f := range peers {
		p := newFakeProber(t, fakeOpts(f, name, &syncBuffer{}))
		wg.Go(func() {
			for time.Now().Before(end) {
				st := pollWithin(p, 250*time.Millisecond)
				mu.Lock()
				results[name] = append(results[name], st)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for name, f := range peers {
		if n := f.overlaps.Load(); n > 0 {
			t.Errorf("%s: %d requests sent while another was in flight", name, n)
		}
		sts := results[name]
		last := sts[len(sts)-1]
		t.Logf("%s: %d polls, %d requests, last: up=%v panics=%d", name, len(sts), f.requests.Load(), last.Up, last.Panics)
		switch name {
		case "healthy":
			if !last.Up {
				t.Errorf("healthy peer down: %v", last.Err)
			}
		case "slow":
			if last.Up || !errors.Is(last.Err, errPollDeadline) {
				t.Errorf("slow peer: up=%v err=%v", last.Up, last.Err)
			}
		case "refused":
			var apiErr *probe.APIError
			if last.Up || !errors.As(last.Err, &apiErr) || !apiErr.AuthFailed() {
				t.Errorf("refused peer: up=%v err=%v", last.Up, last.Err)
			}
		case "panics":
			if last.Panics != 1 {
				t.Errorf("panicking peer: panics=%d err=%v", last.Panics, last.Err)
			}
		}
	}
}
