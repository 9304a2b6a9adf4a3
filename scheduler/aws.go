package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// awsGrouped is an AWS prober whose pairs are polled together, one set of
// calls per region and round (see awsGroup).
type awsGrouped interface {
	group() *awsGroup
}

// runAWS polls the AWS side on its own, slower interval; the PAN-OS polls
// pick up the latest result. A grouped prober's pairs are polled by their
// region's rounds instead (Run joins the group).
func (w *PairWatcher) runAWS(ctx context.Context) {
	tick := time.NewTicker(w.cfg.AWS.PollInterval)
	defer tick.Stop()
	for {
		if w.awsBusy.CompareAndSwap(false, true) {
			w.pollAWS(ctx)
			w.awsBusy.Store(false)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// pollAWS runs one AWS poll under a deadline shorter than its interval.
func (w *PairWatcher) pollAWS(ctx context.Context) {
	timeout := w.cfg.AWS.PollInterval * 8 / 10
	cause := fmt.Errorf("aws poll of pair %s exceeded its %s timeout: %w", w.cfg.Name, timeout, context.DeadlineExceeded)
	actx, cancel := context.WithTimeoutCause(ctx, timeout, cause)
	defer cancel()
	target := w.awsTarget()
	if !targetKnown(target) && w.latestAWS.Load() == nil {
		// Neither instance IDs nor management IPs yet (both peers down
		// since start): an empty reply would read as "nothing wrong".
		w.log.Debug("aws poll skipped: no instance known for the pair yet")
		return
	}
	w.acceptAWS(actx, w.aws.Probe(actx, target), slog.LevelWarn)
}

// acceptAWS makes st the pair's latest AWS status, checks IAM for its
// instances and counts the poll. Failures are logged at level, once per
// change (a group logs them once for all its pairs).
func (w *PairWatcher) acceptAWS(ctx context.Context, st *probe.AWSStatus, level slog.Level) {
	prev := w.latestAWS.Swap(st)
	w.noteAWSErrors(prev, st, level)
	w.checkIAM(ctx, st)

	w.mu.Lock()
	defer w.mu.Unlock()
	w.stats.AWSPolls++
	if c, ok := w.aws.(awsCallCounter); ok {
		w.stats.AWSRequests, w.stats.AWSFailures = c.Calls(), c.Failures()
	}
	if g, ok := w.aws.(awsGrouped); ok {
		w.stats.AWSClient = g.group().key
	}
}

// awsCallCounter is implemented by probers that count their EC2 calls
// (*probe.AWSProber does, per operation, pages and retries included).
type awsCallCounter interface {
	Calls() map[string]uint64
	Failures() map[string]uint64
}

// noteAWSErrors logs once per change of an operation's error, not on every
// poll: a throttled account would otherwise flood the log.
func (w *PairWatcher) noteAWSErrors(prev, cur *probe.AWSStatus, level slog.Level) {
	ctx := context.Background()
	for op, err := range cur.Errors {
		if prev == nil || prev.Errors[op] == nil || probe.ErrorKey(prev.Errors[op]) != probe.ErrorKey(err) {
			w.log.Log(ctx, level, "aws call failing", "operation", op, "err", err)
		}
	}
	if prev == nil {
		return
	}
	for op := range prev.Errors {
		if cur.Errors[op] == nil {
			w.log.Log(ctx, min(level, slog.LevelInfo), "aws call recovered", "operation", op)
		}
	}
}

// awsTarget names the peers' instances: configured IDs, else the
// management IPs the peers report, for discovery.
func (w *PairWatcher) awsTarget() probe.AWSTarget {
	t := probe.AWSTarget{Pair: w.cfg.Name}
	snap := w.current.Load()
	for _, pc := range w.cfg.Peers {
		ap := probe.AWSPeer{Name: pc.Name, InstanceID: pc.InstanceID}
		if snap != nil {
			if ps := snap.Peer(pc.Name); ps != nil {
				ap.MgmtIP = mgmtIP(ps)
			}
		}
		t.Peers = append(t.Peers, ap)
	}
	return t
}

// peerInstances maps peer labels to instance IDs, configured or found.
func (w *PairWatcher) peerInstances() map[string]string {
	m := map[string]string{}
	for _, pc := range w.cfg.Peers {
		if pc.InstanceID != "" {
			m[pc.Name] = pc.InstanceID
		}
	}
	if st := w.latestAWS.Load(); st != nil {
		for _, in := range st.Instances {
			if in.Peer != "" && m[in.Peer] == "" {
				m[in.Peer] = in.ID
			}
		}
	}
	return m
}

// mgmtIP is the peer's management address as it reports it, without the
// prefix length.
func mgmtIP(ps *probe.PeerStatus) string {
	ip := ""
	if ps.System != nil {
		ip = ps.System.MgmtIP
	}
	if ip == "" && ps.HA != nil {
		ip = ps.HA.LocalMgmtIP
	}
	ip, _, _ = strings.Cut(ip, "/")
	return ip
}

// targetKnown reports whether the target names any instance or management
// IP to look for.
func targetKnown(t probe.AWSTarget) bool {
	for _, p := range t.Peers {
		if p.InstanceID != "" || p.MgmtIP != "" {
			return true
		}
	}
	return false
}
