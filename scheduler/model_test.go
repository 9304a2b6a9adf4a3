package scheduler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// TestFlowedBeforeSeedsTheFirstPoll: a pair known from the journal to have
// forwarded traffic starts with EverFlowed, so that a pair found stopped
// after a restart is down, not idle; the seed is asked once.
func TestFlowedBeforeSeedsTheFirstPoll(t *testing.T) {
	asked := 0
	w := NewPairWatcher(WatcherOptions{
		Config: pairConfig(), Peers: []PeerProber{peerIn("a", probe.StateActive), peerIn("b", probe.StatePassive)},
		FlowedBefore: func(pair string) bool {
			asked++
			return pair == "edge"
		},
	})
	w.PollOnce(context.Background())
	w.PollOnce(context.Background())
	if got := w.Current(); !got.Traffic.EverFlowed || asked != 1 {
		t.Errorf("ever flowed %v after %d questions, want true after 1", got.Traffic.EverFlowed, asked)
	}
	fresh := NewPairWatcher(WatcherOptions{Config: pairConfig(), Peers: []PeerProber{peerIn("a", probe.StateActive)}})
	fresh.PollOnce(context.Background())
	if fresh.Current().Traffic.EverFlowed {
		t.Error("a pair never seen flowing must not count as having flowed")
	}
}

// TestUnrecognizedLoggedOnce: an HA value hawatch does not know is logged
// with the peer and the raw value once, not at every poll; panics recovered
// by the client are counted per peer.
func TestUnrecognizedLoggedOnce(t *testing.T) {
	var buf bytes.Buffer
	odd := &fakePeer{poll: func(context.Context) *probe.PeerStatus {
		return &probe.PeerStatus{Name: "a", Up: true, Panics: 1, HA: &probe.HAInfo{
			Enabled: true, LocalState: probe.StateUnknown, LocalStateRaw: "quantum",
			Unrecognized: []string{"local-info/state=quantum"},
		}}
	}}
	w := NewPairWatcher(WatcherOptions{
		Config: pairConfig(), Peers: []PeerProber{odd},
		Logger: slog.New(slog.NewTextHandler(&buf, nil)),
	})
	for range 3 {
		w.PollOnce(context.Background())
	}
	if n := strings.Count(buf.String(), "local-info/state=quantum"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, buf.String())
	}
	if !strings.Contains(buf.String(), "peer=a") {
		t.Errorf("log line does not name the peer:\n%s", buf.String())
	}
	if got := w.Current().Stats.Panics["a"]; got != 3 {
		t.Errorf("panics counted %d, want 3", got)
	}
}

// TestPanickingProberLeavesOtherPairsPolling: a prober that panics makes
// its peer "not answering" with the panic counted; the pair keeps being
// polled and a second pair is unaffected.
func TestPanickingProberLeavesOtherPairsPolling(t *testing.T) {
	boom := &fakePeer{poll: func(context.Context) *probe.PeerStatus { panic("slice bounds out of range [:2] with length 0") }}
	cfg := pairConfig()
	cfg.Peers = [2]config.PeerConfig{{Name: "a"}, {Name: "b"}}
	bad := NewPairWatcher(WatcherOptions{Config: cfg, Peers: []PeerProber{boom, peerIn("b", probe.StatePassive)}})
	good := NewPairWatcher(WatcherOptions{Config: pairConfig(), Peers: []PeerProber{peerIn("a", probe.StateActive)}})
	for range 2 {
		bad.safePoll(context.Background(), time.Time{})
		good.safePoll(context.Background(), time.Time{})
	}
	snap := bad.Current()
	a := snap.Peer("a")
	if a == nil || a.Up || !errors.Is(a.Err, probe.ErrPanic) || snap.Stats.Panics["a"] != 2 || snap.Seq != 2 {
		t.Fatalf("panicking peer: %+v, panics %v, polls %d", a, snap.Stats.Panics, snap.Seq)
	}
	if b := snap.Peer("b"); b == nil || !b.Up {
		t.Errorf("the other peer of the pair must still answer: %+v", b)
	}
	if g := good.Current(); g == nil || g.Seq != 2 {
		t.Errorf("the other pair stopped polling: %+v", g)
	}

	// A panic after the peers answered (building or publishing the
	// snapshot) ends that poll only.
	calls := 0
	w := NewPairWatcher(WatcherOptions{Config: pairConfig(), Peers: []PeerProber{peerIn("a", probe.StateActive)},
		Publish: func(*snapshot.Pair) { calls++; panic("consumer bug") }})
	w.safePoll(context.Background(), time.Time{})
	w.safePoll(context.Background(), time.Time{})
	if calls != 2 {
		t.Errorf("publish called %d times, want 2: a panic must not stop later polls", calls)
	}
}
