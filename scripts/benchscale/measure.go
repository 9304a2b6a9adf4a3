package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/hawatch/hawatch/alerts"
	"github.com/hawatch/hawatch/sim/fleet"
)

// measure runs one N: simulator, daemon, warm-up, window, teardown.
func measure(ctx context.Context, o options, n int) (*result, *exporterResult, error) {
	dir := filepath.Join(o.workDir, fmt.Sprintf("pairs-%d", n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	hold, err := holdOf(o.alert, o.holdScale)
	if err != nil {
		return nil, nil, err
	}
	am, err := newAlertReceiver()
	if err != nil {
		return nil, nil, err
	}
	defer am.close()
	simProc, control, err := startSim(ctx, o, n, dir)
	if err != nil {
		return nil, nil, err
	}
	defer simProc.stop()
	d, url, err := startDaemon(ctx, o, dir, am.URL)
	if err != nil {
		return nil, nil, err
	}
	defer d.stop()
	// Let the first polls' connection set-up and key checks and the first
	// rolling state snapshots pass, measuring what they cost, then
	// measure one poll interval without scrapes: the cost of polling
	// alone, which a scrape's CPU is corrected by.
	startCores, err := coresOver(ctx, d.pid(), o.warmupFor(n))
	if err != nil {
		return nil, nil, err
	}
	pollCores, err := coresOver(ctx, d.pid(), o.poll)
	if err != nil {
		return nil, nil, err
	}
	w := &window{o: o, n: n, url: url, control: control, pid: d.pid(), simPid: simProc.pid(), am: am, hold: hold}
	var profileDone chan error
	if n == o.profileAt {
		profileDone = make(chan error, 1)
		go func() { profileDone <- fetchProfile(url, o.profileOut) }()
	}
	r, err := w.run(ctx)
	if r != nil {
		r.setPollCores(pollCores)
		r.startCores = startCores
	}
	if profileDone != nil {
		if perr := <-profileDone; perr != nil {
			fmt.Fprintln(os.Stderr, "benchscale: cpu profile:", perr)
		}
	}
	if err != nil || o.exporter == "" || n > o.exporterMax {
		return r, nil, err
	}
	// The simulator must count the exporter's requests alone.
	d.stop()
	e, err := measureExporter(ctx, o, n, dir, control, simProc.pid())
	return r, e, err
}

// holdOf returns the hold of the named alert as the daemon runs it.
func holdOf(alert string, scale float64) (time.Duration, error) {
	for _, c := range alerts.ScaleHolds(alerts.DefaultConditions(), scale) {
		if c.Name == alert {
			return c.For, nil
		}
	}
	return 0, fmt.Errorf("no alert %q", alert)
}

// window is the measured part of one run.
type window struct {
	o            options
	n            int
	url, control string
	pid, simPid  int
	am           *alertReceiver
	hold         time.Duration

	faults  []*fault
	scrapes []*scrape
}

// fault is one pair broken during the window, to time its alert.
type fault struct {
	pair string
	// at is when the pair is to break, then when it broke.
	at     time.Time
	broken bool
}

// plan picks o.faults distinct random pairs, each to break at a random
// moment of the window's first poll interval, so that the faults land at
// every phase of the polls.
func (w *window) plan(t0 time.Time) {
	for _, i := range rand.Perm(w.n)[:min(w.o.faults, w.n)] {
		w.faults = append(w.faults, &fault{pair: fleet.PairName(i), at: t0.Add(rand.N(w.o.poll))})
	}
}

// breakDue breaks the pairs whose moment has come.
func (w *window) breakDue(now time.Time) error {
	for _, f := range w.faults {
		if f.broken || now.Before(f.at) {
			continue
		}
		w.am.expect(w.o.alert, f.pair)
		f.at, f.broken = time.Now(), true
		if err := post(w.control + "/pairs/" + f.pair + "/break?fault=" + w.o.fault); err != nil {
			return err
		}
	}
	return nil
}

// detected reports whether every fault's alert has arrived.
func (w *window) detected() bool {
	for _, f := range w.faults {
		if !f.broken || w.am.arrival(w.o.alert, f.pair).IsZero() {
			return false
		}
	}
	return true
}

func (w *window) run(ctx context.Context) (*result, error) {
	c0, err := getCounts(w.control)
	if err != nil {
		return nil, err
	}
	s0, err := doScrape(w.url, w.pid)
	if err != nil {
		return nil, err
	}
	cpu0, err := cpuSeconds(w.pid)
	if err != nil {
		return nil, err
	}
	sim0, err := cpuSeconds(w.simPid)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	end := t0.Add(w.o.window)
	w.plan(t0)
	detectBy := t0.Add(w.o.poll + w.hold + 3*w.o.poll + 10*time.Second)
	nextScrape := t0.Add(w.o.scrape)
	for {
		now := time.Now()
		if err := w.breakDue(now); err != nil {
			return nil, err
		}
		if now.Before(end) && !now.Before(nextScrape) {
			s, err := doScrape(w.url, w.pid)
			if err != nil {
				return nil, err
			}
			w.scrapes = append(w.scrapes, s)
			nextScrape = nextScrape.Add(w.o.scrape)
		}
		if !now.Before(end) && (w.detected() || now.After(detectBy)) {
			break
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return nil, err
		}
	}
	// Counts are read just before a scrape starts, as the daemon's
	// counters are gathered as it starts, so both cover the same time.
	c1, err := getCounts(w.control)
	if err != nil {
		return nil, err
	}
	last, err := doScrape(w.url, w.pid)
	if err != nil {
		return nil, err
	}
	w.scrapes = append(w.scrapes, last)
	cpu1, err := cpuSeconds(w.pid)
	if err != nil {
		return nil, err
	}
	sim1, err := cpuSeconds(w.simPid)
	if err != nil {
		return nil, err
	}
	elapsed := time.Since(t0)
	rss, err := peakRSS(w.pid)
	if err != nil {
		return nil, err
	}
	r := w.result(s0, last, c0, c1)
	r.cores = (cpu1 - cpu0) / elapsed.Seconds()
	r.simCores = (sim1 - sim0) / elapsed.Seconds()
	r.rss = rss
	r.faults = len(w.faults)
	for _, f := range w.faults {
		_ = post(w.control + "/pairs/" + f.pair + "/restore")
		if a := w.am.arrival(w.o.alert, f.pair); !a.IsZero() {
			r.detect = append(r.detect, a.Sub(f.at)-w.hold)
		}
	}
	return r, nil
}

// coresOver returns the CPU the process used over d, in cores.
func coresOver(ctx context.Context, pid int, d time.Duration) (float64, error) {
	before, err := cpuSeconds(pid)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := sleep(ctx, d); err != nil {
		return 0, err
	}
	after, err := cpuSeconds(pid)
	return (after - before) / time.Since(start).Seconds(), err
}

func post(url string) error {
	resp, err := http.Post(url, "", nil) //nolint:gosec // the simulator's control API on loopback
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %s: %s", url, resp.Status, body)
	}
	return nil
}

// fetchProfile takes a 30 s CPU profile through the daemon's pprof
// endpoint.
func fetchProfile(url, out string) error {
	resp, err := http.Get(url + "/debug/pprof/profile?seconds=30")
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: %s", resp.Status)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
