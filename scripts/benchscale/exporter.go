package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hawatch/hawatch/sim/fleet"
)

// The comparison with a scrape-driven PAN-OS exporter: it polls a firewall
// when Prometheus scrapes it (/panos?target=host:port), so each target is
// scraped once per poll interval, all targets of a round at once with
// bounded concurrency, as Prometheus spreads them over the interval. The
// exporter is built outside this repository and named by
// --panos-exporter; its configuration holds the simulator's admin login,
// since it generates a key itself.

// exporterConcurrency bounds the scrapes in flight.
const exporterConcurrency = 64

// exporterResult is one row of the comparison table.
type exporterResult struct {
	n                int
	cores, simCores  float64
	rss              float64
	reqPerPeerScrape float64
	scrapeP50        float64
	failed           int
}

// measureExporter runs the exporter against the running simulator for the
// window; the daemon must be stopped so that the simulator's counts are
// the exporter's alone.
func measureExporter(ctx context.Context, o options, n int, dir, control string, simPid int) (*exporterResult, error) {
	var pairs []fleet.PairInfo
	if err := getJSON(control+"/pairs", &pairs); err != nil {
		return nil, err
	}
	var peers []string
	for _, p := range pairs {
		peers = append(peers, p.Peers[0], p.Peers[1])
	}
	cfg := filepath.Join(dir, "panos_exporter.yml")
	if err := os.WriteFile(cfg, []byte("devices:\n  default: {username: admin, password: admin}\n"), 0o600); err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, logFile, err := start([]string{o.exporter, "--config.file=" + cfg, "--web.listen-address=" + addr, "--log.level=warn"},
		nil, filepath.Join(dir, "panos_exporter.log"))
	if err != nil {
		return nil, err
	}
	defer func() { _ = logFile.Close() }()
	p.cmd.Stdout = logFile
	if err := p.run(); err != nil {
		return nil, fmt.Errorf("start panos_exporter: %w", err)
	}
	defer p.stop()
	url := "http://" + addr
	if err := waitHTTP(ctx, url+"/metrics"); err != nil {
		return nil, err
	}
	// One warm-up round, then the window.
	scrapeRound(url, peers)
	c0, err := getCounts(control)
	if err != nil {
		return nil, err
	}
	cpu0, err1 := cpuSeconds(p.pid())
	sim0, err2 := cpuSeconds(simPid)
	if err := firstErr(err1, err2); err != nil {
		return nil, err
	}
	t0 := time.Now()
	var took []float64
	r := &exporterResult{n: n}
	rounds := 0
	for next := t0; time.Since(t0) < o.window; next = next.Add(o.poll) {
		if err := sleep(ctx, time.Until(next)); err != nil {
			return nil, err
		}
		t, failed := scrapeRound(url, peers)
		took = append(took, t...)
		r.failed += failed
		rounds++
	}
	cpu1, err1 := cpuSeconds(p.pid())
	sim1, err2 := cpuSeconds(simPid)
	rss, err3 := peakRSS(p.pid())
	c1, err4 := getCounts(control)
	if err := firstErr(err1, err2, err3, err4); err != nil {
		return nil, err
	}
	elapsed := time.Since(t0).Seconds()
	r.cores, r.simCores, r.rss = (cpu1-cpu0)/elapsed, (sim1-sim0)/elapsed, rss
	r.reqPerPeerScrape = float64(c1.panosTotal()-c0.panosTotal()) / float64(rounds*len(peers))
	r.scrapeP50 = quantiles(took, 0.5)[0]
	return r, nil
}

// scrapeRound scrapes every peer once through the exporter.
func scrapeRound(url string, peers []string) (took []float64, failed int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, exporterConcurrency)
	for _, peer := range peers {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			start := time.Now()
			resp, err := http.Get(url + "/panos?target=" + peer)
			ok := err == nil
			if ok {
				body, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				ok = resp.StatusCode == http.StatusOK && strings.Contains(string(body), "panos_up 1")
			}
			mu.Lock()
			defer mu.Unlock()
			took = append(took, time.Since(start).Seconds())
			if !ok {
				failed++
			}
		})
	}
	wg.Wait()
	return took, failed
}

func waitHTTP(ctx context.Context, url string) error {
	for range 100 {
		if resp, err := http.Get(url); err == nil {
			_ = resp.Body.Close()
			return nil
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("%s does not answer", url)
}

func getJSON(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	return json.NewDecoder(resp.Body).Decode(v)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func printExporter(rows []*exporterResult, own []*result) {
	fmt.Println()
	fmt.Println("| pairs | panos_exporter cores | hawatch/exporter cores | peak RSS | req/peer/scrape | hawatch/exporter requests | simulator cores (exporter / hawatch) | target scrape p50 | failed scrapes |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for i, e := range rows {
		h := own[i]
		fmt.Printf("| %d | %.3f | %.2f | %.0f MiB | %.1f | %.2f | %.3f / %.3f | %s | %d |\n",
			e.n, e.cores, h.cores/e.cores, e.rss/(1<<20), e.reqPerPeerScrape, h.reqPerPeerPoll/e.reqPerPeerScrape,
			e.simCores, h.simCores, secs(e.scrapeP50), e.failed)
	}
}
