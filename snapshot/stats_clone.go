package snapshot

import "github.com/hawatch/hawatch/probe"

// Clone returns a deep copy, so that a published snapshot never shares maps
// with the counters that go on changing.
func (s Stats) Clone() Stats {
	c := s
	c.APIRequests = clonePeerCounts(s.APIRequests)
	c.APIFailures = clonePeerCounts(s.APIFailures)
	c.AWSRequests = cloneCounts(s.AWSRequests)
	c.AWSFailures = cloneCounts(s.AWSFailures)
	return c
}

func clonePeerCounts(m map[string]map[probe.Command]uint64) map[string]map[probe.Command]uint64 {
	out := make(map[string]map[probe.Command]uint64, len(m))
	for peer, byCmd := range m {
		out[peer] = make(map[probe.Command]uint64, len(byCmd))
		for c, n := range byCmd {
			out[peer][c] = n
		}
	}
	return out
}

func cloneCounts(m map[string]uint64) map[string]uint64 {
	out := make(map[string]uint64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
