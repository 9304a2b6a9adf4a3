package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// replica is one hawatch of a sharded set, at a fixed address and with
// its own data directory, so that a restart looks to Prometheus like the
// same target and finds its own journal, as a StatefulSet's pod does.
type replica struct {
	index   int
	bin     string
	addr    string
	url     string
	env     map[string]string
	dir     string
	proc    *process
	started time.Time
	runs    int
}

func newReplica(o shardOptions, index int, simEnv map[string]string) (*replica, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(o.workDir, fmt.Sprintf("hawatch-%d", index))
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return nil, err
	}
	env := maps.Clone(simEnv)
	maps.Copy(env, map[string]string{
		"HAWATCH_LISTEN_ADDRESS": addr,
		"HAWATCH_LOG_LEVEL":      "warn",
		"HAWATCH_DATA_DIR":       filepath.Join(dir, "data"),
		"HAWATCH_SHARDS":         strconv.Itoa(o.shards),
		"HAWATCH_SHARD_INDEX":    strconv.Itoa(index),
	})
	return &replica{index: index, bin: o.hawatch, addr: addr, url: "http://" + addr, env: env, dir: dir}, nil
}

// start starts the replica's process without waiting for it.
func (r *replica) start() error {
	r.runs++
	p, logFile, err := start([]string{r.bin}, r.env, filepath.Join(r.dir, fmt.Sprintf("hawatch.%d.log", r.runs)))
	if err != nil {
		return err
	}
	defer func() { _ = logFile.Close() }()
	p.cmd.Stdout = logFile
	r.started = time.Now()
	if err := p.run(); err != nil {
		return fmt.Errorf("start replica %d: %w", r.index, err)
	}
	r.proc = p
	return nil
}

// waitReady waits until /-/ready answers 200 (every pair of the shard
// polled once) and returns how long after the start that was.
func (r *replica) waitReady(ctx context.Context) (time.Duration, error) {
	deadline := r.started.Add(5 * time.Minute)
	for {
		if resp, err := http.Get(r.url + "/-/ready"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(r.started), nil
			}
		}
		select {
		case <-r.proc.done:
			return 0, fmt.Errorf("replica %d exited (see %s)", r.index, r.proc.log)
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("replica %d not ready within 5 minutes (see %s)", r.index, r.proc.log)
		}
	}
}

// kill ends the replica with SIGKILL, as an OOM kill or a node loss
// does: no shutdown, no last snapshot.
func (r *replica) kill() {
	_ = r.proc.cmd.Process.Kill()
	<-r.proc.done
}
