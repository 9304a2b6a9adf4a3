package statesnap

import (
	"context"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// Defaults of RecorderOptions.
const (
	DefaultInterval   = 10 * time.Minute
	DefaultKeep       = 3
	DefaultKeepAuto   = 20
	DefaultAfterDelay = time.Minute
	DefaultTimeout    = 30 * time.Second
)

// RecorderOptions configure a Recorder.
type RecorderOptions struct {
	// Saver keeps the before and after snapshots.
	Saver Saver
	// Fetch runs Commands on the peers of a pair, in peer order; nil
	// leaves those parts unknown.
	Fetch func(ctx context.Context, pair string) []*probe.Ops
	// Interval is how often a rolling snapshot is taken per pair.
	Interval time.Duration
	// FirstWithin spreads the pairs' first rolling snapshots: each is
	// taken within this long of the pair's first poll, at a point given
	// by a hash of the pair's name, so that a daemon starting on many
	// pairs does not send every peer its on-demand commands at once.
	// 0 takes the first at once.
	FirstWithin time.Duration
	// Keep is how many rolling snapshots are kept per pair, in memory.
	Keep int
	// KeepAuto is how many before and after snapshots are kept per pair
	// by Saver; older ones are removed.
	KeepAuto int
	// AfterDelay is how long the pair must have been back (every peer
	// answering, none in a transitional state, AWS out of its grace
	// period) before the after snapshot is taken, so that ARP and routes
	// are learnt again.
	AfterDelay time.Duration
	// Timeout bounds the on-demand fetch of one snapshot.
	Timeout time.Duration
	// OnSaved is told of every before and after snapshot saved.
	OnSaved func(*Snapshot)
	Logger  *slog.Logger
	Now     func() time.Time
}

// Recorder takes state snapshots around the failovers and reboots the
// daemon sees. A "before" cannot be taken after the fact, so it keeps a
// rolling snapshot per pair, taken every Interval with the on-demand
// commands (the regular poll sends nothing more); when a failover, a peer
// dropping from the API or a peer back in state initial shows in the
// journal events, the newest rolling snapshot is saved as the before, and
// once the pair is back the after is taken.
type Recorder struct {
	opts   RecorderOptions
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu    sync.Mutex
	pairs map[string]*pairRec
}

// pairRec is the recorder's state of one pair.
type pairRec struct {
	rolling     []*Snapshot // oldest first
	lastRolling time.Time
	busy        bool // a snapshot is being taken
	episode     *episode
}

// episode is a failover or reboot whose after snapshot is pending.
type episode struct {
	base      string // name without -before/-after
	event     EventRef
	settledAt time.Time // when the pair was first seen back; zero while not
}

// NewRecorder returns a recorder; Stop ends its fetches.
func NewRecorder(o RecorderOptions) *Recorder {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Keep <= 0 {
		o.Keep = DefaultKeep
	}
	if o.KeepAuto <= 0 {
		o.KeepAuto = DefaultKeepAuto
	}
	if o.AfterDelay < 0 {
		o.AfterDelay = 0
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Saver == nil {
		o.Saver = NewMemStore()
	}
	if o.Fetch == nil {
		o.Fetch = func(context.Context, string) []*probe.Ops { return nil }
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Recorder{opts: o, ctx: ctx, cancel: cancel, pairs: map[string]*pairRec{}}
}

// Saver returns where the recorder keeps its snapshots.
func (r *Recorder) Saver() Saver { return r.opts.Saver }

// Latest returns the pair's newest rolling snapshot, the one a failover
// now would keep as its before; nil before the first.
func (r *Recorder) Latest(pair string) *Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	if pr := r.pairs[pair]; pr != nil && len(pr.rolling) > 0 {
		return pr.rolling[len(pr.rolling)-1]
	}
	return nil
}

// Stop cancels the fetches in flight and waits for them.
func (r *Recorder) Stop() {
	r.cancel()
	r.wg.Wait()
}

// Observe is called with every new snapshot of a pair and the journal
// events it gave. It never blocks on I/O but the save of a before
// snapshot: fetches run on goroutines of their own.
func (r *Recorder) Observe(snap *snapshot.Pair, events []journal.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pr := r.pairs[snap.Name]
	if pr == nil {
		pr = &pairRec{}
		if w := min(r.opts.FirstWithin, r.opts.Interval); w > 0 {
			pr.lastRolling = r.opts.Now().Add(firstOffset(snap.Name, w) - r.opts.Interval)
		}
		r.pairs[snap.Name] = pr
	}
	for _, e := range events {
		if pr.episode == nil && startsEpisode(e) {
			pr.episode = r.open(pr, snap.Name, e)
		}
	}
	now := r.opts.Now()
	switch ep := pr.episode; {
	case ep != nil && !settled(snap):
		ep.settledAt = time.Time{}
	case ep != nil:
		if ep.settledAt.IsZero() {
			ep.settledAt = now
		}
		if !pr.busy && now.Sub(ep.settledAt) >= r.opts.AfterDelay {
			r.take(pr, snap, ep)
		}
	case !pr.busy && now.Sub(pr.lastRolling) >= r.opts.Interval:
		pr.lastRolling = now
		r.take(pr, snap, nil)
	}
}

// startsEpisode reports whether e is a failover or a reboot: the active
// peer changed, a peer stopped answering, or a peer is back in initial.
func startsEpisode(e journal.Event) bool {
	switch e.Kind {
	case journal.KindFailover:
		return true
	case journal.KindPeerReachability:
		return e.After == "down"
	case journal.KindHAState:
		return e.After == string(probe.StateInitial)
	}
	return false
}

// settled reports whether the pair is back after an episode: every peer
// answers, HA is known with no peer in a transitional state, and AWS is
// out of its post-failover grace period.
func settled(snap *snapshot.Pair) bool {
	if len(snap.Reachable()) != len(snap.Peers) {
		return false
	}
	ha := snap.HAView()
	if !ha.Known {
		return false
	}
	for _, p := range ha.Peers {
		if p.HA && p.State.IsTransitional() {
			return false
		}
	}
	return snap.AWSView == nil || !snap.AWSView.InGrace
}

// firstOffset is where in [0, within) the pair's first rolling snapshot
// falls: FNV-1a of its name, so the same pair keeps its place.
func firstOffset(pair string, within time.Duration) time.Duration {
	h := fnv.New64a()
	_, _ = h.Write([]byte(pair))
	return time.Duration(h.Sum64() % uint64(within))
}
