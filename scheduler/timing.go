package scheduler

import (
	"context"
	"hash/fnv"
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
