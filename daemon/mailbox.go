package daemon

import (
	"context"
	"sync"

	"github.com/hawatch/hawatch/snapshot"
)

// mailbox hands the latest snapshot of every pair to one consumer without
// making the poll that publishes it wait: put never blocks, and a
// snapshot the consumer has not taken yet is replaced by the pair's next
// one. Pairs are served in the order their snapshots arrived, so a busy
// pair cannot starve the others.
type mailbox struct {
	mu      sync.Mutex
	latest  map[string]*snapshot.Pair
	pending []string
	wake    chan struct{}
}

func newMailbox() *mailbox {
	return &mailbox{latest: map[string]*snapshot.Pair{}, wake: make(chan struct{}, 1)}
}

// put leaves snap for the consumer.
func (m *mailbox) put(snap *snapshot.Pair) {
	m.mu.Lock()
	if _, waiting := m.latest[snap.Name]; !waiting {
		m.pending = append(m.pending, snap.Name)
	}
	m.latest[snap.Name] = snap
	m.mu.Unlock()
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// take returns the waiting snapshots in arrival order and empties the box.
func (m *mailbox) take() []*snapshot.Pair {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*snapshot.Pair, 0, len(m.pending))
	for _, name := range m.pending {
		out = append(out, m.latest[name])
		delete(m.latest, name)
	}
	m.pending = m.pending[:0]
	return out
}

// run gives every snapshot taken to consume until ctx ends.
func (m *mailbox) run(ctx context.Context, consume func(*snapshot.Pair)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
			for _, snap := range m.take() {
				consume(snap)
			}
		}
	}
}
