// Package scheduler polls every configured pair on hawatch's own timer,
// builds immutable snapshots and hands them to the consumers.
package scheduler

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// PeerProber polls one peer; *probe.PANOSPeer implements it.
type PeerProber interface {
	Poll(ctx context.Context) *probe.PeerStatus
}

// AWSProber polls the AWS side of a pair; *probe.AWSProber implements it.
type AWSProber interface {
	Probe(ctx context.Context, t probe.AWSTarget) *probe.AWSStatus
}

// PairWatcher polls one pair. Its snapshots are swapped in atomically; a
// tick that finds the previous poll still running is skipped and counted.
type PairWatcher struct {
	cfg   config.PairConfig
	peers []PeerProber
	aws   AWSProber
	log   *slog.Logger
	now   func() time.Time
	// publish receives every new snapshot.
	publish      func(*snapshot.Pair)
	flowedBefore func(pair string) bool
	startLag     prometheus.Observer

	current   atomic.Pointer[snapshot.Pair]
	latestAWS atomic.Pointer[probe.AWSStatus]
	latestIAM atomic.Pointer[probe.IAMStatus]
	polling   atomic.Bool
	awsBusy   atomic.Bool

	mu           sync.Mutex // guards the fields below
	stats        snapshot.Stats
	lastActive   string
	lastFailover time.Time
	// unrecognized holds the peer values already logged as unknown.
	unrecognized map[string]bool
}

// WatcherOptions are the parts of a PairWatcher.
type WatcherOptions struct {
	Config  config.PairConfig
	Peers   []PeerProber // A then B
	AWS     AWSProber    // nil when AWS is off
	Logger  *slog.Logger
	Now     func() time.Time
	Publish func(*snapshot.Pair)
	// FlowedBefore seeds Traffic.EverFlowed at the first poll; may be nil.
	FlowedBefore func(pair string) bool
	// StartLag observes, in seconds, how late each poll on a slot
	// starts; may be nil.
	StartLag prometheus.Observer
}

// NewPairWatcher returns a watcher; Run starts it.
func NewPairWatcher(o WatcherOptions) *PairWatcher {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Publish == nil {
		o.Publish = func(*snapshot.Pair) {}
	}
	if o.StartLag == nil {
		o.StartLag = prometheus.ObserverFunc(func(float64) {})
	}
	return &PairWatcher{
		cfg: o.Config, peers: o.Peers, aws: o.AWS, now: o.Now, publish: o.Publish,
		flowedBefore: o.FlowedBefore, startLag: o.StartLag,
		log: o.Logger.With("pair", o.Config.Name),
		stats: snapshot.Stats{
			APIRequests: map[string]map[probe.Command]uint64{},
			APIFailures: map[string]map[probe.Command]uint64{},
			AWSRequests: map[string]uint64{},
			AWSFailures: map[string]uint64{},
		},
	}
}

// Current returns the latest snapshot, or nil before the first poll ends.
func (w *PairWatcher) Current() *snapshot.Pair { return w.current.Load() }

// closeProbers drops the connections of the probers that can, once the
// watcher stops (the pair was removed or changed by a reload).
func (w *PairWatcher) closeProbers() {
	for _, p := range w.peers {
		if c, ok := p.(interface{ Close() }); ok {
			c.Close()
		}
	}
	if c, ok := w.aws.(interface{ Close() }); ok {
		c.Close()
	}
}

// safePoll runs one poll; a panic in building, judging or publishing the
// snapshot is logged with its stack and ends that poll only, so that the
// pair (and every other pair) goes on being watched.
func (w *PairWatcher) safePoll(ctx context.Context, slot time.Time) {
	defer func() {
		if r := recover(); r != nil {
			w.log.Error("poll of the pair panicked; the next poll goes on", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	w.poll(ctx, slot)
}

// PollOnce polls both peers concurrently under one deadline, builds the
// snapshot, publishes it and returns it. The poll is due when it starts.
func (w *PairWatcher) PollOnce(ctx context.Context) *snapshot.Pair {
	return w.poll(ctx, time.Time{})
}

// poll is PollOnce for the poll due at slot; a zero slot is a poll due
// when it starts, which has no lag to observe.
func (w *PairWatcher) poll(ctx context.Context, slot time.Time) *snapshot.Pair {
	start := w.now()
	scheduled := start
	if !slot.IsZero() {
		scheduled = slot
		w.startLag.Observe(max(0, start.Sub(slot)).Seconds())
	}
	cause := fmt.Errorf("poll of pair %s exceeded its %s timeout: %w", w.cfg.Name, w.cfg.PollTimeout, context.DeadlineExceeded)
	pctx, cancel := context.WithTimeoutCause(ctx, w.cfg.PollTimeout, cause)
	defer cancel()

	statuses := make([]*probe.PeerStatus, len(w.peers))
	var wg sync.WaitGroup
	for i, p := range w.peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					statuses[i] = w.panicked(i, r)
				}
			}()
			statuses[i] = p.Poll(pctx)
		}()
	}
	wg.Wait()
	snap := w.build(scheduled, start, statuses)
	w.current.Store(snap)
	w.publish(snap)
	return snap
}

