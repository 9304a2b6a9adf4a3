package statesnap

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/snapshot"
)

// episodeBase names the snapshots of an episode: pair, what happened and
// when, e.g. "edge-failover-20260304T095100Z".
func episodeBase(pair string, e journal.Event) string {
	what := "failover"
	if e.Kind != journal.KindFailover {
		what = e.Peer + "-down"
	}
	return safeName(pair + "-" + what + "-" + e.Time.UTC().Format("20060102T150405Z"))
}

// safeName replaces what a snapshot name may not hold with '_'.
func safeName(s string) string {
	s = strings.Map(func(c rune) rune {
		if c == '.' || c == '_' || c == '-' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
			return c
		}
		return '_'
	}, s)
	s = strings.TrimLeft(s, "._-")
	if len(s) > 100 {
		s = s[:100]
	}
	return s
}

// open starts an episode: the newest rolling snapshot taken before the
// event is saved as its before. The caller holds r.mu.
func (r *Recorder) open(pr *pairRec, pair string, e journal.Event) *episode {
	ep := &episode{base: episodeBase(pair, e), event: EventRef{Kind: e.Kind, Peer: e.Peer, Time: e.Time, Message: e.Message}}
	var before *Snapshot
	for _, s := range pr.rolling {
		if !s.TakenAt.After(e.Time) {
			before = s
		}
	}
	if before == nil {
		r.opts.Logger.Warn("no state snapshot from before the event to keep", "pair", pair, "event", e.Kind)
		return ep
	}
	cp := *before
	cp.Name, cp.Trigger, cp.Event = ep.base+"-before", TriggerBefore, &ep.event
	r.save(&cp)
	return ep
}

// take builds a snapshot on a goroutine of its own: a rolling one when ep
// is nil, else the after of ep. The caller holds r.mu.
func (r *Recorder) take(pr *pairRec, snap *snapshot.Pair, ep *episode) {
	pr.busy = true
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		ctx, cancel := context.WithTimeout(r.ctx, r.opts.Timeout)
		ops := r.opts.Fetch(ctx, snap.Name)
		cancel()
		name, trigger := safeName(snap.Name+"-rolling"), TriggerRolling
		if ep != nil {
			name, trigger = ep.base+"-after", TriggerAfter
		}
		s := Build(name, trigger, snap, ExtrasOf(snap, ops), snap.End)
		r.mu.Lock()
		defer r.mu.Unlock()
		pr.busy = false
		if ep == nil {
			pr.rolling = append(pr.rolling, s)
			if len(pr.rolling) > r.opts.Keep {
				pr.rolling = pr.rolling[len(pr.rolling)-r.opts.Keep:]
			}
			return
		}
		s.Event = &ep.event
		if pr.episode == ep {
			pr.episode = nil
		}
		r.save(s)
	}()
}

// save stores an automatic snapshot and removes the pair's oldest beyond
// KeepAuto. The caller holds r.mu.
func (r *Recorder) save(s *Snapshot) {
	if err := r.opts.Saver.Save(s); err != nil {
		r.opts.Logger.Error("cannot save state snapshot", "pair", s.Pair, "snapshot", s.Name, "err", err)
		return
	}
	r.opts.Logger.Info("state snapshot saved", "pair", s.Pair, "snapshot", s.Name)
	if r.opts.OnSaved != nil {
		r.opts.OnSaved(s)
	}
	infos, _, err := r.opts.Saver.List()
	if err != nil {
		r.opts.Logger.Error("cannot list state snapshots", "err", err)
		return
	}
	// Whole episodes go, oldest event first: a before is older than its
	// after but belongs with it.
	var auto []Info
	for _, in := range infos {
		if in.Pair == s.Pair && in.Event != nil && (in.Trigger == TriggerBefore || in.Trigger == TriggerAfter) {
			auto = append(auto, in)
		}
	}
	slices.SortStableFunc(auto, func(a, b Info) int { return b.Event.Time.Compare(a.Event.Time) })
	for _, in := range auto[min(len(auto), r.opts.KeepAuto):] {
		if err := r.opts.Saver.Remove(in.Name); err != nil {
			r.opts.Logger.Error("cannot remove old state snapshot", "snapshot", in.Name, "err", err)
		}
	}
}

// String describes the snapshot in one sentence for the event timeline.
func (s *Snapshot) String() string {
	if s.Event == nil {
		return "State snapshot " + s.Name + " saved."
	}
	return fmt.Sprintf("State snapshot %s saved (%s: %s)", s.Name, s.Trigger, strings.TrimSpace(s.Event.Message))
}
