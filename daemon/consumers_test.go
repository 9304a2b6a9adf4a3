package daemon

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hawatch/hawatch/alerts"
	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// peer returns a peer that answers in the given HA state, or one that does
// not answer for StateUnknown.
func peer(name string, state probe.HAState) *probe.PeerStatus {
	if state == probe.StateUnknown {
		return &probe.PeerStatus{Name: name, Err: errors.New("dial tcp: connection refused")}
	}
	other := probe.StatePassive
	if state != probe.StateActive {
		other = probe.StateActive
	}
	return &probe.PeerStatus{Name: name, Up: true,
		HA: &probe.HAInfo{Enabled: true, Mode: "active-passive", LocalState: state, PeerState: other, PeerConnected: true,
			RunningSyncEnabled: true, ConfigSynchronized: true, StateSync: "Complete",
			Links: []probe.HALink{{Name: probe.LinkHA1, Up: true}, {Name: probe.LinkHA2, Up: true}}},
		Interfaces: &probe.Interfaces{Hardware: []probe.HardwareInterface{
			{Name: "ethernet1/1", Kind: probe.KindPhysical, Up: true, Role: probe.RoleDataPlane}}},
		Sessions: &probe.SessionInfo{Active: 100, Kbps: 800},
	}
}

// kinds are the states a test pair goes through: healthy, one peer down,
// both peers down, and both active (split).
var kinds = [][2]probe.HAState{
	{probe.StateActive, probe.StatePassive},
	{probe.StateActive, probe.StateUnknown},
	{probe.StateUnknown, probe.StateUnknown},
	{probe.StateActive, probe.StateActive},
}

// pairSnap returns snapshot seq of a pair in one of kinds.
func pairSnap(name string, kind int, seq uint64, end time.Time) *snapshot.Pair {
	k := kinds[kind]
	return &snapshot.Pair{Name: name, Seq: seq, Start: end.Add(-time.Second), End: end,
		Peers:   []*probe.PeerStatus{peer(name+"-a", k[0]), peer(name+"-b", k[1])},
		Traffic: snapshot.Traffic{Known: true, BytesPerSecond: 1e6},
		Config:  snapshot.PairInfo{PollInterval: 10 * time.Second}}
}

