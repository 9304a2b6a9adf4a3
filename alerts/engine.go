package alerts

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/hawatch/hawatch/snapshot"
)

// Defaults of EngineOptions.
const (
	DefaultResendDelay       = time.Minute
	DefaultResolvedRetention = 15 * time.Minute
	DefaultPollInterval      = 30 * time.Second
)

// EngineOptions configure an Engine. Zero values take the defaults.
type EngineOptions struct {
	// Conditions to evaluate; DefaultConditions() when nil.
	Conditions []Condition
	// RunbookBaseURL is the runbooks document the runbook_url annotations
	// point into; DefaultRunbookBaseURL when empty.
	RunbookBaseURL string
	// ResendDelay is how often a firing alert is sent again.
	ResendDelay time.Duration
	// ResolvedRetention is how long a resolved alert is kept (and its
	// resolution resent) before it is forgotten.
	ResolvedRetention time.Duration
	// PollInterval is used for endsAt when a snapshot does not tell its
	// pair's poll interval.
	PollInterval time.Duration
	// GeneratorURL returns the link sent as an alert's generatorURL; no
	// link when nil.
	GeneratorURL func(pair string) string
	// Maintenance tells which pairs are in an announced maintenance; none
	// when nil.
	Maintenance MaintenanceFunc
}

// Engine evaluates the conditions over the snapshots of any number of
// pairs and keeps each pair's alerts and history. Time is whatever the
// caller passes in: the engine never reads the clock. It is safe for
// concurrent use.
type Engine struct {
	opts  EngineOptions
	rules []*rule
	conv  *convergenceMetrics

	mu    sync.Mutex
	pairs map[string]*pairState
	// self holds the alerts about hawatch itself.
	self *pairState
}

