package main

import (
	"math"
	"slices"
)

// startSpread estimates, without a start-lag metric, how late each poll
// starts after the first of its round: the start of each pair's last poll
// is its end time less its duration; taken modulo the interval, the starts
// of in-phase timers form one cluster, which begins after the largest gap
// on the circle. It returns each start's offset into its cluster.
func (s *scrape) startSpread(interval float64) []float64 {
	ends := s.byPair("hawatch_last_poll_timestamp_seconds")
	durs := s.byPair("hawatch_poll_duration_seconds")
	var phases []float64
	for pair, end := range ends {
		if d, ok := durs[pair]; ok {
			phases = append(phases, math.Mod(end-d, interval))
		}
	}
	if len(phases) < 2 {
		return nil
	}
	slices.Sort(phases)
	// The gap before phases[i]; the first one wraps around the circle.
	start, widest := 0, phases[0]+interval-phases[len(phases)-1]
	for i := 1; i < len(phases); i++ {
		if gap := phases[i] - phases[i-1]; gap > widest {
			start, widest = i, gap
		}
	}
	out := make([]float64, len(phases))
	for i, p := range phases {
		out[i] = math.Mod(p-phases[start]+interval, interval)
	}
	return out
}

// byPair returns a gauge's value per pair label.
func (s *scrape) byPair(name string) map[string]float64 {
	out := map[string]float64{}
	if mf := s.families[name]; mf != nil {
		for _, m := range mf.Metric {
			for _, l := range m.Label {
				if l.GetName() == "pair" && m.Gauge != nil {
					out[l.GetValue()] = m.Gauge.GetValue()
				}
			}
		}
	}
	return out
}
