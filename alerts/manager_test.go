package alerts

import (
	"bytes"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// recorder is a Sender that keeps what it is given.
type recorder struct {
	mu   sync.Mutex
	sent []Alert
}

// Send records the alerts.
func (r *recorder) Send(as ...Alert) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, as...)
}

// take returns and clears the recorded alerts' IDs.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := alertIDs(r.sent)
	r.sent = nil
	return ids
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func TestManagerSendsAndResolvesRemovedPairs(t *testing.T) {
	rec, clock := &recorder{}, &fakeClock{now: t0}
	var logs bytes.Buffer
	m := NewManager(ManagerOptions{Sender: rec, Now: clock.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	blind := mkPair(downPeer("a"), downPeer("b"))
	other := mkPair(okPeer("a", probe.StateActive), okPeer("b", probe.StateSuspended))
	other.Name = "p2"
	m.Update(blind)
	m.Update(other)
	clock.Set(at(2 * time.Minute))
	m.Update(blind)
	m.Update(other)
	want := []string{
		"HAMonitoringBlind{severity=critical}:firing",
		"HAPeerSuspended{peer=b,severity=warning}:firing",
	}
	if got := rec.take(); !slices.Equal(got, want) {
		t.Fatalf("sent %q, want %q", got, want)
	}
	if got := alertIDs(m.Active()); !slices.Equal(got, want) {
		t.Fatalf("active %q", got)
	}
	// p1 leaves the configuration: its alerts resolve and are sent.
	clock.Set(at(3 * time.Minute))
	m.SetPairs([]string{"p2"})
	want = []string{
		"HAMonitoringBlind{severity=critical}:inactive",
	}
	if got := rec.take(); !slices.Equal(got, want) {
		t.Fatalf("sent on removal %q, want %q", got, want)
	}
	if got := alertIDs(m.Active()); !slices.Equal(got, []string{"HAPeerSuspended{peer=b,severity=warning}:firing"}) {
		t.Fatalf("active after removal %q", got)
	}
	for _, s := range []string{`msg="alert firing" alert=HAMonitoringBlind`, `msg="alert resolved" alert=HAMonitoringBlind`} {
		if !strings.Contains(logs.String(), s) {
			t.Errorf("log lacks %q:\n%s", s, logs.String())
		}
	}
}

func TestManagerConcurrentUse(t *testing.T) {
	rec := &recorder{}
	m := NewManager(ManagerOptions{Sender: rec})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				var p *snapshot.Pair
				if j%2 == 0 {
					p = mkPair(downPeer("a"), okPeer("b", probe.StatePassive))
				} else {
					p = healthy()
				}
				p.Name = fmt.Sprintf("p%d", i%3)
				m.Update(p)
				_ = m.Active()
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			m.SetPairs([]string{"p0", "p1", "p2"})
			testutil.CollectAndCount(m.Collector())
		}
	})
	wg.Wait()
	if got := m.engine.Pairs(); !slices.Equal(got, []string{"p0", "p1", "p2"}) {
		t.Errorf("pairs %q", got)
	}
}
