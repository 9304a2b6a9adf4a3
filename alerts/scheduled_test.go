package alerts

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// The alerts evaluate at each poll's scheduled time, not when the poll
// ends or when the alerts get to it: these tests run a pair polled every
// 10 s whose data plane goes down at the poll due at 10 s and comes back
// at the one due at 100 s, with HAPairLinksDown's hold of 1 min and
// keep_firing_for of 5 min, a resend delay of 1 min, and a clock that
// reads each poll's end plus a consumer delay.

const schedInterval = 10 * time.Second

// schedRun describes how the polls of one run go.
type schedRun struct {
	// end is when poll k ends, after its scheduled time k×10 s.
	end func(k int) time.Duration
	// behind is how long after the poll's end the alerts evaluate it.
	behind func(k int) time.Duration
	// skip lists the polls that never happened.
	skip []int
}

// sent is one alert handed to Alertmanager: the second its poll was due
// at, and its state.
type sent struct {
	sec   int
	state string
}

func (s sent) String() string { return fmt.Sprintf("%s@%ds", s.state, s.sec) }

// runScheduled evaluates polls 0 to 45 and returns what was sent. It fails
// the test if a firing alert is sent with an endsAt not after the clock.
func runScheduled(t *testing.T, r schedRun) []sent {
	t.Helper()
	rec, clock := &recorder{}, &fakeClock{}
	m := NewManager(ManagerOptions{Sender: rec, Now: clock.Now})
	var out []sent
	for k := range 46 {
		if slices.Contains(r.skip, k) {
			continue
		}
		due := at(time.Duration(k) * schedInterval)
		snap := healthy()
		if k >= 1 && k < 10 {
			snap = mkPair(okPeer("a", probe.StateActive, dataPlaneDown), okPeer("b", probe.StatePassive, dataPlaneDown))
		}
		snap.Config.PollInterval = schedInterval
		snap.Scheduled, snap.Start, snap.End = due, due.Add(time.Millisecond), due.Add(r.end(k))
		now := snap.End.Add(r.behind(k))
		clock.Set(now)
		m.Update(snap)
		rec.mu.Lock()
		for _, a := range rec.sent {
			if a.State == StateFiring && !a.EndsAt().After(now) {
				t.Errorf("poll %d: firing alert sent with endsAt %s, not after the clock %s", k, a.EndsAt(), now)
			}
			out = append(out, sent{k * int(schedInterval/time.Second), a.State.String()})
		}
		rec.sent = nil
		rec.mu.Unlock()
	}
	return out
}

// jitter ends polls 1 s after they are due, ±900 ms.
func jitter(f func(k int) time.Duration) func(k int) time.Duration {
	return func(k int) time.Duration { return time.Second + f(k) }
}

func none(int) time.Duration { return 0 }

func TestHoldsCountScheduledPolls(t *testing.T) {
	const ms = time.Millisecond
	// Fired at the poll due 60 s after the one that first saw the fault,
	// resent every minute, resolved 5 min after the poll that saw it gone.
	exact := []sent{{70, "firing"}, {130, "firing"}, {190, "firing"}, {250, "firing"}, {310, "firing"}, {370, "firing"}, {400, "inactive"}}
	rows := []struct {
		name string
		run  schedRun
		want []sent
	}{
		{"no jitter", schedRun{end: jitter(none), behind: none}, exact},
		{"first poll late, sixth early", schedRun{end: jitter(func(k int) time.Duration {
			return map[int]time.Duration{1: 900 * ms, 7: -900 * ms, 10: 900 * ms, 40: -900 * ms}[k]
		}), behind: none}, exact},
		{"alternating ±900 ms", schedRun{end: jitter(func(k int) time.Duration {
			return time.Duration(900*(1-2*(k%2))) * ms
		}), behind: none}, exact},
		{"alerts evaluated up to 5 s after the poll ends", schedRun{end: jitter(none), behind: func(k int) time.Duration {
			return time.Duration(k%6) * time.Second
		}}, exact},
		{"alerts 5 min behind: endsAt still ahead", schedRun{end: jitter(none), behind: func(int) time.Duration {
			return 5 * time.Minute
		}}, exact},
		{"wall clock steps back an hour", schedRun{end: jitter(none), behind: func(k int) time.Duration {
			if k >= 20 {
				return -time.Hour
			}
			return 0
		}}, exact},
		{"the poll due at the end of the hold skipped: fires at the next", schedRun{end: jitter(none), behind: none, skip: []int{7}},
			[]sent{{80, "firing"}, {140, "firing"}, {200, "firing"}, {260, "firing"}, {320, "firing"}, {380, "firing"}, {400, "inactive"}}},
		{"the poll that would see the fault gone skipped: kept from the next", schedRun{end: jitter(none), behind: none, skip: []int{10}},
			[]sent{{70, "firing"}, {130, "firing"}, {190, "firing"}, {250, "firing"}, {310, "firing"}, {370, "firing"}, {410, "inactive"}}},
		{"polls within the hold skipped", schedRun{end: jitter(none), behind: none, skip: []int{3, 4, 5}}, exact},
	}
	for seed := range uint64(8) {
		rnd := rand.New(rand.NewPCG(seed, 1))
		js := make([]time.Duration, 46)
		for k := range js {
			js[k] = time.Duration(rnd.IntN(1801)-900) * ms
		}
		rows = append(rows, struct {
			name string
			run  schedRun
			want []sent
		}{fmt.Sprintf("random jitter, seed %d", seed), schedRun{end: jitter(func(k int) time.Duration { return js[k] }), behind: none}, exact})
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			if got := runScheduled(t, row.run); !slices.Equal(got, row.want) {
				t.Errorf("sent %v\nwant %v", got, row.want)
			}
		})
	}
}

// TestEachScheduledTimeEvaluatedOnce: a snapshot due no later than the
// pair's last evaluation (the same poll again, or a stale one from a
// watcher being replaced) changes nothing, so that neither can clear a
// pending alert nor restart its hold.
func TestEachScheduledTimeEvaluatedOnce(t *testing.T) {
	e := NewEngine(EngineOptions{})
	down := func(sec int) *snapshot.Pair {
		p := mkPair(okPeer("a", probe.StateActive, dataPlaneDown), okPeer("b", probe.StatePassive, dataPlaneDown))
		p.Scheduled = at(time.Duration(sec) * time.Second)
		return p
	}
	up := func(sec int) *snapshot.Pair {
		p := healthy()
		p.Scheduled = at(time.Duration(sec) * time.Second)
		return p
	}
	const links = "HAPairLinksDown{severity=critical}"
	e.Eval(at(11*time.Second), down(10))
	for _, stale := range []*snapshot.Pair{up(10), up(5)} {
		if due := e.Eval(at(80*time.Second), stale); due != nil {
			t.Errorf("stale snapshot due at %s sent %q", stale.Scheduled.Sub(t0), alertIDs(due))
		}
	}
	if got := alertIDs(e.Alerts()); !slices.Equal(got, []string{links + ":pending"}) {
		t.Fatalf("after stale snapshots: %q, want the alert still pending", got)
	}
	e.Eval(at(69*time.Second), down(60))
	if got := firingNames(e); len(got) != 0 {
		t.Fatalf("fired after 50 s: %q", got)
	}
	if due := e.Eval(at(71*time.Second), down(70)); !slices.Equal(alertIDs(due), []string{links + ":firing"}) {
		t.Errorf("at 70 s sent %q, want the alert firing", alertIDs(due))
	}
}
