package scheduler

import (
	"context"
	"testing"

	"github.com/hawatch/hawatch/probe"
)

// The gate's single look judges one poll with the AWS data it led to: one
// poll counted, each request once, and the AWS view in the snapshot.
func TestPollWithAWSCountsThePollOnce(t *testing.T) {
	_, _, ws := startGroupPairs(t, 1, 0)
	w := NewPairWatcher(WatcherOptions{Config: ws[0].cfg, AWS: ws[0].aws,
		Peers: []PeerProber{peerIn("a", probe.StateActive), peerIn("b", probe.StatePassive)}})
	snap := w.PollWithAWS(context.Background())
	if snap.AWSView == nil || snap.AWS == nil {
		t.Fatalf("no AWS view in the gate's snapshot: %+v", snap)
	}
	if snap.Stats.Polls != 1 || snap.Seq != 1 {
		t.Errorf("one look counted as %d poll(s), seq %d", snap.Stats.Polls, snap.Seq)
	}
	for peer, byCmd := range snap.Stats.APIRequests {
		for cmd, n := range byCmd {
			if n != 1 {
				t.Errorf("%s %s: %d requests counted for one poll", peer, cmd, n)
			}
		}
	}
	if got := w.current.Load(); got != snap {
		t.Errorf("the watcher keeps %p, not the snapshot it returned %p", got, snap)
	}
}
