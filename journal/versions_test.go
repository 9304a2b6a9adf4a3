package journal

import (
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// versionEvents plays polls through a timeline's version memory and returns
// the version events of each poll, as "before→after".
func versionEvents(polls []*snapshot.Pair) [][]string {
	seen := Versions{}
	var prev *snapshot.Pair
	out := make([][]string, len(polls))
	for i, cur := range polls {
		for _, e := range DiffWith(prev, cur, seen) {
			if e.Kind == KindVersion {
				out[i] = append(out[i], e.Peer+":"+e.Before+"→"+e.After)
			}
		}
		seen.Observe(cur)
		prev = cur
	}
	return out
}

// rebooting returns the pair with peer b not answering, as while it reboots.
func rebooting(end time.Time) *snapshot.Pair {
	p := pair(end)
	p.Peers[1] = &probe.PeerStatus{Name: "b", Address: "192.0.2.1"}
	return p
}

// withVersion returns the pair with b's HA reply naming v and its system
// info naming sys ("" for no system info).
func withVersion(end time.Time, v, sys string) *snapshot.Pair {
	p := pair(end)
	p.Peers[1].HA.LocalVersions.Build = v
	p.Peers[1].System = nil
	if sys != "" {
		p.Peers[1].System = &probe.SystemInfo{SWVersion: sys}
	}
	return p
}

func TestVersionAcrossReboot(t *testing.T) {
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * 10 * time.Second) }
	polls := []*snapshot.Pair{
		withVersion(at(0), "10.2.9", "10.2.9"),
		rebooting(at(1)),
		rebooting(at(2)),
		withVersion(at(3), "11.1.4", "10.2.9"), // back; the system info is still the old one
		withVersion(at(4), "11.1.4", "11.1.4"), // system info refreshed: no second event
	}
	got := versionEvents(polls)
	for i, want := range [][]string{nil, nil, nil, {"b:10.2.9→11.1.4"}, nil} {
		if len(got[i]) != len(want) || len(want) == 1 && got[i][0] != want[0] {
			t.Errorf("poll %d: version events %v, want %v", i, got[i], want)
		}
	}
	// Without the memory, as Diff alone sees consecutive polls, the
	// upgrade falls between a poll with no version and one with the new.
	if ev := Diff(polls[2], polls[3]); len(ev) > 0 {
		for _, e := range ev {
			if e.Kind == KindVersion {
				t.Errorf("Diff of two consecutive polls across the reboot reported %v", e)
			}
		}
	}
}

func TestVersionStaleSystemInfoIsNotADowngrade(t *testing.T) {
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * 10 * time.Second) }
	// b was upgraded and told; then its HA reply is missing for a poll and
	// the version comes from the older system info.
	noHA := withVersion(at(2), "", "10.2.9")
	noHA.Peers[1].HA = nil
	polls := []*snapshot.Pair{
		withVersion(at(0), "11.1.4", "10.2.9"),
		noHA,
		withVersion(at(3), "11.1.4", "10.2.9"),
	}
	for i, ev := range versionEvents(polls) {
		if len(ev) > 0 {
			t.Errorf("poll %d: version events %v, want none", i, ev)
		}
	}
}
