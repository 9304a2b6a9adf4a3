package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// promTimeline is what Prometheus said while a replica was down; offsets
// are from the kill, as seen by queries a tick apart (Prometheus itself
// scrapes and evaluates once per --prometheus-interval).
type promTimeline struct {
	upZero, upAgain           time.Duration // up{shard} first 0, then first 1 again
	upNow                     float64       // up{shard} at the last query; -1 when absent
	downPending, downFiring   time.Duration // HAWatchDown for the shard
	blindPending, blindFiring int           // most HAMonitoringBlind alerts seen at once
	minPairs                  int           // fewest pairs with series in Prometheus
	events                    []event
	last                      string
	err                       error // the first failed query
}

// event is a change of what Prometheus says.
type event struct {
	at   time.Duration
	what string
}

// observe queries Prometheus once and notes what changed.
func (ps *promServer) observe(victim int, at time.Duration, t *promTimeline) {
	shard := strconv.Itoa(victim)
	up, err1 := ps.query(`up{job="hawatch"}`)
	down, err2 := ps.query(`ALERTS{alertname="HAWatchDown"}`)
	blind, err3 := ps.query(`ALERTS{alertname="HAMonitoringBlind"}`)
	pairs, err4 := ps.query(`count(count by (pair) (hawatch_last_poll_timestamp_seconds))`)
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil && t.err == nil {
			t.err = err
		}
	}
	ups := make([]string, len(up))
	t.upNow = -1
	for _, u := range up {
		i, err := strconv.Atoi(u.labels["shard"])
		if err != nil || i < 0 || i >= len(ups) {
			continue
		}
		ups[i] = strconv.FormatFloat(u.value, 'g', -1, 64)
		if i != victim {
			continue
		}
		t.upNow = u.value
		switch {
		case u.value == 0 && t.upZero == 0:
			t.upZero = at
		case u.value == 1 && t.upZero > 0 && t.upAgain == 0:
			t.upAgain = at
		}
	}
	downState := "inactive"
	for _, a := range down {
		if a.labels["shard"] != shard {
			continue
		}
		downState = a.labels["alertstate"]
		if downState == "pending" && t.downPending == 0 {
			t.downPending = at
		}
		if downState == "firing" && t.downFiring == 0 {
			t.downFiring = at
		}
	}
	pending, firing := 0, 0
	for _, a := range blind {
		if a.labels["alertstate"] == "firing" {
			firing++
		} else {
			pending++
		}
	}
	t.blindPending, t.blindFiring = max(t.blindPending, pending), max(t.blindFiring, firing)
	n := 0
	if len(pairs) == 1 {
		n = int(pairs[0].value)
	}
	if t.minPairs == 0 || n < t.minPairs {
		t.minPairs = n
	}
	state := fmt.Sprintf("up by shard [%s], HAWatchDown{shard=%q} %s, HAMonitoringBlind pending %d firing %d, pairs with series %d",
		strings.Join(ups, " "), shard, downState, pending, firing, n)
	if state != t.last {
		t.events = append(t.events, event{at: at, what: state})
		t.last = state
	}
}

// print writes the events.
func (t *promTimeline) print() {
	fmt.Println("\nWhat Prometheus said (queried every tick; changes only):")
	fmt.Println()
	for _, e := range t.events {
		fmt.Printf("    %+7.1f s  %s\n", e.at.Seconds(), e.what)
	}
	if t.err != nil {
		fmt.Printf("    (a query failed: %v)\n", t.err)
	}
}

// offset renders an offset from the kill, or what is given when it never
// happened.
func offset(d time.Duration, never string) string {
	if d == 0 {
		return never
	}
	return fmt.Sprintf("%.1f", d.Seconds())
}

// spread renders the min, median and max of sorted durations in seconds.
func spread(ds []time.Duration) string {
	vs := make([]float64, len(ds))
	for i, d := range ds {
		vs[i] = d.Seconds()
	}
	return minMedMax(vs, 1)
}

