// Command benchscale measures the daemon's cost over many simulated pairs:
// for each N it starts hawatch-sim and the hawatch binary as separate
// processes, lets the daemon poll for a window while scraping it every
// scrape interval, breaks one pair at a random moment, and prints one table
// row. scripts/bench-scale.sh builds the binaries and runs it; docs/scale.md
// explains the columns.
//
// "benchscale shards" is its second mode: several replicas share the pairs
// of one simulator (scripts/bench-shards.sh, docs/scale.md "Sharding").
package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/hawatch/hawatch/daemon"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the benchmark's settings, shared by every N.
type options struct {
	hawatch, sim   string // binaries
	exporter       string // panos_exporter binary; empty to skip the comparison
	exporterMax    int    // largest N the exporter is run at
	pairs          []int
	aws            bool
	poll, awsPoll  time.Duration
	window, scrape time.Duration
	warmup         time.Duration // 0: warmupFor's default
	holdScale      float64
	fault, alert   string
	faults         int // pairs broken per window
	smoke          bool
	profileAt      int    // N at which to take a CPU profile; 0 for none
	profileOut     string // where the profile goes
	workDir        string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 && os.Args[1] == "shards" {
		if err := runShards(ctx, os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "benchscale shards:", err)
			os.Exit(1)
		}
		return
	}
	o, err := parseFlags(os.Args[1:])
	if err == nil {
		err = run(ctx, o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchscale:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("benchscale", flag.ContinueOnError)
	var o options
	pairs := fs.String("pairs", "10,100,1000", "comma-separated numbers of pairs")
	smoke := fs.Bool("smoke", false, "quick check: 3 pairs with AWS, 1 s polls, a short window and holds")
	fs.StringVar(&o.hawatch, "hawatch", "hawatch", "hawatch binary")
	fs.StringVar(&o.sim, "sim", "hawatch-sim", "hawatch-sim binary")
	fs.StringVar(&o.exporter, "panos-exporter", "", "panos_exporter binary to compare with (built elsewhere); skipped when empty")
	fs.IntVar(&o.exporterMax, "panos-exporter-max-pairs", 100, "largest number of pairs to run panos_exporter at")
	fs.BoolVar(&o.aws, "aws", false, "simulate AWS (one account and region) and count EC2 calls")
	fs.DurationVar(&o.poll, "poll-interval", 10*time.Second, "the pairs' poll interval")
	fs.DurationVar(&o.awsPoll, "aws-poll-interval", 0, "the pairs' AWS poll interval (the daemon's default when 0)")
	fs.DurationVar(&o.window, "window", 60*time.Second, "how long the cost is measured, after the warm-up")
	fs.DurationVar(&o.warmup, "warmup", 0, "time from the daemon's start to the measures; when 0, one poll interval plus the spread of the first rolling state snapshots")
	fs.DurationVar(&o.scrape, "scrape-interval", 10*time.Second, "how often /metrics is scraped during the window")
	fs.Float64Var(&o.holdScale, "hold-scale", 1, "HAWATCH_ALERT_HOLD_SCALE of the daemon")
	fs.StringVar(&o.fault, "fault", "links-down", "fault the control API applies to one pair")
	fs.StringVar(&o.alert, "alert", "HAPairLinksDown", "alert whose arrival at Alertmanager ends the detection")
	fs.IntVar(&o.faults, "faults", 5, "distinct pairs broken per window, each at a random moment of its first poll interval")
	fs.IntVar(&o.profileAt, "profile-pairs", 0, "take a 30 s CPU profile of the daemon in the run with this many pairs")
	fs.StringVar(&o.profileOut, "profile-out", "hawatch-cpu.pb.gz", "file for the CPU profile")
	fs.StringVar(&o.workDir, "dir", "", "directory for the runs' files; a temporary one when empty")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.smoke = *smoke
	if *smoke {
		*pairs = "3"
		o.poll, o.window, o.scrape, o.holdScale = time.Second, 4*time.Second, 2*time.Second, 0.05
		o.aws, o.awsPoll = true, 2*time.Second
	}
	for _, f := range strings.Split(*pairs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return o, fmt.Errorf("--pairs: %q is not a number of pairs", f)
		}
		o.pairs = append(o.pairs, n)
	}
	return o, nil
}

func run(ctx context.Context, o options) error {
	if o.workDir == "" {
		dir, err := os.MkdirTemp("", "hawatch-bench-")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(dir) }()
		o.workDir = dir
	}
	fmt.Printf("# %s, %d CPUs, load average %s; poll %s, window %s, scrape every %s, hold scale %g, aws %v\n",
		time.Now().UTC().Format(time.RFC3339), numCPU(), loadAvg(), o.poll, o.window, o.scrape, o.holdScale, o.aws)
	printHeader()
	var own []*result
	var theirs []*exporterResult
	for _, n := range o.pairs {
		r, e, err := measure(ctx, o, n)
		if err != nil {
			return fmt.Errorf("%d pairs: %w", n, err)
		}
		r.print()
		if o.smoke {
			if err := r.check(); err != nil {
				return fmt.Errorf("smoke: %w", err)
			}
		}
		own = append(own, r)
		if e != nil {
			theirs = append(theirs, e)
		}
	}
	if len(theirs) > 0 {
		printExporter(theirs, own)
	}
	fmt.Printf("# load average after: %s\n", loadAvg())
	return nil
}

// warmupFor is how long the run with n pairs waits after the daemon's
// start before it measures: by default one poll interval past the first
// rolling state snapshots, which a start spreads over up to 2 minutes, so
// that the window sees the daemon's steady cost.
func (o options) warmupFor(n int) time.Duration {
	if o.warmup > 0 {
		return o.warmup
	}
	return o.poll + daemon.FirstSnapshotsWithin(n)
}
