package main

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// result is one row of the table.
type result struct {
	n               int
	cores, rss      float64
	simCores        float64 // the simulator's, the firewalls' side
	pollCores       float64 // the daemon's before the window, without scrapes
	startCores      float64 // the daemon's over the warm-up after its start
	scrapeTookSum   float64 // seconds, over the window's scrapes
	goroutines, fds float64
	scrapeTook      time.Duration
	scrapeBytes     float64
	scrapeCPU       float64
	lag, dur        []float64 // p50, p99 in seconds; lag nil when not exported
	skipped         float64
	reqPerPeerPoll  float64
	ec2PerPairPoll  float64 // NaN without AWS polls
	// detect holds, for each fault whose alert arrived, the time from
	// the fault to the alert less the hold; faults counts the faults.
	detect []time.Duration
	faults int
}

// result computes the row from the window's scrapes and the simulator's
// counts at its ends.
func (w *window) result(first, last *scrape, c0, c1 simCounts) *result {
	r := &result{n: w.n, ec2PerPairPoll: math.NaN()}
	var durations []float64
	for _, s := range w.scrapes {
		r.scrapeTook += s.took
		r.scrapeTookSum += s.took.Seconds()
		r.scrapeBytes += float64(s.bytes)
		r.scrapeCPU += s.cpu
		r.goroutines = math.Max(r.goroutines, s.sum("go_goroutines"))
		r.fds = math.Max(r.fds, s.sum("process_open_fds"))
		durations = append(durations, s.values("hawatch_poll_duration_seconds")...)
	}
	k := float64(len(w.scrapes))
	r.scrapeTook = time.Duration(float64(r.scrapeTook) / k)
	r.scrapeBytes /= k
	r.scrapeCPU /= k
	r.dur = quantiles(durations, 0.5, 0.99)
	// The polls started within the window: the histogram's increase.
	lag := last.buckets("hawatch_poll_start_lag_seconds").minus(first.buckets("hawatch_poll_start_lag_seconds"))
	if q, ok := lag.quantiles(0.5, 0.99); ok {
		r.lag = q
	}
	r.skipped = last.sum("hawatch_polls_skipped_total") - first.sum("hawatch_polls_skipped_total")
	if polls := last.sum("hawatch_polls_total") - first.sum("hawatch_polls_total"); polls > 0 {
		r.reqPerPeerPoll = float64(c1.panosTotal()-c0.panosTotal()) / (2 * polls)
	}
	if awsPolls := last.sum("hawatch_aws_polls_total") - first.sum("hawatch_aws_polls_total"); awsPolls > 0 {
		r.ec2PerPairPoll = float64(c1.ec2Total()-c0.ec2Total()) / awsPolls
	}
	return r
}

var columns = []string{"pairs", "cores", "cores polling only", "cores at start", "simulator cores", "peak RSS", "goroutines", "fds", "scrape time", "scrape size",
	"scrape CPU", "start lag p50/p99", "poll p50/p99", "skipped", "PAN-OS req/peer/poll", "EC2 calls/pair/AWS poll",
	"detection - hold min/max"}

func printHeader() {
	fmt.Println("| " + strings.Join(columns, " | ") + " |")
	fmt.Println(strings.Repeat("|---", len(columns)) + "|")
}

// setPollCores records the cost of polling alone and takes it out of the
// scrapes' CPU, which polls running meanwhile inflate.
func (r *result) setPollCores(c float64) {
	r.pollCores = c
	k := r.scrapeTookSum / r.scrapeTook.Seconds() // number of scrapes
	r.scrapeCPU = math.Max(0, r.scrapeCPU-c*r.scrapeTookSum/k)
}

func (r *result) print() {
	lag := "n/a"
	if r.lag != nil {
		lag = fmt.Sprintf("%s / %s", secs(r.lag[0]), secs(r.lag[1]))
	}
	ec2 := "n/a"
	if !math.IsNaN(r.ec2PerPairPoll) {
		ec2 = fmt.Sprintf("%.1f", r.ec2PerPairPoll)
	}
	detect := "not seen"
	if len(r.detect) > 0 {
		lo, hi := slices.Min(r.detect), slices.Max(r.detect)
		detect = fmt.Sprintf("%+.1f / %+.1f s (%d of %d)", lo.Seconds(), hi.Seconds(), len(r.detect), r.faults)
	}
	cells := []string{
		fmt.Sprint(r.n),
		fmt.Sprintf("%.3f", r.cores),
		fmt.Sprintf("%.3f", r.pollCores),
		fmt.Sprintf("%.3f", r.startCores),
		fmt.Sprintf("%.3f", r.simCores),
		fmt.Sprintf("%.0f MiB", r.rss/(1<<20)),
		fmt.Sprintf("%.0f", r.goroutines),
		fmt.Sprintf("%.0f", r.fds),
		secs(r.scrapeTook.Seconds()),
		fmt.Sprintf("%.0f KiB", r.scrapeBytes/1024),
		fmt.Sprintf("%.2f s", r.scrapeCPU),
		lag,
		fmt.Sprintf("%s / %s", secs(r.dur[0]), secs(r.dur[1])),
		fmt.Sprintf("%.0f", r.skipped),
		fmt.Sprintf("%.1f", r.reqPerPeerPoll),
		ec2,
		detect,
	}
	fmt.Println("| " + strings.Join(cells, " | ") + " |")
}

// secs prints a duration in seconds as ms below one second.
func secs(s float64) string {
	if math.IsNaN(s) {
		return "n/a"
	}
	if s < 1 {
		return fmt.Sprintf("%.0f ms", s*1000)
	}
	return fmt.Sprintf("%.2f s", s)
}

// check fails a smoke run whose figures show the measurement broke: no
// polls counted, skipped polls, or no alert.
func (r *result) check() error {
	switch {
	case r.reqPerPeerPoll == 0:
		return fmt.Errorf("%d pairs: no PAN-OS requests counted per poll", r.n)
	case r.skipped > 0:
		return fmt.Errorf("%d pairs: %.0f polls skipped", r.n, r.skipped)
	case len(r.detect) < r.faults:
		return fmt.Errorf("%d pairs: %d of %d alerts after the faults never reached Alertmanager", r.n, r.faults-len(r.detect), r.faults)
	}
	return nil
}
