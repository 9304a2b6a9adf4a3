package config

import (
	"fmt"
	"testing"
)

func pairNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("pair-%d", i)
	}
	return names
}

func TestShardOfPartitions(t *testing.T) {
	names := pairNames(200)
	cfg := &Config{}
	for _, name := range names {
		cfg.Pairs = append(cfg.Pairs, PairConfig{Name: name})
	}
	for shards := 1; shards <= 8; shards++ {
		cfg.Shards = shards
		owners := map[string]int{}
		for idx := range shards {
			cfg.ShardIndex = idx
			for _, p := range cfg.OwnedPairs() {
				owners[p.Name]++
				if got := ShardOf(p.Name, shards); got != idx {
					t.Errorf("shards=%d: %s owned by %d, ShardOf says %d", shards, p.Name, idx, got)
				}
			}
		}
		for _, name := range names {
			if owners[name] != 1 {
				t.Errorf("shards=%d: %s owned by %d shards, want 1", shards, name, owners[name])
			}
		}
	}
}

func TestShardOfBalance(t *testing.T) {
	names := pairNames(1000)
	for _, shards := range []int{2, 3, 4, 5, 8} {
		counts := make([]int, shards)
		for _, name := range names {
			counts[ShardOf(name, shards)]++
		}
		want := float64(len(names)) / float64(shards)
		for i, c := range counts {
			if float64(c) < 0.8*want || float64(c) > 1.2*want {
				t.Errorf("shards=%d: shard %d has %d pairs, want %.0f ± 20%%", shards, i, c, want)
			}
		}
		t.Logf("shards=%d: %v", shards, counts)
	}
}

func TestShardOfAddingAShardMovesFewPairs(t *testing.T) {
	names := pairNames(1000)
	for shards := 1; shards <= 7; shards++ {
		moved := 0
		for _, name := range names {
			before, after := ShardOf(name, shards), ShardOf(name, shards+1)
			if before == after {
				continue
			}
			moved++
			// Rendezvous hashing only moves pairs to the new shard.
			if after != shards {
				t.Errorf("%s moved from %d to old shard %d", name, before, after)
			}
		}
		fraction := float64(moved) / float64(len(names))
		ideal := 1 / float64(shards+1)
		t.Logf("%d -> %d shards: %.1f%% of pairs moved (ideal %.1f%%, modulo would move about %.1f%%)",
			shards, shards+1, 100*fraction, 100*ideal, 100*float64(shards)/float64(shards+1))
		if fraction > 1.25*ideal {
			t.Errorf("%d -> %d shards moved %.1f%% of pairs, want about %.1f%%", shards, shards+1, 100*fraction, 100*ideal)
		}
	}
}

// The mapping must not change between versions: instances running
// different versions would otherwise disagree on who owns a pair.
func TestShardOfIsStable(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shards int
		want   int
	}{
		{"anything", 0, 0},
		{"anything", 1, 0},
		{"edge-eu", 2, 1},
		{"edge-eu", 5, 4},
		{"edge-us", 5, 3},
		{"lab", 3, 0},
	} {
		if got := ShardOf(tc.name, tc.shards); got != tc.want {
			t.Errorf("ShardOf(%q, %d) = %d, want %d", tc.name, tc.shards, got, tc.want)
		}
	}
}
