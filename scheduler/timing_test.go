package scheduler

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// TestPhasesSpreadPolls: a thousand pairs named as the simulator names
// them get phases that spread over the interval, so that no tenth of a
// second of it starts more than three times its share of polls.
func TestPhasesSpreadPolls(t *testing.T) {
	const n, interval, bins = 1000, 10 * time.Second, 100
	var count [bins]int
	for i := range n {
		name := fmt.Sprintf("pair-%04d", i+1)
		p := phase(name, interval)
		if p < 0 || p >= interval {
			t.Fatalf("phase of %s = %s, outside [0, %s)", name, p, interval)
		}
		if p != phase(name, interval) {
			t.Fatalf("phase of %s changes from call to call", name)
		}
		count[p/(interval/bins)]++
	}
	most := 0
	for _, c := range count {
		most = max(most, c)
	}
	if most > 3*n/bins {
		t.Errorf("%d of %d polls start in one tenth of a second of the interval, want at most %d", most, n, 3*n/bins)
	}
}

func TestSlotAfter(t *testing.T) {
	const interval, ph = 10 * time.Second, 3 * time.Second
	for _, c := range []struct {
		t, want time.Time
	}{
		{time.Unix(100, 0), time.Unix(103, 0)},
		{time.Unix(103, 0), time.Unix(113, 0)}, // strictly after
		{time.Unix(103, 1), time.Unix(113, 0)},
		{time.Unix(112, 999_999_999), time.Unix(113, 0)},
		{time.Unix(-5, 0), time.Unix(3, 0)}, // before 1970
		{time.Unix(-8, 0), time.Unix(-7, 0)},
	} {
		if got := slotAfter(c.t, interval, ph); !got.Equal(c.want) {
			t.Errorf("slotAfter(%d) = %d, want %d", c.t.Unix(), got.Unix(), c.want.Unix())
		}
	}
	// A slot is a reading of the clock moved forward: it keeps the
	// monotonic reading, so that a step of the wall clock moves no poll.
	if s := slotAfter(time.Now(), interval, ph); !strings.Contains(s.String(), " m=+") {
		t.Errorf("slot %s lost the monotonic clock reading", s)
	}
}

func TestSlotsTake(t *testing.T) {
	const interval = 10 * time.Second
	sec := func(s float64) time.Time { return time.Unix(0, 0).Add(time.Duration(s * float64(time.Second))) }
	s := &slots{interval: interval, next: sec(100)}
	for _, c := range []struct {
		now, slot float64
		missed    uint64
	}{
		{100.002, 100, 0},
		{119.9, 110, 0},   // late, but within the interval
		{155, 150, 3},     // 120, 130 and 140 missed: poll for 150
		{170, 170, 1},     // exactly an interval late: 160 missed
		{180.001, 180, 0}, // and on slot again
	} {
		slot, missed := s.take(sec(c.now))
		if !slot.Equal(sec(c.slot)) || missed != c.missed {
			t.Errorf("take at %.3f = %s, %d missed; want slot %.0f, %d missed", c.now, slot.Sub(sec(0)), missed, c.slot, c.missed)
		}
	}
}

// TestRunPollsAtSlots runs a watcher on real timers: the first poll is due
// when it starts, then every poll is due at one of the pair's slots, the
// slots follow each other by whole intervals (the missing ones counted as
// skipped), no poll starts before it is due, and the start lag of every
// poll on a slot is observed.
func TestRunPollsAtSlots(t *testing.T) {
	const interval = 50 * time.Millisecond
	cfg := config.PairConfig{Name: "edge", PollInterval: interval, PollTimeout: 40 * time.Millisecond}
	lag := newStartLag(nil)
	var mu sync.Mutex
	var snaps []*snapshot.Pair
	w := NewPairWatcher(WatcherOptions{
		Config: cfg, Peers: []PeerProber{peerIn("a", probe.StateActive), peerIn("b", probe.StatePassive)},
		StartLag: lag,
		Publish: func(p *snapshot.Pair) {
			mu.Lock()
			defer mu.Unlock()
			snaps = append(snaps, p)
		},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 8*interval)
	defer cancel()
	w.Run(ctx)
	mu.Lock()
	defer mu.Unlock()
	if len(snaps) < 3 {
		t.Fatalf("%d polls in %s at a %s interval", len(snaps), 8*interval, interval)
	}
	if first := snaps[0]; !first.Scheduled.Equal(first.Start) {
		t.Errorf("first poll due at %s, started at %s: want it due when it starts", first.Scheduled, first.Start)
	}
	ph := phase(cfg.Name, interval)
	var gaps uint64
	for i, s := range snaps[1:] {
		if got := time.Duration(s.Scheduled.UnixNano() % int64(interval)); got != ph {
			t.Errorf("poll %d due at %s into its interval, want the phase %s", i+2, got, ph)
		}
		if s.Start.Before(s.Scheduled) {
			t.Errorf("poll %d started %s before it was due", i+2, s.Scheduled.Sub(s.Start))
		}
		if i == 0 {
			if !s.Scheduled.After(snaps[0].End) {
				t.Errorf("second poll due at %s, before the first ended at %s", s.Scheduled, snaps[0].End)
			}
			continue
		}
		d := s.Scheduled.Sub(snaps[i].Scheduled)
		if d <= 0 || d%interval != 0 {
			t.Errorf("poll %d due %s after the previous one, want whole intervals", i+2, d)
		}
		gaps += uint64(d/interval) - 1
	}
	if got := snaps[len(snaps)-1].Stats.Skipped; got != gaps {
		t.Errorf("%d polls skipped, but %d slots were passed over", got, gaps)
	}
	var m dto.Metric
	if err := lag.Write(&m); err != nil {
		t.Fatal(err)
	}
	if got := m.Histogram.GetSampleCount(); got != uint64(len(snaps)-1) {
		t.Errorf("start lag observed %d times for %d polls on slots", got, len(snaps)-1)
	}
}
