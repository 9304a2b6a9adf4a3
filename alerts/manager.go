package alerts

import (
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/snapshot"
)

// Sender takes alerts to deliver; the Notifier is one. Send must not block.
type Sender interface {
	Send(alerts ...Alert)
}

// ManagerOptions configure a Manager.
type ManagerOptions struct {
	Engine EngineOptions
	// Sender receives the alerts due after every evaluation; alerts are
	// only evaluated when nil.
	Sender Sender
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Manager ties the engine to the scheduler and the notifier: every new
// snapshot is evaluated and the alerts due are handed to the sender. It is
// safe for concurrent use.
type Manager struct {
	engine *Engine
	sender Sender
	logger *slog.Logger
	now    func() time.Time

	// mu orders evaluations and sends, so that a resolution never
	// overtakes the firing alert it resolves.
	mu sync.Mutex
}

// NewManager returns a manager.
func NewManager(opts ManagerOptions) *Manager {
	m := &Manager{engine: NewEngine(opts.Engine), sender: opts.Sender, logger: opts.Logger, now: opts.Now}
	if m.logger == nil {
		m.logger = slog.New(slog.DiscardHandler)
	}
	if m.now == nil {
		m.now = time.Now
	}
	return m
}

// Update evaluates a new snapshot of a pair at the time its poll was due
// (see Engine.Eval) and sends the alerts due. The alerts about hawatch
// itself are evaluated at the clock's time.
func (m *Manager) Update(snap *snapshot.Pair) {
	if snap == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.deliver(m.engine.Eval(now, snap))
	if f, ok := m.sender.(deliveryHealth); ok {
		m.deliver(m.engine.EvalSelf(now, f.Failing()))
	}
}

// deliveryHealth is implemented by senders that know which Alertmanagers
// they currently fail to reach; the Notifier does.
type deliveryHealth interface {
	Failing() map[string]string
}

// SetPairs tells the manager which pairs are watched after a reload: the
// alerts of every other pair resolve, and the resolutions are sent.
func (m *Manager) SetPairs(names []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for _, pair := range m.engine.Pairs() {
		if !slices.Contains(names, pair) {
			m.logger.Info("pair no longer watched, resolving its alerts", "pair", pair)
			m.deliver(m.engine.Remove(now, pair))
		}
	}
}

// deliver logs state changes and hands the alerts to the sender.
func (m *Manager) deliver(due []Alert) {
	if len(due) == 0 {
		return
	}
	for i := range due {
		a := &due[i]
		switch {
		case a.Resolved() && a.ResolvedAt.Equal(a.LastSentAt):
			m.logger.Info("alert resolved", "alert", a.Name(), "labels", labelsValue(a.Labels))
		case a.State == StateFiring && a.FiredAt.Equal(a.LastSentAt):
			m.logger.Info("alert firing", "alert", a.Name(), "severity", a.Severity(), "labels", labelsValue(a.Labels))
		}
	}
	if m.sender != nil {
		m.sender.Send(due...)
	}
}

// labelsValue logs labels as a group, one attribute per label in name
// order: an object in JSON logs, labels.pair=edge in text logs, where a
// map would print as one opaque "map[…]" string.
func labelsValue(labels map[string]string) slog.Value {
	attrs := make([]slog.Attr, 0, len(labels))
	for _, name := range slices.Sorted(maps.Keys(labels)) {
		attrs = append(attrs, slog.String(name, labels[name]))
	}
	return slog.GroupValue(attrs...)
}

// Active returns the pending and firing alerts, for the status page.
func (m *Manager) Active() []Alert {
	all := m.engine.Alerts()
	out := all[:0]
	for _, a := range all {
		if a.State != StateInactive {
			out = append(out, a)
		}
	}
	return out
}

// Collector returns the collector of the alert and failover metrics; see
// Engine.Collector.
func (m *Manager) Collector() prometheus.Collector { return m.engine.Collector() }

// ActiveOf returns the pending and firing alerts of one pair.
func (m *Manager) ActiveOf(pair string) []Alert {
	return slices.DeleteFunc(m.engine.AlertsOf(pair), func(a Alert) bool { return a.State == StateInactive })
}
