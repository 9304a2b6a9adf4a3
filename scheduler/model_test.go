package scheduler

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/probe"
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