// NewEngine returns an engine. It panics if a condition's templates do not
// parse or two conditions share a name, which are programming errors, as
// template.Must does.
func NewEngine(opts EngineOptions) *Engine {
	if opts.Conditions == nil {
		opts.Conditions = DefaultConditions()
	}
	if opts.RunbookBaseURL == "" {
		opts.RunbookBaseURL = DefaultRunbookBaseURL
	}
	if opts.ResendDelay <= 0 {
		opts.ResendDelay = DefaultResendDelay
	}
	if opts.ResolvedRetention <= 0 {
		opts.ResolvedRetention = DefaultResolvedRetention
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	e := &Engine{opts: opts, conv: newConvergenceMetrics(), pairs: map[string]*pairState{}, self: newPairState()}
	seen := map[string]bool{}
	for _, c := range opts.Conditions {
		if seen[c.Name] {
			panic(fmt.Sprintf("alerts: condition %s defined twice", c.Name))
		}
		seen[c.Name] = true
		r, err := newRule(c, opts.RunbookBaseURL)
		if err != nil {
			panic("alerts: " + err.Error())
		}
		e.rules = append(e.rules, r)
	}
	return e
}

// Eval evaluates the pair's snapshot at the time its poll was due,
// snap.Scheduled (now for a snapshot without one), moves its alerts
// through their states and returns the alerts due to be sent to
// Alertmanager: firing alerts not sent for ResendDelay, and resolutions.
//
// Holds, keep_firing_for, resends and retention all count on that clock,
// so that a hold of k poll intervals fires exactly at the k-th poll after
// the condition began, however late the poll started, finished or was
// evaluated. A snapshot due no later than the pair's last evaluation (a
// stale poll of a watcher being replaced) is not evaluated: each time is
// evaluated once, and time never runs backwards for a pair.
//
// now is the wall-clock time of the evaluation, which only dates endsAt:
// firing alerts carry an endsAt of 4×max(ResendDelay, poll interval) after
// the later of the two, so that Alertmanager resolves them if hawatch
// stops, and never at once for an evaluation that runs behind.
func (e *Engine) Eval(now time.Time, snap *snapshot.Pair) []Alert {
	at := now
	if !snap.Scheduled.IsZero() {
		at = snap.Scheduled
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	ps := e.pairs[snap.Name]
	if ps == nil {
		ps = newPairState()
		e.pairs[snap.Name] = ps
	}
	if !ps.hist.lastEval.IsZero() && !at.After(ps.hist.lastEval) {
		return nil
	}
	before := ps.hist.failovers
	ps.hist.update(at, snap)
	ps.hist.maintenance, ps.hist.inMaintenance = Maintenance{}, false
	if e.opts.Maintenance != nil {
		ps.hist.maintenance, ps.hist.inMaintenance = e.opts.Maintenance(snap.Name, at)
	}
	if f, ok := ps.hist.LastFailover(); ok && ps.hist.failovers != before {
		e.conv.failover(snap.Name)
		ps.conv.start(f)
	}
	for phase, d := range ps.conv.observe(at, snap) {
		e.conv.observe(snap.Name, phase, d)
	}
	ps.step(at, e.evaluate(snap, ps.hist), e.opts.ResolvedRetention)
	interval := snap.Config.PollInterval
	if interval <= 0 {
		interval = e.opts.PollInterval
	}
	return ps.due(at, e.opts.ResendDelay, later(at, now).Add(4*max(e.opts.ResendDelay, interval)))
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// evaluate runs every condition over the snapshot. A pair of standalone
// firewalls raises nothing.
func (e *Engine) evaluate(snap *snapshot.Pair, h *History) map[string]found {
	cur := map[string]found{}
	if standalone(snap) {
		return cur
	}
	var gen string
	if e.opts.GeneratorURL != nil {
		gen = e.opts.GeneratorURL(snap.Name)
	}
	for _, r := range e.rules {
		if r.Self {
			continue
		}
		for _, in := range r.Eval(snap, h) {
			ls, ok := r.labelsOf(snap.Name, in)
			if !ok {
				continue
			}
			cur[labelsKey(ls)] = found{rule: r, alert: &Alert{
				Labels:       ls,
				Annotations:  r.annotations(ls, in.Values),
				GeneratorURL: gen,
			}}
		}
	}
	return cur
}

// Remove resolves every alert of a pair that is no longer watched and
// forgets the pair. It returns the resolutions to send.
func (e *Engine) Remove(now time.Time, pair string) []Alert {
	e.mu.Lock()
	defer e.mu.Unlock()
	ps := e.pairs[pair]
	if ps == nil {
		return nil
	}
	ps.resolveAll(now)
	out := ps.due(now, e.opts.ResendDelay, now)
	delete(e.pairs, pair)
	e.conv.remove(pair)
	return out
}

// Pairs returns the names of the pairs the engine holds state for.
func (e *Engine) Pairs() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Sorted(maps.Keys(e.pairs))
}

// Alerts returns a copy of every alert the engine holds: pending, firing,
// and resolved ones still kept, sorted by pair and name.
func (e *Engine) Alerts() []Alert {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Alert
	for _, ps := range append(slices.Collect(maps.Values(e.pairs)), e.self) {
		for _, a := range ps.alerts {
			out = append(out, a.clone())
		}
	}
	sortAlerts(out)
	return out
}

// convergenceOf returns the last failover's convergence of every pair, for
// the collector.
func (e *Engine) convergenceOf() map[string]map[string]float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[string]map[string]float64{}
	for name, ps := range e.pairs {
		if len(ps.conv.last) > 0 {
			out[name] = maps.Clone(ps.conv.last)
		}
	}
	return out
}

// AlertsOf returns a copy of the alerts the engine holds for one pair,
// sorted as Alerts sorts them: the cost of a pair's poll does not grow with
// the number of pairs.
func (e *Engine) AlertsOf(pair string) []Alert {
	e.mu.Lock()
	defer e.mu.Unlock()
	ps := e.pairs[pair]
	if ps == nil {
		return nil
	}
	out := make([]Alert, 0, len(ps.alerts))
	for _, a := range ps.alerts {
		out = append(out, a.clone())
	}
	sortAlerts(out)
	return out
}
