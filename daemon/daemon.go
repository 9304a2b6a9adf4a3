// Package daemon wires hawatch's parts: scheduler, exporter, alerts and the
// HTTP surface. cmd/hawatch and the demo start it; tests start it in-process.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/oklog/run"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"

	"github.com/hawatch/hawatch/alerts"
	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/exporter"
	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/maintenance"
	"github.com/hawatch/hawatch/scheduler"
	"github.com/hawatch/hawatch/snapshot"
	"github.com/hawatch/hawatch/statesnap"
)

// Options configure a daemon.
type Options struct {
	Config *config.Config
	Logger *slog.Logger
	// Listener serves HTTP; when nil the daemon listens on
	// Config.ListenAddresses or the systemd sockets.
	Listener net.Listener
	// Reload returns a fresh configuration for SIGHUP and POST /-/reload;
	// nil disables reloading.
	Reload func() (*config.Config, error)
	// NewAWS overrides how AWS probers are built (tests).
	NewAWS func(ctx context.Context, pair string, cfg *config.AWSConfig) (scheduler.AWSProber, error)
	// OnSnapshot, when set, also receives the snapshots the alerts
	// evaluate, after them; a pair's snapshot that the alerts had no time
	// to take before the next is skipped.
	OnSnapshot func(*snapshot.Pair)
	// Ready receives the first HTTP listener's address once the
	// listeners are up.
	Ready chan<- net.Addr
	// StateSnapshots tunes the state snapshots taken around failovers and
	// reboots (tests); the zero value takes statesnap's defaults.
	StateSnapshots StateSnapshotOptions
}

// StateSnapshotOptions are the tunables of statesnap.RecorderOptions.
type StateSnapshotOptions struct {
	Interval   time.Duration
	AfterDelay time.Duration
	Keep       int
	KeepAuto   int
}

// Daemon is a running hawatch.
type Daemon struct {
	opts     Options
	log      *slog.Logger
	registry *prometheus.Registry
	sched    *scheduler.Scheduler
	alerts   *alerts.Manager
	journal  *journal.Journal
	timeline *timeline
	recorder *statesnap.Recorder
	// snapshotsOn is false when automatic state snapshots are off.
	snapshotsOn bool
	notifier    *alerts.Notifier // nil without Alertmanagers
	maint       *maintenance.Store
	metrics     *exporter.Cache
	// toAlerts and toMetrics feed the consumers of snapshots, each in its
	// own goroutine, so that no poll waits for them.
	toAlerts, toMetrics *mailbox

	mu       sync.Mutex
	cfg      *config.Config
	reloadCh chan chan error
}

// New builds a daemon from its options; Run starts it.
func New(opts Options) (*Daemon, error) {
	if opts.Config == nil {
		return nil, errors.New("no configuration")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	d := &Daemon{opts: opts, log: opts.Logger, cfg: opts.Config, reloadCh: make(chan chan error),
		toAlerts: newMailbox(), toMetrics: newMailbox()}
	d.registry = prometheus.NewRegistry()
	maint, err := maintenance.Open(opts.Config.DataDir, time.Now())
	if err != nil {
		return nil, err
	}
	d.maint = maint
	maint.SetConfigured(configuredMaintenance(opts.Config), time.Now())
	mopts := alerts.ManagerOptions{
		Engine: alerts.EngineOptions{
			ResendDelay:    opts.Config.Alertmanager.ResendDelay,
			RunbookBaseURL: opts.Config.RunbookURL,
			Conditions:     alerts.ScaleHolds(alerts.DefaultConditions(), opts.Config.AlertHoldScale),
			Maintenance:    maintenanceOf(maint),
		},
		Logger: opts.Logger.With("component", "alerts"),
	}
	if len(opts.Config.Alertmanager.URLs) > 0 {
		n, err := alerts.NewNotifier(alerts.NotifierOptions{
			Config:     opts.Config.Alertmanager,
			Logger:     opts.Logger.With("component", "notifier"),
			Registerer: d.registry,
		})
		if err != nil {
			return nil, fmt.Errorf("alertmanager: %w", err)
		}
		d.notifier, mopts.Sender = n, n
	}
	d.alerts = alerts.NewManager(mopts)
	j, err := journal.Open(opts.Config.DataDir, journal.Options{Logger: opts.Logger.With("component", "journal")})
	if err != nil {
		return nil, fmt.Errorf("event journal: %w", err)
	}
	d.journal, d.timeline = j, newTimeline(j)
	d.recorder = newRecorder(d, opts)
	d.sched = scheduler.New(scheduler.Options{
		Logger:     opts.Logger,
		Publish:    d.publish,
		NewAWS:     opts.NewAWS,
		Registerer: d.registry,
		// Either kind of traffic event proves that the pair forwarded.
		FlowedBefore: func(pair string) bool {
			return j.Any(pair, func(e journal.Event) bool { return e.Kind == journal.KindTraffic })
		},
	})
	// The pairs' metrics are served from d.metrics, beside the registry.
	d.metrics = exporter.NewCache(d.sched, opts.Logger)
	d.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		versioncollector.NewCollector("hawatch"),
		d.alerts.Collector(),
		maintenance.NewCollector(maint, d.sched.Pairs, nil),
	)
	return d, nil
}

