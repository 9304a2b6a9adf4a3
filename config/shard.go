package config

import "hash/fnv"

// ShardOf returns the shard, from 0 to shards-1, that owns the pair.
//
// It uses rendezvous (highest random weight) hashing: every shard scores
// the pair and the highest score wins. Unlike hashing modulo the shard
// count, which moves about N/(N+1) of the pairs when an (N+1)th shard is
// added, this moves only the pairs the new shard wins, about 1/(N+1). The
// mapping depends on nothing but the name and the count, so every instance
// computes the same split without talking to the others.
func ShardOf(pair string, shards int) int {
	if shards <= 1 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(pair))
	key := h.Sum64()
	best, bestScore := 0, uint64(0)
	for i := range shards {
		if s := mix64(key ^ mix64(uint64(i)+1)); i == 0 || s > bestScore {
			best, bestScore = i, s
		}
	}
	return best
}

// mix64 is the SplitMix64 finalizer; FNV alone leaves the high bits of
// similar names too alike to rank shards fairly.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// OwnedPairs returns the pairs of this instance's shard, in file order.
func (c *Config) OwnedPairs() []PairConfig {
	var owned []PairConfig
	for _, p := range c.Pairs {
		if ShardOf(p.Name, c.Shards) == c.ShardIndex {
			owned = append(owned, p)
		}
	}
	return owned
}
