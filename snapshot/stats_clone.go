package snapshot

import (
	"maps"

	"github.com/hawatch/hawatch/probe"
)

// Clone returns a deep copy, so that a published snapshot never shares maps
// with the counters that go on changing.
func (s Stats) Clone() Stats {
	c := s
	c.APIRequests = clonePeerCounts(s.APIRequests)
	c.APIFailures = clonePeerCounts(s.APIFailures)
	c.Panics = maps.Clone(s.Panics)
	c.AWSRequests = maps.Clone(s.AWSRequests)
	c.AWSFailures = maps.Clone(s.AWSFailures)
	return c
}

func clonePeerCounts(m map[string]map[probe.Command]uint64) map[string]map[probe.Command]uint64 {
	out := make(map[string]map[probe.Command]uint64, len(m))
	for peer, byCmd := range m {
		out[peer] = maps.Clone(byCmd)
	}
	return out
}
