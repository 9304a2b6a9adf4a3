package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// shardOptions are the settings of the sharding run.
type shardOptions struct {
	hawatch, sim   string // binaries
	prometheus     string // Prometheus binary; empty to go without
	rules          string // rule file Prometheus evaluates
	pairs, shards  int
	victim         int // index of the replica killed
	poll           time.Duration
	restartDelay   time.Duration
	promInterval   time.Duration // Prometheus's scrape and evaluation interval
	watchUntil     time.Duration // how long after the restart to keep watching Prometheus
	smoke          bool
	workDir        string
	countIntervals int // poll intervals over which the simulator's requests are counted
}

func parseShardFlags(args []string) (shardOptions, error) {
	fs := flag.NewFlagSet("benchscale shards", flag.ContinueOnError)
	var o shardOptions
	fs.StringVar(&o.hawatch, "hawatch", "hawatch", "hawatch binary")
	fs.StringVar(&o.sim, "sim", "hawatch-sim", "hawatch-sim binary")
	fs.StringVar(&o.prometheus, "prometheus", "prometheus", `Prometheus binary that scrapes the replicas and evaluates the rules; "" to go without`)
	fs.StringVar(&o.rules, "rules", "deploy/prometheus/hawatch-rules.yml", "alerting rules Prometheus evaluates")
	fs.IntVar(&o.pairs, "pairs", 1000, "number of simulated pairs")
	fs.IntVar(&o.shards, "shards", 3, "number of replicas (HAWATCH_SHARDS)")
	fs.IntVar(&o.victim, "kill", 1, "HAWATCH_SHARD_INDEX of the replica that is killed and restarted")
	fs.DurationVar(&o.poll, "poll-interval", 10*time.Second, "the pairs' poll interval")
	fs.DurationVar(&o.restartDelay, "restart-delay", 10*time.Second, "time between the SIGKILL and the restart, as a StatefulSet's controller and kubelet take")
	fs.DurationVar(&o.promInterval, "prometheus-interval", 5*time.Second, "Prometheus's scrape and rule evaluation interval")
	fs.DurationVar(&o.watchUntil, "watch-after-restart", 0, "how long to keep watching after the restarted replica's pairs are polled again (two Prometheus intervals when 0)")
	fs.BoolVar(&o.smoke, "smoke", false, "quick check: 9 pairs, 1 s polls, a 2 s restart delay")
	fs.StringVar(&o.workDir, "dir", "", "directory for the run's files; a temporary one when empty")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.countIntervals = 3
	if o.smoke {
		o.pairs, o.poll, o.restartDelay, o.promInterval, o.countIntervals = 9, time.Second, 2*time.Second, time.Second, 2
	}
	if o.watchUntil == 0 {
		o.watchUntil = 2 * o.promInterval
	}
	switch {
	case o.shards < 2:
		return o, fmt.Errorf("--shards %d: want at least 2", o.shards)
	case o.pairs < o.shards:
		return o, fmt.Errorf("--pairs %d: want at least one per shard", o.pairs)
	case o.victim < 0 || o.victim >= o.shards:
		return o, fmt.Errorf("--kill %d: want 0 to %d", o.victim, o.shards-1)
	}
	if o.prometheus != "" {
		p, err := exec.LookPath(o.prometheus)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchscale shards: no Prometheus (%v): up and the rules are not shown\n", err)
			p = ""
		}
		o.prometheus = p
	}
	return o, nil
}

// runShards proves that the replicas split the pairs, kills one and
// restarts it, and prints what happened.
func runShards(ctx context.Context, args []string) error {
	o, err := parseShardFlags(args)
	if err != nil {
		return err
	}
	if o.workDir == "" {
		dir, err := os.MkdirTemp("", "hawatch-shards-")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(dir) }()
		o.workDir = dir
	}
	fmt.Printf("# %s, %d CPUs, load average %s; %d pairs, %d replicas, poll %s, restart delay %s\n",
		time.Now().UTC().Format(time.RFC3339), numCPU(), loadAvg(), o.pairs, o.shards, o.poll, o.restartDelay)
	f, err := startFleet(ctx, o)
	if err != nil {
		return err
	}
	defer f.stop()
	part, err := f.partition()
	if err != nil {
		return err
	}
	part.print(o.pairs, o.shards)
	mostPolls, err := f.countRequests(ctx, o)
	if err != nil {
		return err
	}
	out, err := f.outage(ctx, o)
	if err != nil {
		return err
	}
	out.print(o)
	after, err := f.partition()
	if err != nil {
		return err
	}
	fmt.Println("\nAfter the restart:")
	after.print(o.pairs, o.shards)
	fmt.Printf("# load average after: %s\n", loadAvg())
	if o.smoke {
		var twice error
		if mostPolls > 1.5 {
			twice = fmt.Errorf("smoke: a pair was polled %.2f times per interval, want about 1", mostPolls)
		}
		return errors.Join(part.err(), after.err(), out.check(o), twice)
	}
	return errors.Join(part.err(), after.err())
}

// fleetRun is the simulator, the replicas and Prometheus of one run.
type fleetRun struct {
	sim      *process
	control  string
	names    []string // every pair, as the simulator lists it
	replicas []*replica
	sets     [][]string  // each replica's pairs at the last partition
	prom     *promServer // nil without Prometheus
}

func startFleet(ctx context.Context, o shardOptions) (_ *fleetRun, err error) {
	f := &fleetRun{}
	defer func() {
		if err != nil {
			f.stop()
		}
	}()
	simDir := filepath.Join(o.workDir, "sim")
	if err := os.MkdirAll(simDir, 0o755); err != nil {
		return nil, err
	}
	f.sim, f.control, err = startSim(ctx, options{sim: o.sim, poll: o.poll}, o.pairs, simDir)
	if err != nil {
		return nil, err
	}
	if f.names, err = simPairs(f.control); err != nil {
		return nil, err
	}
	env, err := readEnvFile(filepath.Join(simDir, "hawatch.env"))
	if err != nil {
		return nil, err
	}
	for i := range o.shards {
		r, err := newReplica(o, i, env)
		if err != nil {
			return nil, err
		}
		f.replicas = append(f.replicas, r)
	}
	// The replicas start together, as a StatefulSet with Parallel pod
	// management starts them.
	for _, r := range f.replicas {
		if err := r.start(); err != nil {
			return nil, err
		}
	}
	for _, r := range f.replicas {
		if _, err := r.waitReady(ctx); err != nil {
			return nil, err
		}
	}
	if o.prometheus != "" {
		if f.prom, err = startPrometheus(ctx, o, f.replicas); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (f *fleetRun) stop() {
	if f.prom != nil {
		f.prom.stop()
	}
	for _, r := range f.replicas {
		r.proc.stop()
	}
	if f.sim != nil {
		f.sim.stop()
	}
}

// partition scrapes every replica and checks that their pairs split the
// simulator's pairs.
func (f *fleetRun) partition() (*partition, error) {
	sets, err := f.partitionOf(func(*replica) bool { return true })
	if err != nil {
		return nil, err
	}
	f.sets = sets
	return checkPartition(f.names, sets), nil
}
