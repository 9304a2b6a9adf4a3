package exporter

import (
	"sync"

	"github.com/hawatch/hawatch/snapshot"
)

// overflow counts, per pair, the series dropped by the series limit, once
// per snapshot however often the snapshot is turned into metrics.
type overflow struct {
	mu    sync.Mutex
	pairs map[string]overflowCount
}

type overflowCount struct {
	snap  *snapshot.Pair
	total uint64
}

// observe adds the series dropped from snap, unless snap was counted.
func (o *overflow) observe(snap *snapshot.Pair, dropped uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pairs == nil {
		o.pairs = map[string]overflowCount{}
	}
	c := o.pairs[snap.Name]
	if c.snap != snap {
		c.snap, c.total = snap, c.total+dropped
		o.pairs[snap.Name] = c
	}
}

// collect writes the counter of every pair of pairs that dropped a series
// and forgets the pairs no longer watched, so that they leave the output.
func (o *overflow) collect(e *emitter, pairs []*snapshot.Pair) {
	o.mu.Lock()
	defer o.mu.Unlock()
	live := make(map[string]bool, len(pairs))
	for _, p := range pairs {
		live[p.Name] = true
		if c := o.pairs[p.Name]; c.total > 0 {
			e.counter(e.d.seriesDropped, float64(c.total), p.Name)
		}
	}
	for name := range o.pairs {
		if !live[name] {
			delete(o.pairs, name)
		}
	}
}