// minMedMax renders the min, median and max of sorted values.
func minMedMax(vs []float64, prec int) string {
	if len(vs) == 0 {
		return "n/a"
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	return f(vs[0]) + " / " + f(vs[len(vs)/2]) + " / " + f(vs[len(vs)-1])
}

// print writes the outage table.
func (out *outage) print(o shardOptions) {
	if out.prom.events != nil {
		out.prom.print()
	}
	hold, err := ruleHold(o.rules, "HAWatchDown")
	if err != nil {
		hold = "?"
	}
	less := make([]time.Duration, len(out.gaps))
	for i, g := range out.gaps {
		less[i] = g - o.poll
	}
	fmt.Printf("\nReplica %d (%d pairs) killed with SIGKILL and restarted %s later:\n\n", out.victim, out.pairs, o.restartDelay)
	rows := [][2]string{
		{"last scrape before the kill (start) → kill", fmt.Sprintf("%.2f", out.scrapeToKill.Seconds())},
		{"restart", offset(out.restart, "never")},
		{"/-/ready answers (503 or 200)", offset(out.listening, "never")},
		{"/-/ready 200: every pair of the shard polled once", offset(out.ready, "never")},
		{"kill → first poll after the restart, min / p50 / max over the pairs", spread(out.firstPolls)},
		{"**unwatched: last poll before the kill → first poll after the restart, min / p50 / max**", spread(out.gaps)},
		{fmt.Sprintf("the same less the poll interval (%s): time lost to the outage", o.poll), spread(less)},
	}
	if o.prometheus != "" {
		rows = append(rows,
			[2]string{fmt.Sprintf("Prometheus (every %s): up{shard=\"%d\"} == 0 from → 1 again", o.promInterval, out.victim),
				offset(out.prom.upZero, "never") + " → " + offset(out.prom.upAgain, "never")},
			[2]string{fmt.Sprintf("HAWatchDown (for: %s) pending from / firing from", hold),
				offset(out.prom.downPending, "never") + " / " + offset(out.prom.downFiring, "never")},
			[2]string{"HAMonitoringBlind alerts, most at once: pending / firing", fmt.Sprintf("%d / %d", out.prom.blindPending, out.prom.blindFiring)},
			[2]string{"pairs with series in Prometheus, fewest", fmt.Sprintf("%d of %d", out.prom.minPairs, o.pairs)})
	}
	fmt.Println("| seconds after the kill | |\n| --- | ---: |")
	for _, r := range rows {
		fmt.Printf("| %s | %s |\n", r[0], r[1])
	}
	survivors := "the other replicas exported the same pairs as before: none took over the killed replica's pairs"
	if out.survivors != nil {
		survivors = "the other replicas changed: " + out.survivors.Error()
	}
	fmt.Printf("\nDuring the outage %s.\n", survivors)
	if len(out.notRepolled) > 0 {
		fmt.Printf("%d pairs were not polled again: %s\n", len(out.notRepolled), first(out.notRepolled))
	}
}

// check is the smoke test's verdict on the outage.
func (out *outage) check(o shardOptions) error {
	var problems []string
	if len(out.notRepolled) > 0 {
		problems = append(problems, fmt.Sprintf("%d pairs not polled after the restart", len(out.notRepolled)))
	}
	if out.survivors != nil {
		problems = append(problems, out.survivors.Error())
	}
	// A pair is polled at once or within one interval of the start.
	if limit := o.restartDelay + 2*o.poll + 5*time.Second; len(out.gaps) > 0 && out.gaps[len(out.gaps)-1] > limit {
		problems = append(problems, fmt.Sprintf("a pair went unwatched %s, more than %s", out.gaps[len(out.gaps)-1], limit))
	}
	if o.prometheus != "" && (out.prom.upZero == 0 || out.prom.upAgain == 0) {
		problems = append(problems, "prometheus did not see up go to 0 and back to 1")
	}
	if out.prom.err != nil {
		problems = append(problems, out.prom.err.Error())
	}
	if len(problems) > 0 {
		return fmt.Errorf("smoke: %s", strings.Join(problems, "; "))
	}
	return nil
}
