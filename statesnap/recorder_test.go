package statesnap

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

var t0 = time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)

// pairAt is a poll of pair edge at t: active names the active peer (""
// for none), down the peer that did not answer.
func pairAt(t time.Time, active, down string, sessions uint64) *snapshot.Pair {
	peer := func(name string) *probe.PeerStatus {
		if name == down {
			return &probe.PeerStatus{Name: name, Err: errors.New("connection refused")}
		}
		st, other := probe.StatePassive, probe.StateActive
		if name == active {
			st, other = probe.StateActive, probe.StatePassive
		}
		return &probe.PeerStatus{
			Name: name, Up: true,
			HA: &probe.HAInfo{Enabled: true, Mode: "active-passive", LocalState: st, PeerState: other, PeerConnected: down == "",
				LocalVersions: probe.Versions{Build: "10.1.9", App: "8799-8509"}},
			Interfaces: &probe.Interfaces{Hardware: []probe.HardwareInterface{
				{Name: "ethernet1/2", Kind: probe.KindPhysical, Up: true, Role: probe.RoleDataPlane, State: "up"},
			}},
			Sessions: &probe.SessionInfo{Active: sessions},
		}
	}
	p := &snapshot.Pair{Name: "edge", Start: t, End: t, Peers: []*probe.PeerStatus{peer("fw-a"), peer("fw-b")}}
	p.HA = snapshot.BuildHA(p.Peers)
	return p
}

type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

func newTestRecorder(c *fakeClock, keepAuto int) (*Recorder, *MemStore, *[]string) {
	st := NewMemStore()
	var saved []string
	r := NewRecorder(RecorderOptions{
		Saver: st, Interval: 10 * time.Minute, AfterDelay: time.Minute, KeepAuto: keepAuto, Now: c.Now,
		OnSaved: func(s *Snapshot) { saved = append(saved, s.Name) },
	})
	return r, st, &saved
}

// observe feeds a poll and waits for the snapshot it may have started.
func observe(r *Recorder, p *snapshot.Pair, events ...journal.Event) {
	r.Observe(p, events)
	r.wg.Wait()
}

func TestRecorderBeforeAndAfterFailover(t *testing.T) {
	c := &fakeClock{now: t0}
	r, st, saved := newTestRecorder(c, 10)
	defer r.Stop()
	observe(r, pairAt(t0, "fw-a", "", 1800)) // rolling snapshot at t0
	c.now = t0.Add(5 * time.Minute)
	observe(r, pairAt(c.now, "fw-a", "", 1700)) // no new rolling one yet
	if len(*saved) != 0 || len(r.pairs["edge"].rolling) != 1 {
		t.Fatalf("saved %v, %d rolling snapshots; want none saved and one rolling", *saved, len(r.pairs["edge"].rolling))
	}
	c.now = t0.Add(6 * time.Minute)
	fo := journal.Event{Time: c.now, Pair: "edge", Kind: journal.KindFailover, Before: "fw-a", After: "fw-b",
		Message: "Failover: fw-b took over as the active peer from fw-a."}
	observe(r, pairAt(c.now, "fw-b", "fw-a", 1200), fo)
	base := "edge-failover-20260304T090600Z"
	if len(*saved) != 1 || (*saved)[0] != base+"-before" {
		t.Fatalf("saved %v, want the before snapshot", *saved)
	}
	before, err := st.Get(base + "-before")
	if err != nil {
		t.Fatal(err)
	}
	// The before is the rolling snapshot of t0: fw-a active, 1800 sessions.
	if before.HA.Active != "fw-a" || before.Peers[0].Sessions.Active != 1800 || before.Trigger != TriggerBefore ||
		before.Event == nil || before.Event.Kind != journal.KindFailover {
		t.Errorf("before = %+v", before)
	}
	// fw-a is still down: not back, no after.
	c.now = c.now.Add(5 * time.Minute)
	observe(r, pairAt(c.now, "fw-b", "fw-a", 1200))
	// Back, but not for AfterDelay yet.
	c.now = c.now.Add(time.Minute)
	observe(r, pairAt(c.now, "fw-b", "", 1300))
	if len(*saved) != 1 {
		t.Fatalf("after taken before the pair settled: %v", *saved)
	}
	c.now = c.now.Add(time.Minute)
	observe(r, pairAt(c.now, "fw-b", "", 1400))
	if len(*saved) != 2 || (*saved)[1] != base+"-after" {
		t.Fatalf("saved %v, want the after snapshot", *saved)
	}
	after, _ := st.Get(base + "-after")
	if after.HA.Active != "fw-b" || after.Trigger != TriggerAfter || after.Event == nil {
		t.Errorf("after = %+v", after)
	}
	// Without a fetch the on-demand parts are unknown, not empty.
	if ok, _ := after.Peers[0].known(PartRoutes); ok {
		t.Error("routes known without a fetch")
	}
	if !strings.Contains(after.String(), "(after: Failover: fw-b took over") {
		t.Errorf("timeline text %q", after.String())
	}
	// The episode is closed: polls go back to rolling snapshots.
	if r.pairs["edge"].episode != nil {
		t.Error("episode still open")
	}
}

