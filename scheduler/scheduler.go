package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// Options configure a Scheduler.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	// Publish receives every new snapshot of every pair. It must not block
	// for long: polls wait for it.
	Publish func(*snapshot.Pair)
	// NewAWS builds the AWS prober of a pair; nil uses the real EC2 client.
	NewAWS func(ctx context.Context, pair string, cfg *config.AWSConfig) (AWSProber, error)
	// FlowedBefore tells whether a pair is known to have forwarded
	// traffic before this process started (from the event journal); it
	// seeds snapshot.Traffic.EverFlowed at a pair's first poll.
	FlowedBefore func(pair string) bool
	// Registerer gets the scheduler's own metrics; none when nil.
	Registerer prometheus.Registerer
}

// Scheduler runs one PairWatcher per configured pair and applies new
// configurations without losing the state of unchanged pairs.
type Scheduler struct {
	opts     Options
	startLag prometheus.Histogram

	mu      sync.Mutex
	running map[string]*entry
}

type entry struct {
	cfg    config.PairConfig
	w      *PairWatcher
	cancel context.CancelFunc
	done   chan struct{}
}

// New returns a scheduler with no pairs; Apply adds them.
func New(opts Options) *Scheduler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.NewAWS == nil {
		opts.NewAWS = newEC2Prober(opts.Logger)
	}
	return &Scheduler{opts: opts, startLag: newStartLag(opts.Registerer), running: map[string]*entry{}}
}

// Apply makes the running pairs match pairs: new pairs start, removed ones
// stop, changed ones restart, unchanged ones keep running untouched.
func (s *Scheduler) Apply(ctx context.Context, pairs []config.PairConfig) error {
	built := map[string]*PairWatcher{}
	ts := &transports{}
	s.mu.Lock()
	for _, pc := range pairs {
		if e, ok := s.running[pc.Name]; ok && reflect.DeepEqual(e.cfg, pc) {
			continue
		}
		w, err := s.build(ctx, pc, ts)
		if err != nil {
			s.mu.Unlock()
			return err
		}
		built[pc.Name] = w
	}
	keep := map[string]bool{}
	for _, pc := range pairs {
		keep[pc.Name] = true
	}
	var stop []*entry
	for name, e := range s.running {
		if !keep[name] || built[name] != nil {
			stop = append(stop, e)
			delete(s.running, name)
		}
	}
	for _, pc := range pairs {
		w := built[pc.Name]
		if w == nil {
			continue
		}
		wctx, cancel := context.WithCancel(ctx)
		e := &entry{cfg: pc, w: w, cancel: cancel, done: make(chan struct{})}
		s.running[pc.Name] = e
		go func() { defer close(e.done); w.Run(wctx) }()
		s.opts.Logger.Info("watching pair", "pair", pc.Name, "peers", pc.Peers[0].Address+","+pc.Peers[1].Address,
			"interval", pc.PollInterval, "aws", pc.AWS != nil)
	}
	s.mu.Unlock()
	for _, e := range stop {
		e.cancel()
		<-e.done
	}
	return nil
}

// Build constructs the watcher of one pair without starting it.
func (s *Scheduler) Build(ctx context.Context, pc config.PairConfig) (*PairWatcher, error) {
	return s.build(ctx, pc, &transports{})
}

// transports shares one base transport among the pairs built together
// that have the same TLS options: its CA pool, parsed once, and its
// configuration, which every peer only reads. A new set per Apply re-reads
// a CA file that changed.
type transports struct {
	mu sync.Mutex
	m  map[probe.TLSOptions]*http.Transport
}

func (t *transports) get(o probe.TLSOptions) (*http.Transport, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tr := t.m[o]; tr != nil {
		return tr, nil
	}
	tr, err := probe.NewTransport(o)
	if err != nil {
		return nil, err
	}
	if t.m == nil {
		t.m = map[probe.TLSOptions]*http.Transport{}
	}
	t.m[o] = tr
	return tr, nil
}