// publish hands a new snapshot to the consumers' mailboxes; the poll that
// calls it does not wait for them.
func (d *Daemon) publish(snap *snapshot.Pair) {
	d.toAlerts.put(snap)
	d.toMetrics.put(snap)
}

// consume evaluates the alerts of a pair's snapshot and records what
// changed in the event journal. Only the pair's own alerts are read, so a
// poll costs the same with ten pairs or a thousand.
func (d *Daemon) consume(snap *snapshot.Pair) {
	d.expireMaintenance(time.Now())
	d.alerts.Update(snap)
	events := d.timeline.record(snap, d.alerts.ActiveOf(snap.Name))
	if len(events) > 0 {
		if err := d.journal.Append(events...); err != nil {
			d.log.Error("cannot record events", "pair", snap.Name, "err", err)
		}
	}
	if d.snapshotsOn {
		d.recorder.Observe(snap, events)
	}
	if d.opts.OnSnapshot != nil {
		d.opts.OnSnapshot(snap)
	}
}

// Run runs the daemon until ctx ends or a part fails.
func (d *Daemon) Run(ctx context.Context) error {
	lns, err := d.listen()
	if err != nil {
		return err
	}
	if d.opts.Ready != nil {
		d.opts.Ready <- lns[0].Addr()
	}
	var g run.Group
	{
		sctx, cancel := context.WithCancel(ctx)
		g.Add(func() error {
			if err := d.sched.Apply(sctx, d.cfg.OwnedPairs()); err != nil {
				return err
			}
			return d.reloadLoop(sctx)
		}, func(error) {
			cancel()
			d.sched.Stop()
		})
	}
	d.addServers(&g, lns)
	if d.notifier != nil {
		g.Add(func() error { return d.notifier.Run(ctx) }, func(error) { d.notifier.Stop() })
	}
	for _, c := range []struct {
		box     *mailbox
		consume func(*snapshot.Pair)
	}{{d.toAlerts, d.consume}, {d.toMetrics, d.metrics.Update}} {
		cctx, cancel := context.WithCancel(ctx)
		g.Add(func() error { c.box.run(cctx, c.consume); return nil }, func(error) { cancel() })
	}
	err = g.Run()
	d.recorder.Stop()
	if cerr := d.journal.Close(); cerr != nil {
		d.log.Error("closing the event journal", "err", cerr)
	}
	return err
}

// reloadLoop applies reload requests until ctx ends.
func (d *Daemon) reloadLoop(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case done := <-d.reloadCh:
			done <- d.applyReload(ctx)
		}
	}
}

// Reload re-reads the configuration and applies it; the running pairs that
// did not change keep their state.
func (d *Daemon) Reload(ctx context.Context) error {
	done := make(chan error, 1)
	select {
	case d.reloadCh <- done:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *Daemon) applyReload(ctx context.Context) error {
	if d.opts.Reload == nil {
		return errors.New("reloading is not configured")
	}
	cfg, err := d.opts.Reload()
	if err != nil {
		d.log.Error("reload failed, keeping the running configuration", "err", err)
		return fmt.Errorf("reload: %w", err)
	}
	if err := d.sched.Apply(ctx, cfg.OwnedPairs()); err != nil {
		d.log.Error("reload failed", "err", err)
		return fmt.Errorf("reload: %w", err)
	}
	d.alerts.SetPairs(d.sched.Pairs())
	d.maint.SetConfigured(configuredMaintenance(cfg), time.Now())
	d.mu.Lock()
	d.cfg = cfg
	d.mu.Unlock()
	d.log.Info("configuration reloaded", "pairs", len(cfg.OwnedPairs()))
	return nil
}

// Scheduler returns the scheduler, for the status page and tests.
func (d *Daemon) Scheduler() *scheduler.Scheduler { return d.sched }

// Alerts returns the alert manager, for the status page and tests.
func (d *Daemon) Alerts() *alerts.Manager { return d.alerts }

// Registry returns the daemon's metrics registry.
func (d *Daemon) Registry() *prometheus.Registry { return d.registry }
