package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// countRequests counts, over a few poll intervals, the PAN-OS requests
// the simulated firewalls receive and each pair's polls summed over the
// replicas: a pair watched by two replicas is polled twice per interval.
//
// It returns the most polls per interval any pair had.
func (f *fleetRun) countRequests(ctx context.Context, o shardOptions) (float64, error) {
	// Both ends read the simulator and then the replicas in the same
	// order, so the time between the two reads is the window.
	t0 := time.Now()
	c0, err := getCounts(f.control)
	if err != nil {
		return 0, err
	}
	polls0, err := f.pollsByPair()
	if err != nil {
		return 0, err
	}
	if err := sleep(ctx, time.Duration(o.countIntervals)*o.poll); err != nil {
		return 0, err
	}
	t1 := time.Now()
	c1, err := getCounts(f.control)
	if err != nil {
		return 0, err
	}
	polls1, err := f.pollsByPair()
	if err != nil {
		return 0, err
	}
	intervals := t1.Sub(t0).Seconds() / o.poll.Seconds()
	var per []float64
	total := 0.0
	for _, pair := range f.names {
		d := polls1[pair] - polls0[pair]
		total += d
		per = append(per, d/intervals)
	}
	slices.Sort(per)
	most := per[len(per)-1]
	req := float64(c1.panosTotal() - c0.panosTotal())
	verdict := "no pair is polled more than once per interval; a pair watched by two replicas would show about 2"
	if most > 1.5 {
		verdict = "SOME PAIR IS POLLED MORE THAN ONCE PER INTERVAL"
	}
	fmt.Printf("\nOver %.1f poll intervals the simulated firewalls received %.0f PAN-OS requests, %.2f per peer per interval (%.2f per peer per poll). Polls per pair per interval, summed over the replicas, min / p50 / max: %s: %s.\n",
		intervals, req, req/(2*float64(o.pairs))/intervals, req/(2*max(total, 1)), minMedMax(per, 2), verdict)
	return most, nil
}

// pollsByPair returns each pair's hawatch_polls_total summed over the
// replicas.
func (f *fleetRun) pollsByPair() (map[string]float64, error) {
	out := map[string]float64{}
	for _, r := range f.replicas {
		s, err := doScrape(r.url, r.proc.pid())
		if err != nil {
			return nil, fmt.Errorf("replica %d: %w", r.index, err)
		}
		mf := s.families["hawatch_polls_total"]
		if mf == nil {
			continue
		}
		for _, m := range mf.Metric {
			for _, l := range m.Label {
				if l.GetName() == "pair" {
					out[l.GetValue()] += m.GetCounter().GetValue()
				}
			}
		}
	}
	return out, nil
}

// outage is what happened between a replica's SIGKILL and its pairs'
// first polls after the restart; offsets are from the kill.
type outage struct {
	victim       int
	pairs        int
	scrapeToKill time.Duration // from the start of the last scrape before the kill
	restart      time.Duration
	listening    time.Duration
	ready        time.Duration
	firstPolls   []time.Duration // each pair's first poll end after the restart
	gaps         []time.Duration // each pair's last poll before the kill to its first after
	notRepolled  []string
	survivors    error // what the other replicas did wrong meanwhile
	prom         promTimeline
}

