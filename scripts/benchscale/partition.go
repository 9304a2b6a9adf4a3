package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/config"
)

// partition is how the replicas' pairs cover the simulator's pairs.
type partition struct {
	counts []int // pairs per replica
	// missing are pairs no replica exports; duplicated maps a pair
	// exported by more than one replica to those replicas; unknown are
	// exported pairs the simulator does not have; misplaced are pairs a
	// replica exports although config.ShardOf gives them to another.
	missing    []string
	duplicated map[string][]int
	unknown    []string
	misplaced  []string
}

// checkPartition compares sets[i], the pairs replica i exports, with all,
// every pair there is.
func checkPartition(all []string, sets [][]string) *partition {
	p := &partition{counts: make([]int, len(sets)), duplicated: map[string][]int{}}
	owners := map[string][]int{}
	for i, set := range sets {
		p.counts[i] = len(set)
		for _, name := range set {
			owners[name] = append(owners[name], i)
			if config.ShardOf(name, len(sets)) != i {
				p.misplaced = append(p.misplaced, fmt.Sprintf("%s on %d", name, i))
			}
		}
	}
	known := make(map[string]bool, len(all))
	for _, name := range all {
		known[name] = true
		switch o := owners[name]; {
		case len(o) == 0:
			p.missing = append(p.missing, name)
		case len(o) > 1:
			p.duplicated[name] = o
		}
	}
	for name := range owners {
		if !known[name] {
			p.unknown = append(p.unknown, name)
		}
	}
	slices.Sort(p.unknown)
	slices.Sort(p.misplaced)
	return p
}

// err says what is wrong; nil when every pair is watched exactly once by
// the replica config.ShardOf gives it to.
func (p *partition) err() error {
	var errs []error
	if len(p.missing) > 0 {
		errs = append(errs, fmt.Errorf("%d pairs watched by no replica: %s", len(p.missing), first(p.missing)))
	}
	if len(p.duplicated) > 0 {
		var d []string
		for name, o := range p.duplicated {
			d = append(d, fmt.Sprintf("%s on %v", name, o))
		}
		slices.Sort(d)
		errs = append(errs, fmt.Errorf("%d pairs watched more than once: %s", len(d), first(d)))
	}
	if len(p.unknown) > 0 {
		errs = append(errs, fmt.Errorf("%d pairs the simulator does not have: %s", len(p.unknown), first(p.unknown)))
	}
	if len(p.misplaced) > 0 {
		errs = append(errs, fmt.Errorf("%d pairs on another shard than config.ShardOf says: %s", len(p.misplaced), first(p.misplaced)))
	}
	return errors.Join(errs...)
}

func first(s []string) string {
	if len(s) > 5 {
		return strings.Join(s[:5], ", ") + ", ..."
	}
	return strings.Join(s, ", ")
}

// print writes the distribution and the verdict.
func (p *partition) print(n, shards int) {
	mean := float64(n) / float64(shards)
	lo, hi, sum := math.MaxInt, 0, 0
	for _, c := range p.counts {
		lo, hi, sum = min(lo, c), max(hi, c), sum+c
	}
	fmt.Printf("\n| replica | pairs | vs N/%d = %.1f |\n| --- | ---: | ---: |\n", shards, mean)
	for i, c := range p.counts {
		fmt.Printf("| %d | %d | %+.1f%% |\n", i, c, 100*(float64(c)-mean)/mean)
	}
	fmt.Printf("| min / max / mean | %d / %d / %.1f | %+.1f%% / %+.1f%% |\n",
		lo, hi, float64(sum)/float64(len(p.counts)), 100*(float64(lo)-mean)/mean, 100*(float64(hi)-mean)/mean)
	if err := p.err(); err != nil {
		fmt.Printf("NOT exactly once: %v\n", err)
		return
	}
	fmt.Printf("Every one of the %d pairs is exported by exactly one replica (the union of the %d sets of `pair` values of hawatch_last_poll_timestamp_seconds is all pairs, the sets are pairwise disjoint), each on the shard config.ShardOf gives it.\n", n, shards)
}

// pollTimes returns each pair's hawatch_last_poll_timestamp_seconds.
func pollTimes(s *scrape) map[string]float64 {
	out := map[string]float64{}
	mf := s.families["hawatch_last_poll_timestamp_seconds"]
	if mf == nil {
		return out
	}
	for _, m := range mf.Metric {
		for _, l := range m.Label {
			if l.GetName() == "pair" {
				out[l.GetValue()] = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

// simPairs returns the names of the simulator's pairs.
func simPairs(control string) ([]string, error) {
	resp, err := http.Get(control + "/pairs")
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	var pairs []struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&pairs); err != nil {
		return nil, fmt.Errorf("simulator pairs: %w", err)
	}
	names := make([]string, len(pairs))
	for i, p := range pairs {
		names[i] = p.Name
	}
	return names, nil
}