// build is Build with the base transport taken from ts.
func (s *Scheduler) build(ctx context.Context, pc config.PairConfig, ts *transports) (*PairWatcher, error) {
	tr, err := ts.get(probe.TLSOptions{CAFile: pc.PANOS.CAFile, InsecureSkipVerify: pc.PANOS.InsecureSkipVerify})
	if err != nil {
		return nil, fmt.Errorf("pair %s: %w", pc.Name, err)
	}
	var peers []PeerProber
	for _, peer := range pc.Peers {
		p, err := probe.NewPANOSPeer(probe.PANOSPeerOptions{
			Name:    peer.Name,
			Address: peer.Address,
			Credentials: probe.Credentials{
				APIKey:   pc.PANOS.APIKey.Reveal(),
				Username: pc.PANOS.Username,
				Password: pc.PANOS.Password.Reveal(),
			},
			Transport:          tr,
			Timeout:            pc.PollTimeout,
			SystemInfoInterval: pc.SystemInfoInterval,
			Logger:             s.opts.Logger.With("pair", pc.Name),
			Now:                s.opts.Now,
		})
		if err != nil {
			return nil, fmt.Errorf("pair %s: %w", pc.Name, err)
		}
		peers = append(peers, p)
	}
	var aws AWSProber
	if pc.AWS != nil {
		if aws, err = s.opts.NewAWS(ctx, pc.Name, pc.AWS); err != nil {
			return nil, fmt.Errorf("pair %s: aws: %w", pc.Name, err)
		}
	}
	return NewPairWatcher(WatcherOptions{
		Config: pc, Peers: peers, AWS: aws,
		Logger: s.opts.Logger, Now: s.opts.Now, Publish: s.opts.Publish,
		FlowedBefore: s.opts.FlowedBefore, StartLag: s.startLag,
	}), nil
}

// Snapshots returns the latest snapshot of every pair that has completed a
// poll, sorted by pair name.
func (s *Scheduler) Snapshots() []*snapshot.Pair {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*snapshot.Pair, 0, len(s.running))
	for _, e := range s.running {
		if snap := e.w.Current(); snap != nil {
			out = append(out, snap)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Pairs returns the names of the pairs being watched, sorted.
func (s *Scheduler) Pairs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.running))
	for name := range s.running {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Ready reports whether every pair has completed at least one poll.
func (s *Scheduler) Ready() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.running {
		if e.w.Current() == nil {
			return false
		}
	}
	return true
}

// Stop stops every pair and waits for their polls to end.
func (s *Scheduler) Stop() {
	_ = s.Apply(context.Background(), nil)
}

// PollAll polls every given pair once, AWS included, without starting
// timers: the upgrade gate's single look.
func (s *Scheduler) PollAll(ctx context.Context, pairs []config.PairConfig) ([]*snapshot.Pair, error) {
	snaps, _, err := s.PollAllWithOps(ctx, pairs)
	return snaps, err
}

// PollAllWithOps is PollAll that also runs the given on-demand commands on
// every peer after its pair's poll (none when cmds is empty). ops[i] holds
// the peers' results of pairs[i], in peer order.
func (s *Scheduler) PollAllWithOps(ctx context.Context, pairs []config.PairConfig, cmds ...probe.Command) (
	snaps []*snapshot.Pair, ops [][]*probe.Ops, err error) {
	snaps = make([]*snapshot.Pair, len(pairs))
	ops = make([][]*probe.Ops, len(pairs))
	errs := make([]error, len(pairs))
	ts := &transports{}
	var wg sync.WaitGroup
	for i, pc := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := s.build(ctx, pc, ts)
			if err != nil {
				errs[i] = err
				return
			}
			snaps[i] = w.PollWithAWS(ctx)
			if len(cmds) > 0 {
				ops[i] = w.FetchOps(ctx, cmds...)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return snaps, ops, nil
}

// PollWithAWS polls the peers, then AWS with the management IPs just
// learnt, and returns a snapshot that correlates both.
func (w *PairWatcher) PollWithAWS(ctx context.Context) *snapshot.Pair {
	snap := w.PollOnce(ctx)
	if w.aws == nil {
		return snap
	}
	w.pollAWS(ctx)
	// The same poll judged again with the AWS data it led to: a copy, not
	// a second build, which would take the poll as its own previous one
	// (no traffic rate) and count its requests twice.
	withAWS := *snap
	w.mu.Lock()
	w.correlateAWS(&withAWS)
	w.mu.Unlock()
	w.current.Store(&withAWS)
	return &withAWS
}