// outage kills one replica, restarts it after the delay and watches its
// pairs, the other replicas and Prometheus until every pair of the
// killed replica is polled again.
func (f *fleetRun) outage(ctx context.Context, o shardOptions) (*outage, error) {
	v := f.replicas[o.victim]
	scrapeStart := time.Now()
	s, err := doScrape(v.url, v.proc.pid())
	if err != nil {
		return nil, fmt.Errorf("replica %d: %w", v.index, err)
	}
	before := pollTimes(s)
	v.kill()
	kill := time.Now()
	out := &outage{victim: o.victim, pairs: len(before), scrapeToKill: kill.Sub(scrapeStart)}
	tick := min(max(o.poll/20, 100*time.Millisecond), 500*time.Millisecond)
	first := map[string]float64{}
	var repolled time.Time
	restartAt, deadline := kill.Add(o.restartDelay), kill.Add(o.restartDelay+5*time.Minute)
	survivorsChecked, restarted := false, false
	for {
		now := time.Now()
		if !restarted && !now.Before(restartAt) {
			if err := v.start(); err != nil {
				return nil, err
			}
			restarted, out.restart = true, time.Since(kill)
		}
		if restarted {
			f.watchRestart(v, kill, out, first)
			if repolled.IsZero() && len(first) >= len(before) {
				repolled = time.Now()
			}
		}
		if !survivorsChecked && !now.Before(kill.Add(o.restartDelay/2)) {
			out.survivors, survivorsChecked = f.checkSurvivors(o.victim, f.sets), true
		}
		if f.prom != nil {
			f.prom.observe(o.victim, time.Since(kill), &out.prom)
		}
		if !repolled.IsZero() && now.After(repolled.Add(o.watchUntil)) && (f.prom == nil || out.prom.upNow == 1) {
			break
		}
		if now.After(deadline) {
			break
		}
		if err := sleep(ctx, tick); err != nil {
			return nil, err
		}
	}
	killUnix := float64(kill.UnixNano()) / 1e9
	for pair, last := range before {
		at, ok := first[pair]
		if !ok {
			out.notRepolled = append(out.notRepolled, pair)
			continue
		}
		out.firstPolls = append(out.firstPolls, seconds(at-killUnix))
		out.gaps = append(out.gaps, seconds(at-last))
	}
	slices.Sort(out.firstPolls)
	slices.Sort(out.gaps)
	slices.Sort(out.notRepolled)
	return out, nil
}

// watchRestart notes when the restarted replica answers, is ready, and
// polls each pair for the first time.
func (f *fleetRun) watchRestart(v *replica, kill time.Time, out *outage, first map[string]float64) {
	if out.ready == 0 {
		if resp, err := http.Get(v.url + "/-/ready"); err == nil {
			_ = resp.Body.Close()
			if out.listening == 0 {
				out.listening = time.Since(kill)
			}
			if resp.StatusCode == http.StatusOK {
				out.ready = time.Since(kill)
			}
		}
	}
	s, err := doScrape(v.url, v.proc.pid())
	if err != nil {
		return
	}
	killUnix := float64(kill.UnixNano()) / 1e9
	// The first value after the kill is the first poll after the
	// restart: scrapes come far more often than polls.
	for pair, at := range pollTimes(s) {
		if _, seen := first[pair]; !seen && at > killUnix {
			first[pair] = at
		}
	}
}

// checkSurvivors checks that the replicas still running export the same
// pairs as before the kill: none of them takes over the killed one's.
func (f *fleetRun) checkSurvivors(victim int, want [][]string) error {
	got, err := f.partitionOf(func(r *replica) bool { return r.index != victim })
	if err != nil {
		return err
	}
	for i := range f.replicas {
		if i != victim && !slices.Equal(got[i], want[i]) {
			return fmt.Errorf("replica %d exported %d pairs before the kill and %d after", i, len(want[i]), len(got[i]))
		}
	}
	return nil
}

// partitionOf returns the sorted pairs of the replicas that live; nil for
// the others.
func (f *fleetRun) partitionOf(live func(*replica) bool) ([][]string, error) {
	sets := make([][]string, len(f.replicas))
	for i, r := range f.replicas {
		if !live(r) {
			continue
		}
		s, err := doScrape(r.url, r.proc.pid())
		if err != nil {
			return nil, fmt.Errorf("replica %d: %w", i, err)
		}
		for p := range pollTimes(s) {
			sets[i] = append(sets[i], p)
		}
		slices.Sort(sets[i])
	}
	return sets, nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