func TestRecorderRetention(t *testing.T) {
	c := &fakeClock{now: t0}
	r, st, _ := newTestRecorder(c, 2)
	defer r.Stop()
	observe(r, pairAt(t0, "fw-a", "", 100))
	active := "fw-a"
	for range 3 {
		c.now = c.now.Add(time.Minute)
		next := map[string]string{"fw-a": "fw-b", "fw-b": "fw-a"}[active]
		observe(r, pairAt(c.now, next, "", 100), journal.Event{Time: c.now, Pair: "edge", Kind: journal.KindFailover, Message: "Failover."})
		active = next
		for range 3 { // settle, then the after
			c.now = c.now.Add(time.Minute)
			observe(r, pairAt(c.now, active, "", 100))
		}
	}
	infos, _, _ := st.List()
	if len(infos) != 2 {
		t.Fatalf("kept %d automatic snapshots, want 2: %+v", len(infos), infos)
	}
	// The newest episode is kept whole.
	for _, in := range infos {
		if !strings.HasPrefix(in.Name, "edge-failover-20260304T090900Z-") {
			t.Errorf("kept %s, want only the snapshots of the failover at 09:09", in.Name)
		}
	}
}

func TestRecorderRebootEpisodeName(t *testing.T) {
	e := journal.Event{Time: t0, Pair: "edge", Peer: "fw-b", Kind: journal.KindPeerReachability, Before: "up", After: "down"}
	if !startsEpisode(e) || episodeBase("edge", e) != "edge-fw-b-down-20260304T090000Z" {
		t.Errorf("episode %v %q", startsEpisode(e), episodeBase("edge", e))
	}
	if startsEpisode(journal.Event{Kind: journal.KindPeerReachability, After: "up"}) {
		t.Error("a peer coming back starts an episode")
	}
	if got := safeName("../a b/c"); got != "a_b_c" {
		t.Errorf("safeName = %q", got)
	}
}

// A daemon starting on many pairs spreads their first rolling snapshots
// over FirstWithin instead of taking them all at the first poll.
func TestRecorderSpreadsFirstSnapshots(t *testing.T) {
	c := &fakeClock{now: t0}
	r, _, _ := newTestRecorder(c, 10)
	r.opts.FirstWithin = 2 * time.Minute
	defer r.Stop()
	const pairs = 40
	took := func() int {
		n := 0
		for _, pr := range r.pairs {
			n += len(pr.rolling)
		}
		return n
	}
	poll := func() {
		for i := range pairs {
			p := pairAt(c.now, "fw-a", "", 1000)
			p.Name = fmt.Sprintf("pair-%02d", i)
			observe(r, p)
		}
	}
	poll()
	if n := took(); n > pairs/4 {
		t.Errorf("%d of %d pairs took their first snapshot at the first poll", n, pairs)
	}
	for c.now.Sub(t0) < 2*time.Minute {
		c.now = c.now.Add(10 * time.Second)
		poll()
	}
	if n := took(); n != pairs {
		t.Errorf("%d of %d pairs have a rolling snapshot after FirstWithin", n, pairs)
	}
}
