package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// awsGroup polls the AWS side of every pair of one region and endpoint
// with one client and one set of EC2 calls per round (probe.ProbeAll),
// instead of a prober, a connection and five calls per pair. Pairs join
// when their AWS loop starts and leave when it ends.
//
// Each member is polled on a grid of its AWS poll interval counted from
// the group's start, so that members with one interval share every round.
// A member that joins is polled at once (its first AWS poll follows its
// first PAN-OS poll, as the management IPs are needed to find its
// instances), together with any other that joins within joinDelay.
type awsGroup struct {
	key       string
	prober    *probe.AWSProber
	iam       *probe.IAMCache
	iamProber *probe.IAMProber // counts the IAM calls
	closer    func()           // drops the client's idle connections
	log       *slog.Logger
	now       func() time.Time

	mu      sync.Mutex
	start   time.Time
	members map[*PairWatcher]*awsMemberState
	cancel  context.CancelFunc // stops the loop; nil when not running
	wake    chan struct{}
	// failing is what each operation failed with last round, to log a
	// change once for the region, not once per pair.
	failing map[string]string
}

type awsMemberState struct {
	due time.Time // zero: poll at once
}

// joinDelay gathers the pairs that start together into one first round.
const joinDelay = 200 * time.Millisecond

// deliverWorkers bounds the pairs whose results (and IAM checks) are
// handled at once after a round.
const deliverWorkers = 4

func newAWSGroup(key string, p *probe.AWSProber, iam *probe.IAMCache, closer func(), log *slog.Logger) *awsGroup {
	return &awsGroup{key: key, prober: p, iam: iam, closer: closer, log: log, now: time.Now,
		members: map[*PairWatcher]*awsMemberState{}, wake: make(chan struct{}, 1), failing: map[string]string{}}
}

// join makes the group's rounds poll w's AWS side until leave.
func (g *awsGroup) join(w *PairWatcher) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.members[w] = &awsMemberState{}
	if g.cancel == nil {
		ctx, cancel := context.WithCancel(context.Background())
		g.cancel, g.start = cancel, g.now()
		go g.loop(ctx)
	}
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

func (g *awsGroup) leave(w *PairWatcher) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.members, w)
	g.prober.Forget(w.cfg.Name)
	if len(g.members) == 0 && g.cancel != nil {
		g.cancel()
		g.cancel = nil
		g.closer()
	}
}

func (g *awsGroup) loop(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		timer.Reset(g.untilDue())
		select {
		case <-ctx.Done():
			return
		case <-g.wake:
			select {
			case <-ctx.Done():
				return
			case <-time.After(joinDelay):
			}
		case <-timer.C:
		}
		if due := g.takeDue(); len(due) > 0 {
			g.round(ctx, due)
		}
	}
}

// untilDue is how long until the next member is due. New members are
// left to the wake-up of their join, which waits for others to join.
func (g *awsGroup) untilDue() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	next := time.Hour
	for _, m := range g.members {
		if !m.due.IsZero() {
			next = min(next, max(0, m.due.Sub(g.now())))
		}
	}
	return next
}

// takeDue returns the members due now and moves each to its next slot on
// the grid of its interval.
func (g *awsGroup) takeDue() []*PairWatcher {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	var due []*PairWatcher
	for w, m := range g.members {
		if m.due.After(now) {
			continue
		}
		due = append(due, w)
		iv := max(w.cfg.AWS.PollInterval, time.Millisecond) // validated; never zero
		m.due = g.start.Add((now.Sub(g.start)/iv + 1) * iv)
	}
	slices.SortFunc(due, func(a, b *PairWatcher) int { return cmp.Compare(a.cfg.Name, b.cfg.Name) })
	return due
}

// round polls the due members with one set of calls, under a deadline
// shorter than the shortest of their intervals, and hands each its status.
func (g *awsGroup) round(ctx context.Context, due []*PairWatcher) {
	interval := due[0].cfg.AWS.PollInterval
	var targets []probe.AWSTarget
	var polled []*PairWatcher
	for _, w := range due {
		interval = min(interval, w.cfg.AWS.PollInterval)
		t := w.awsTarget()
		if !targetKnown(t) && w.latestAWS.Load() == nil {
			w.log.Debug("aws poll skipped: no instance known for the pair yet")
			continue
		}
		targets, polled = append(targets, t), append(polled, w)
	}
	if len(targets) == 0 {
		return
	}
	timeout := interval * 8 / 10
	cause := fmt.Errorf("aws poll of %d pairs in %s exceeded its %s timeout: %w", len(targets), g.key, timeout, context.DeadlineExceeded)
	rctx, cancel := context.WithTimeoutCause(ctx, timeout, cause)
	defer cancel()
	sts := g.prober.ProbeAll(rctx, targets)
	g.noteErrors(sts)

	work := make(chan int)
	var wg sync.WaitGroup
	for range min(deliverWorkers, len(polled)) {
		wg.Go(func() {
			for i := range work {
				polled[i].acceptAWS(rctx, sts[i], slog.LevelDebug)
			}
		})
	}
	for i := range polled {
		work <- i
	}
	close(work)
	wg.Wait()
}

// noteErrors logs, once per change, each operation failing for pairs of
// the round: how many pairs and why; the pairs log it at debug level.
func (g *awsGroup) noteErrors(sts []*probe.AWSStatus) {
	count := map[string]int{}
	first := map[string]error{}
	for _, st := range sts {
		for op, err := range st.Errors {
			count[op]++
			if first[op] == nil {
				// The pairs share the call's error; it is logged without
				// the pair it was filed under.
				if ce := (*probe.AWSCallError)(nil); errors.As(err, &ce) {
					err = ce.Err
				}
				first[op] = err
			}
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for op, err := range first {
		if key := probe.ErrorKey(err); g.failing[op] != key {
			g.failing[op] = key
			g.log.Warn("aws calls failing", "operation", op, "pairs", count[op], "of", len(sts), "err", err)
		}
	}
	for op := range g.failing {
		if first[op] == nil {
			delete(g.failing, op)
			g.log.Info("aws calls recovered", "operation", op, "pairs", len(sts))
		}
	}
}
