package snapshot

import (
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// TestTrafficStopped: when the byte counters stop, the traffic says since
// when there have been no bytes and the rate it flowed at before the poll
// that saw it stop partway; a poll that cannot tell changes neither.
func TestTrafficStopped(t *testing.T) {
	t0 := time.Date(2026, 3, 4, 3, 12, 0, 0, time.UTC)
	var prev *Pair
	poll := func(i int, bytes uint64, counters bool) Traffic {
		peer := &probe.PeerStatus{Name: "fw-a", Up: true, End: t0.Add(time.Duration(i) * 10 * time.Second),
			Interfaces: &probe.Interfaces{Hardware: []probe.HardwareInterface{
				{Name: "ethernet1/2", Kind: probe.KindPhysical, Role: probe.RoleDataPlane, Up: true}}}}
		if counters {
			peer.Counters = &probe.Counters{Hardware: []probe.InterfaceCounters{{Name: "ethernet1/2", RxBytes: bytes}}}
		}
		p := &Pair{End: peer.End, Peers: []*probe.PeerStatus{peer}}
		p.Traffic = ComputeTraffic(prev, p.Peers)
		prev = p
		return p.Traffic
	}
	poll(0, 0, true)
	poll(1, 37e6, true)       // 3.7 MB/s over 10 s
	poll(2, 74e6, true)       // 3.7 MB/s
	poll(3, 80e6, true)       // stopped partway: 0.6 MB/s
	tr := poll(4, 80e6, true) // no bytes since poll 3, at 03:12:30
	if tr.Flowing() != probe.No || !tr.StoppedSince.Equal(t0.Add(30*time.Second)) || tr.LastFlowingBytesPerSecond != 3.7e6 {
		t.Fatalf("stopped: since %v, was %v; want 03:12:30 and 3.7e6", tr.StoppedSince, tr.LastFlowingBytesPerSecond)
	}
	if tr = poll(5, 0, false); tr.Known || !tr.StoppedSince.Equal(t0.Add(30*time.Second)) || tr.LastFlowingBytesPerSecond != 3.7e6 {
		t.Errorf("a poll without counters forgot: %+v", tr)
	}
	poll(6, 80e6, true)
	if tr = poll(7, 100e6, true); !tr.StoppedSince.IsZero() || tr.LastFlowingBytesPerSecond != 2e6 {
		t.Errorf("flowing again: %+v", tr)
	}
}
