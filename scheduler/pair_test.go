package scheduler

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// fakePeer answers polls from a function.
type fakePeer struct {
	poll  func(ctx context.Context) *probe.PeerStatus
	calls atomic.Int32
}

func (f *fakePeer) Poll(ctx context.Context) *probe.PeerStatus {
	f.calls.Add(1)
	return f.poll(ctx)
}

func peerIn(name string, state probe.HAState) *fakePeer {
	return &fakePeer{poll: func(context.Context) *probe.PeerStatus {
		return &probe.PeerStatus{
			Name: name, Up: true,
			HA: &probe.HAInfo{Enabled: true, LocalState: state},
			Results: []probe.CommandResult{
				{Command: probe.CmdHA, Requests: 1},
				{Command: probe.CmdSessions, Requests: 1, Err: errors.New("boom")},
			},
		}
	}}
}

func pairConfig() config.PairConfig {
	return config.PairConfig{Name: "edge", PollInterval: time.Hour, PollTimeout: 50 * time.Millisecond}
}

// TestTickSkippedWhilePolling: a tick that finds the previous poll still
// running does not start another one; it is counted.
func TestTickSkippedWhilePolling(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	slow := &fakePeer{poll: func(context.Context) *probe.PeerStatus {
		started <- struct{}{}
		<-release
		return &probe.PeerStatus{Name: "a"}
	}}
	w := NewPairWatcher(WatcherOptions{Config: pairConfig(), Peers: []PeerProber{slow}})
	var wg sync.WaitGroup
	w.tryPoll(context.Background(), &wg, time.Now())
	<-started
	w.tryPoll(context.Background(), &wg, time.Now())
	w.tryPoll(context.Background(), &wg, time.Now())
	close(release)
	wg.Wait()
	if n := slow.calls.Load(); n != 1 {
		t.Errorf("peer polled %d times, want 1", n)
	}
	w.tryPoll(context.Background(), &wg, time.Now())
	<-started
	wg.Wait()
	snap := w.Current()
	if snap.Stats.Skipped != 2 || snap.Stats.Polls != 2 {
		t.Errorf("skipped %d polls %d, want 2 and 2", snap.Stats.Skipped, snap.Stats.Polls)
	}
}

// TestPollDeadlineCause: a peer that does not answer is given up at the
// poll timeout, and the cause names the pair and the timeout.
func TestPollDeadlineCause(t *testing.T) {
	hung := &fakePeer{poll: func(ctx context.Context) *probe.PeerStatus {
		<-ctx.Done()
		return &probe.PeerStatus{Name: "a", Err: context.Cause(ctx)}
	}}
	w := NewPairWatcher(WatcherOptions{Config: pairConfig(), Peers: []PeerProber{hung, peerIn("b", probe.StatePassive)}})
	snap := w.PollOnce(context.Background())
	err := snap.Peers[0].Err
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "pair edge") {
		t.Errorf("err = %v, want a deadline naming the pair", err)
	}
	if snap.Success() {
		t.Error("a poll with a hung peer counted as a success")
	}
}

// TestSnapshotsAreImmutable: the counters in a published snapshot do not
// move when later polls count more.
func TestSnapshotsAreImmutable(t *testing.T) {
	var got []*snapshot.Pair
	w := NewPairWatcher(WatcherOptions{
		Config:  pairConfig(),
		Peers:   []PeerProber{peerIn("a", probe.StateActive), peerIn("b", probe.StatePassive)},
		Publish: func(p *snapshot.Pair) { got = append(got, p) },
	})
	first := w.PollOnce(context.Background())
	w.PollOnce(context.Background())
	if len(got) != 2 || got[0] != first {
		t.Fatalf("published %d snapshots", len(got))
	}
	if n := first.Stats.APIRequests["a"][probe.CmdHA]; n != 1 {
		t.Errorf("first snapshot's ha requests changed to %d", n)
	}
	if n := got[1].Stats.APIFailures["b"][probe.CmdSessions]; n != 2 {
		t.Errorf("session failures = %d, want 2", n)
	}
	if first.Stats.Failed != 1 || got[1].Seq != 2 {
		t.Errorf("failed %d seq %d", first.Stats.Failed, got[1].Seq)
	}
}

// TestFailoverStartsGrace: a change of active peer is remembered, so AWS
// checks get their grace period.
func TestFailoverStartsGrace(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	state := probe.StateActive
	a := &fakePeer{poll: func(context.Context) *probe.PeerStatus {
		return &probe.PeerStatus{Name: "a", Up: true, HA: &probe.HAInfo{Enabled: true, LocalState: state}}
	}}
	other := func() probe.HAState {
		if state == probe.StateActive {
			return probe.StatePassive
		}
		return probe.StateActive
	}
	b := &fakePeer{poll: func(context.Context) *probe.PeerStatus {
		return &probe.PeerStatus{Name: "b", Up: true, HA: &probe.HAInfo{Enabled: true, LocalState: other()}}
	}}
	w := NewPairWatcher(WatcherOptions{Config: pairConfig(), Peers: []PeerProber{a, b}, Now: func() time.Time { return now }})
	w.PollOnce(context.Background())
	if !w.lastFailover.IsZero() {
		t.Fatal("failover recorded on the first poll")
	}
	now = now.Add(time.Minute)
	state = probe.StateSuspended
	w.PollOnce(context.Background())
	if !w.lastFailover.Equal(now) || w.lastActive != "b" {
		t.Errorf("last failover %v active %q, want %v and b", w.lastFailover, w.lastActive, now)
	}
}

// TestApplyKeepsUnchangedPairs: a reload that does not change a pair keeps
// its watcher; a changed pair gets a new one; a removed pair stops.
func TestApplyKeepsUnchangedPairs(t *testing.T) {
	pc := func(name, addr string) config.PairConfig {
		return config.PairConfig{
			Name: name, PollInterval: time.Hour, PollTimeout: 100 * time.Millisecond,
			Peers: [2]config.PeerConfig{{Name: "a", Address: addr}, {Name: "b", Address: "127.0.0.1:2"}},
			PANOS: config.PANOSConfig{APIKey: "k"},
		}
	}
	s := New(Options{})
	defer s.Stop()
	ctx := context.Background()
	if err := s.Apply(ctx, []config.PairConfig{pc("one", "127.0.0.1:1"), pc("two", "127.0.0.1:1")}); err != nil {
		t.Fatal(err)
	}
	one, two := s.running["one"].w, s.running["two"].w
	if err := s.Apply(ctx, []config.PairConfig{pc("one", "127.0.0.1:1"), pc("two", "127.0.0.1:3")}); err != nil {
		t.Fatal(err)
	}
	if s.running["one"].w != one || s.running["two"].w == two {
		t.Error("unchanged pair restarted or changed pair kept")
	}
	if err := s.Apply(ctx, []config.PairConfig{pc("two", "127.0.0.1:3")}); err != nil {
		t.Fatal(err)
	}
	if got := s.Pairs(); len(got) != 1 || got[0] != "two" {
		t.Errorf("pairs after removal: %v", got)
	}
}