// newTestDaemon returns a daemon that is not running, with an in-memory
// journal.
func newTestDaemon(t testing.TB, opts Options) *Daemon {
	t.Helper()
	opts.Config = &config.Config{Shards: 1, AlertHoldScale: 1}
	d, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestMailboxKeepsTheLatestInArrivalOrder(t *testing.T) {
	m := newMailbox()
	a1, b1, a2 := pairSnap("a", 0, 1, time.Unix(1, 0)), pairSnap("b", 0, 1, time.Unix(1, 0)), pairSnap("a", 0, 2, time.Unix(2, 0))
	m.put(a1)
	m.put(b1)
	m.put(a2)
	if got := m.take(); len(got) != 2 || got[0] != a2 || got[1] != b1 {
		t.Errorf("took %v, want a's second snapshot then b's", got)
	}
	if got := m.take(); len(got) != 0 {
		t.Errorf("took %d snapshots from an emptied mailbox", len(got))
	}
	// A consumer that never comes does not hold the polls.
	for i := range 10000 {
		m.put(pairSnap(fmt.Sprint(i%100), 0, uint64(i), time.Unix(int64(i), 0)))
	}
	if got := m.take(); len(got) != 100 {
		t.Errorf("took %d snapshots, want the latest of each of 100 pairs", len(got))
	}
}

// TestPublishConcurrentPolls publishes the snapshots of many pairs from
// concurrent polls while the daemon's consumers run, and checks that the
// alerts and the journal end on each pair's latest snapshot: the alerts
// are those a fresh engine finds in it. Run with -race.
func TestPublishConcurrentPolls(t *testing.T) {
	const pairs, polls = 40, 25
	var mu sync.Mutex
	seen := map[string]*snapshot.Pair{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := newTestDaemon(t, Options{Listener: ln, OnSnapshot: func(s *snapshot.Pair) {
		mu.Lock()
		defer mu.Unlock()
		seen[s.Name] = s
	}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()

	last := make([]*snapshot.Pair, pairs)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("pair-%02d", i)
			for seq := range uint64(polls) {
				s := pairSnap(name, i%len(kinds), seq+1, start.Add(time.Duration(seq)*time.Millisecond))
				d.publish(s)
				last[i] = s
			}
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := 0
		for _, s := range last {
			if seen[s.Name] == s {
				n++
			}
		}
		mu.Unlock()
		if n == pairs {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the alerts consumer took the latest snapshot of %d of %d pairs", n, pairs)
		}
		time.Sleep(10 * time.Millisecond)
	}

	ref := alerts.NewManager(alerts.ManagerOptions{})
	for _, s := range last {
		ref.Update(s)
	}
	if got, want := alertIDs(d.alerts.Active()), alertIDs(ref.Active()); !slices.Equal(got, want) {
		t.Errorf("alerts after concurrent polls:\n got %v\nwant %v", got, want)
	}
	for _, s := range last {
		var all []alerts.Alert
		for _, a := range d.alerts.Active() {
			if a.Pair() == s.Name {
				all = append(all, a)
			}
		}
		if got, want := alertIDs(d.alerts.ActiveOf(s.Name)), alertIDs(all); !slices.Equal(got, want) {
			t.Errorf("pair %s: ActiveOf gives %v, Active %v", s.Name, got, want)
		}
	}
	if len(d.alerts.Active()) == 0 {
		t.Error("no alert at all: the test pairs should raise some")
	}
}

// alertIDs renders alerts as name{labels}:state, sorted.
func alertIDs(as []alerts.Alert) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, alertKey(a)+":"+a.State.String())
	}
	slices.Sort(out)
	return out
}

// TestTimelineWithPairAlerts checks that the journal records the same
// events from a pair's own alerts as it did from every pair's, over a
// random sequence of polls of many pairs as alerts fire and resolve.
func TestTimelineWithPairAlerts(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := alerts.NewManager(alerts.ManagerOptions{Now: func() time.Time { return now }})
	perPair, allPairs := newTimeline(nil), newTimeline(nil)
	rng := rand.New(rand.NewPCG(3, 4))
	kind := map[string]int{}
	events := 0
	for step := range 400 {
		now = now.Add(20 * time.Second)
		name := fmt.Sprintf("pair-%d", rng.IntN(12))
		if rng.IntN(4) == 0 {
			kind[name] = rng.IntN(len(kinds))
		}
		s := pairSnap(name, kind[name], uint64(step), now)
		m.Update(s)
		// record lists the alerts that fired or resolved in map order.
		got := sortEvents(perPair.record(s, m.ActiveOf(name)))
		want := sortEvents(allPairs.record(s, m.Active()))
		if !slices.EqualFunc(got, want, sameEvent) {
			t.Fatalf("step %d, %s: events from the pair's alerts %v, from all alerts %v", step, name, got, want)
		}
		for _, e := range got {
			if e.Kind == journal.KindAlert {
				events++
			}
		}
	}
	if events == 0 {
		t.Error("no alert fired or resolved: the sequence tests nothing")
	}
}

// sortEvents orders events by kind, subject and peer.
func sortEvents(es []journal.Event) []journal.Event {
	slices.SortFunc(es, func(a, b journal.Event) int {
		return strings.Compare(a.Kind+a.Subject+"\x00"+a.Peer, b.Kind+b.Subject+"\x00"+b.Peer)
	})
	return es
}

// sameEvent compares two events field by field.
func sameEvent(a, b journal.Event) bool {
	return a.Time.Equal(b.Time) && a.Pair == b.Pair && a.Peer == b.Peer && a.Kind == b.Kind &&
		a.Subject == b.Subject && a.Before == b.Before && a.After == b.After
}
