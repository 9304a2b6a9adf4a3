package scheduler

import (
	"context"
	"hash/fnv"
	"sync"
	"time"
)

// Poll timing. Each pair polls at its own slots: the times whose Unix time
// is the pair's phase modulo its interval, the phase being a stable hash
// of the pair's name. A thousand pairs at 10 s thus start about one poll
// every 10 ms instead of all at once, and a pair keeps its slots across
// reloads, restarts and replicas, as Prometheus spreads its scrapes.
//
// The first poll of a pair runs at once (it makes the daemon ready); the
// next runs at the first slot after it ends, so that a slow first poll
// costs no skipped one.
//
// Slots are computed by adding to a reading of the clock, so they keep its
// monotonic reading: a step of the wall clock does not move the polls
// (their phase then drifts from the wall clock until the pair restarts).

// Run polls until ctx ends: at once, then at the pair's slots. When AWS is
// on, its first poll follows the first PAN-OS poll.
func (w *PairWatcher) Run(ctx context.Context) {
	defer w.closeProbers()
	var wg sync.WaitGroup
	defer wg.Wait()
	// The first PAN-OS poll runs before AWS starts, so that AWS can find
	// the instances from the management IPs the peers report.
	w.polling.Store(true)
	w.safePoll(ctx, time.Time{})
	w.polling.Store(false)
	if g, ok := w.aws.(awsGrouped); ok {
		// The region's rounds poll the pair; it needs no goroutine of
		// its own, and leaves before its probers close.
		grp := g.group()
		grp.join(w)
		defer grp.leave(w)
	} else if w.aws != nil {
		wg.Add(1)
		go func() { defer wg.Done(); w.runAWS(ctx) }()
	}
	slots := newSlots(w.cfg.Name, w.cfg.PollInterval, w.now())
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for w.sleepUntil(ctx, timer, slots.next) {
		slot, missed := slots.take(w.now())
		if missed > 0 {
			w.skip(missed, "poll could not start within an interval of its slot, skipping the slots missed")
		}
		w.tryPoll(ctx, &wg, slot)
	}
}

// tryPoll starts the poll due at slot unless one is still running.
func (w *PairWatcher) tryPoll(ctx context.Context, wg *sync.WaitGroup, slot time.Time) {
	if !w.polling.CompareAndSwap(false, true) {
		w.skip(1, "previous poll still running, skipping this one")
		return
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer w.polling.Store(false)
		w.safePoll(ctx, slot)
	}()
}

// skip counts n polls that did not run and logs why.
func (w *PairWatcher) skip(n uint64, why string) {
	w.mu.Lock()
	w.stats.Skipped += n
	w.mu.Unlock()
	w.log.Warn(why, "skipped", n, "interval", w.cfg.PollInterval)
}

// phase returns the pair's offset into its poll interval.
func phase(pair string, interval time.Duration) time.Duration {
	if interval <= 0 {
		return 0
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(pair))
	return time.Duration(h.Sum64() % uint64(interval))
}

// slotAfter returns the first slot strictly after t of a pair with the
// given interval and phase.
func slotAfter(t time.Time, interval, phase time.Duration) time.Time {
	into := (t.UnixNano() - int64(phase)) % int64(interval)
	if into < 0 {
		into += int64(interval) // before 1970: % keeps the sign
	}
	return t.Add(interval - time.Duration(into))
}

// slots hands out a pair's poll slots in order.
type slots struct {
	interval time.Duration
	// next is the slot to wait for.
	next time.Time
}

// newSlots returns the slots of a pair from the first after t.
func newSlots(pair string, interval time.Duration, t time.Time) *slots {
	return &slots{interval: interval, next: slotAfter(t, interval, phase(pair, interval))}
}

// take is called at now, when the next slot has come, and returns the slot
// to poll for. A poll that cannot start within an interval of its slot
// (the process was stopped, starved or suspended) is not made up for: it
// polls for the latest slot passed, and the slots missed are returned, to
// be counted as skipped. Every slot is handed out once.
func (s *slots) take(now time.Time) (slot time.Time, missed uint64) {
	slot = s.next
	if late := now.Sub(slot); late >= s.interval {
		k := late / s.interval
		slot, missed = slot.Add(k*s.interval), uint64(k)
	}
	s.next = slot.Add(s.interval)
	return slot, missed
}

// sleepUntil waits on timer until t and reports false if ctx ended
// first. Timers run on the monotonic clock, as slots do.
func (w *PairWatcher) sleepUntil(ctx context.Context, timer *time.Timer, t time.Time) bool {
	timer.Reset(max(0, t.Sub(w.now())))
	select {
	case <-ctx.Done():
		timer.Stop()
		return false
	case <-timer.C:
		return true
	}
}