// panicked is the status of a peer whose prober panicked: it did not
// answer this poll, and the panic is counted and logged with its stack.
func (w *PairWatcher) panicked(i int, r any) *probe.PeerStatus {
	name := fmt.Sprintf("peer-%d", i+1)
	if i < len(w.cfg.Peers) {
		name = w.cfg.Peers[i].Name
	}
	w.log.Error("peer prober panicked", "peer", name, "panic", r, "stack", string(debug.Stack()))
	now := w.now()
	return &probe.PeerStatus{
		Name: name, Err: fmt.Errorf("peer %s: %w: %v", name, probe.ErrPanic, r),
		Panics: 1, Start: now, End: now,
	}
}

// build assembles the snapshot and updates the cumulative counters.
func (w *PairWatcher) build(scheduled, start time.Time, peers []*probe.PeerStatus) *snapshot.Pair {
	prev := w.current.Load()
	snap := &snapshot.Pair{
		Name:      w.cfg.Name,
		Scheduled: scheduled,
		Start:     start,
		End:       w.now(),
		Peers:     peers,
		HA:        snapshot.BuildHA(peers),
		Traffic:   snapshot.ComputeTraffic(prev, peers),
		Config:    w.pairInfo(),
	}
	if prev == nil && w.flowedBefore != nil && w.flowedBefore(w.cfg.Name) {
		snap.Traffic.EverFlowed = true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stats.Polls++
	snap.Seq = w.stats.Polls
	if !snap.Success() {
		w.stats.Failed++
	}
	for _, p := range peers {
		if p.Panics > 0 {
			if w.stats.Panics == nil {
				w.stats.Panics = map[string]uint64{}
			}
			w.stats.Panics[p.Name] += uint64(p.Panics)
		}
		for _, r := range p.Results {
			addCount(w.stats.APIRequests, p.Name, r.Command, uint64(r.Requests))
			if r.Err != nil {
				addCount(w.stats.APIFailures, p.Name, r.Command, 1)
			}
		}
	}
	w.noteFailover(snap)
	w.noteUnrecognized(peers)
	w.correlateAWS(snap)
	snap.Stats = w.stats.Clone()
	return snap
}

// correlateAWS judges snap's peers against the latest AWS data, when the
// pair has AWS monitoring. The caller holds w.mu (lastFailover).
func (w *PairWatcher) correlateAWS(snap *snapshot.Pair) {
	if w.aws == nil {
		return
	}
	snap.AWS = w.latestAWS.Load()
	snap.AWSView = snapshot.Correlate(snapshot.CorrelateInput{
		Peers:         snap.Peers,
		HA:            snap.HA,
		AWS:           snap.AWS,
		Mode:          w.cfg.AWS.Mode,
		PeerInstances: w.peerInstances(),
		LastFailover:  w.lastFailover,
		Grace:         w.cfg.AWS.GracePeriod,
		Now:           snap.End,
	})
	snap.Failover = snapshot.PredictFailover(snapshot.FailoverInput{
		Peers:         snap.Peers,
		HA:            snap.HA,
		AWS:           snap.AWS,
		Mode:          cmp.Or(snap.AWSView.Mode, w.cfg.AWS.Mode),
		PeerInstances: w.peerInstances(),
		IAM:           iamFindings(w.latestIAM.Load()),
	})
}

// maxUnrecognized bounds how many distinct unknown values are remembered, so
// that a peer sending garbage cannot grow the watcher without end.
const maxUnrecognized = 256

// noteUnrecognized logs, once per peer and value, an HA value that PAN-OS
// sent and hawatch does not know; it reads as unknown, never healthy.
func (w *PairWatcher) noteUnrecognized(peers []*probe.PeerStatus) {
	for _, p := range peers {
		if p.HA == nil {
			continue
		}
		for _, v := range p.HA.Unrecognized {
			key := p.Name + "\x00" + v
			if w.unrecognized[key] || len(w.unrecognized) >= maxUnrecognized {
				continue
			}
			if w.unrecognized == nil {
				w.unrecognized = map[string]bool{}
			}
			w.unrecognized[key] = true
			w.log.Warn("peer reports a value hawatch does not know; it counts as unknown", "peer", p.Name, "value", v)
		}
	}
}

// noteFailover remembers when the active peer last changed, for the AWS
// grace period.
func (w *PairWatcher) noteFailover(snap *snapshot.Pair) {
	active := snap.HA.Active
	if active == "" {
		return
	}
	if w.lastActive != "" && active != w.lastActive {
		w.lastFailover = snap.End
		w.log.Warn("active peer changed", "from", w.lastActive, "to", active)
	}
	w.lastActive = active
}

func (w *PairWatcher) pairInfo() snapshot.PairInfo {
	pi := snapshot.PairInfo{
		PollInterval:               w.cfg.PollInterval,
		PollTimeout:                w.cfg.PollTimeout,
		TrafficFloorBytesPerSecond: w.cfg.TrafficFloorBytesPerSecond,
	}
	if w.cfg.AWS != nil {
		pi.AWSEnabled, pi.AWSMode, pi.AWSRegion = true, w.cfg.AWS.Mode, w.cfg.AWS.Region
	}
	return pi
}

func addCount(m map[string]map[probe.Command]uint64, peer string, c probe.Command, n uint64) {
	if m[peer] == nil {
		m[peer] = map[probe.Command]uint64{}
	}
	m[peer][c] += n
}
