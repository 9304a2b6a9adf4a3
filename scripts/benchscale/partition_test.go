package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/config"
)

// shardSets splits names the way replicas do.
func shardSets(names []string, shards int) [][]string {
	sets := make([][]string, shards)
	for _, n := range names {
		i := config.ShardOf(n, shards)
		sets[i] = append(sets[i], n)
	}
	return sets
}

func TestCheckPartition(t *testing.T) {
	names := make([]string, 30)
	for i := range names {
		names[i] = fmt.Sprintf("pair-%04d", i+1)
	}
	good := shardSets(names, 3)
	// The pair of replica 0 that a broken replica would also export.
	stray := good[0][0]
	for _, tc := range []struct {
		name string
		sets func() [][]string
		want []string // substrings of the error; none for a partition
	}{
		{"every pair once", func() [][]string { return good }, nil},
		{"a pair on no replica", func() [][]string {
			s := slices.Clone(good)
			s[0] = s[0][1:]
			return s
		}, []string{"1 pairs watched by no replica: " + stray}},
		{"a pair on two replicas", func() [][]string {
			s := slices.Clone(good)
			s[1] = append(slices.Clone(s[1]), stray)
			return s
		}, []string{"1 pairs watched more than once: " + stray + " on [0 1]", stray + " on 1"}},
		{"a pair the simulator lacks", func() [][]string {
			s := slices.Clone(good)
			s[2] = append(slices.Clone(s[2]), "pair-9999")
			return s
		}, []string{"1 pairs the simulator does not have: pair-9999"}},
		{"a replica that took over another's pairs", func() [][]string {
			return [][]string{good[0], slices.Concat(good[1], good[2]), nil}
		}, []string{fmt.Sprintf("%d pairs on another shard", len(good[2]))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := checkPartition(names, tc.sets())
			err := p.err()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				if got := p.counts[0] + p.counts[1] + p.counts[2]; got != len(names) {
					t.Errorf("counts %v add up to %d, want %d", p.counts, got, len(names))
				}
				return
			}
			if err == nil {
				t.Fatalf("err = nil, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}
