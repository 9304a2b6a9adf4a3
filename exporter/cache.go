package exporter

import (
	"log/slog"
	"sync"
	"time"

	"github.com/hawatch/hawatch/snapshot"
)

// Cache serves the exporter's metrics from an exposition built once per
// snapshot of a pair instead of on every scrape. Snapshots are immutable,
// so a pair's encoded samples stay valid until the pair's next snapshot;
// a scrape concatenates them, family by family, with the few families
// that span pairs, which it builds itself. It is safe for concurrent use.
type Cache struct {
	col  *Collector
	subs []subCollector

	mu      sync.Mutex
	entries map[string]*entry
	// wanted marks the encodings scraped at least once: Update builds
	// those, so that scrapes only copy.
	wanted  [numEncodings]bool
	headers [numEncodings][][]byte
}

// entry is the exposition of one snapshot of a pair.
type entry struct {
	snap *snapshot.Pair
	// ok and took are the success and duration of each sub-collector.
	ok      []bool
	took    []time.Duration
	dropped uint64
	enc     [numEncodings]*encoded
	// pairLabel is the pair label as the text formats write it.
	pairLabel []byte
}

// NewCache returns a cache over the snapshots of src.
func NewCache(src Source, logger *slog.Logger) *Cache {
	col := NewCollector(src, logger)
	c := &Cache{col: col, entries: map[string]*entry{}}
	for _, s := range col.subs {
		if s.name == "aws" {
			// The EC2 API counters span pairs; the scrape sums them.
			s.collect = col.collectAWSPairs
		}
		c.subs = append(c.subs, s)
	}
	for e := range c.headers {
		c.headers[e] = make([][]byte, len(col.d.families))
	}
	return c
}

// Update builds the exposition of a new snapshot in the encodings scraped
// so far, so that the next scrape finds it ready. It is optional: a scrape
// builds what is missing.
func (c *Cache) Update(snap *snapshot.Pair) {
	if snap == nil {
		return
	}
	c.mu.Lock()
	encs := c.wantedLocked()
	cur := c.entries[snap.Name]
	c.mu.Unlock()
	if len(encs) == 0 || cur != nil && cur.snap == snap {
		// Nothing scraped yet, or built already.
		return
	}
	c.install(c.build(snap, encs))
}

// wantedLocked lists the encodings scraped so far; c.mu is held.
func (c *Cache) wantedLocked() []encoding {
	var encs []encoding
	for e, w := range c.wanted {
		if w {
			encs = append(encs, encoding(e))
		}
	}
	return encs
}

// install makes ent the pair's entry and counts its dropped series.
func (c *Cache) install(ent *entry) {
	c.col.over.observe(ent.snap, ent.dropped)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[ent.snap.Name] = ent
}

// fresh returns the entries of pairs, in order, encoded in enc; it builds
// the missing ones and forgets the pairs that left.
func (c *Cache) fresh(pairs []*snapshot.Pair, enc encoding) []*entry {
	out := make([]*entry, len(pairs))
	var stale []int
	c.mu.Lock()
	c.wanted[enc] = true
	encs := c.wantedLocked()
	live := make(map[string]bool, len(pairs))
	for i, p := range pairs {
		live[p.Name] = true
		if ent := c.entries[p.Name]; ent != nil && ent.snap == p && ent.enc[enc] != nil {
			out[i] = ent
		} else {
			stale = append(stale, i)
		}
	}
	for name := range c.entries {
		if !live[name] {
			delete(c.entries, name)
		}
	}
	c.mu.Unlock()
	for _, i := range stale {
		out[i] = c.build(pairs[i], encs)
		c.install(out[i])
	}
	return out
}

// build runs the sub-collectors over one snapshot and encodes the result.
func (c *Cache) build(snap *snapshot.Pair, encs []encoding) *entry {
	sink := getPairSink(c.col.d)
	defer putPairSink(sink)
	lim := getLimiter(c.col.limit)
	defer putLimiter(lim)
	ent := &entry{snap: snap, ok: make([]bool, len(c.subs)), took: make([]time.Duration, len(c.subs)),
		pairLabel: appendPairLabel(nil, snap.Name)}
	one := []*snapshot.Pair{snap}
	e := &emitter{d: c.col.d, sink: sink, limit: lim}
	for i, s := range c.subs {
		start := c.col.now()
		e.err = nil
		c.col.run(s, e, one)
		ent.ok[i], ent.took[i] = e.err == nil, c.col.now().Sub(start)
		if e.err != nil {
			c.col.logger.Error("metrics collection failed", "collector", s.name, "pair", snap.Name, "err", e.err)
		}
	}
	ent.dropped = lim.dropped[snap.Name]
	sink.sort()
	for _, enc := range encs {
		ent.enc[enc] = c.encode(sink, enc, snap.Name)
	}
	return ent
}

// header returns the HELP and TYPE lines of family i in enc, or the
// encoded name, help and type for protobuf.
func (c *Cache) header(enc encoding, i int) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.headers[enc][i]
}

// setHeader records the header of family i in enc the first time.
func (c *Cache) setHeader(enc encoding, i int, h []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.headers[enc][i] == nil {
		c.headers[enc][i] = h
	}
}
