package sim

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Step is one change of the world in a scenario.
type Step struct {
	Name string
	// After is the wait since the previous step (or the start).
	After time.Duration
	Apply func(*World)
}

// Scenario is a timeline of steps.
type Scenario struct {
	Name  string
	Steps []Step
	// Tail is how long the last step holds before the scenario ends or
	// starts over.
	Tail time.Duration
	// Next, when set, builds the scenario of a later round (2, 3, …) of a
	// loop, so that each round can begin in the state the previous one
	// ended in instead of jumping back to the first round's: a watcher
	// would take such a jump for a failover and a downgrade. Nil plays the
	// same steps again.
	Next func(round int) Scenario
}

// Duration returns the length of one run of the scenario.
func (s Scenario) Duration() time.Duration {
	d := s.Tail
	for _, st := range s.Steps {
		d += st.After
	}
	return d
}

// StepInfo tells which step a Player applied last.
type StepInfo struct {
	Scenario string
	// Index is the position of the step in the scenario, from 0; -1
	// before the first step.
	Index int
	Name  string
	// Round counts the runs of the scenario, from 1.
	Round int
	// At is the world time the step was applied.
	At time.Time
}

// PlayerOptions configure a Player.
type PlayerOptions struct {
	// Loop starts the scenario over after its tail.
	Loop bool
	// Sleep waits d or until ctx is done; a real timer when nil. Tests
	// pass one that advances a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnStep is called after each step is applied.
	OnStep func(StepInfo)
	// Logger logs each step; discarded when nil.
	Logger *slog.Logger
}

// Player plays a scenario against a world.
type Player struct {
	world    *World
	scenario Scenario
	opts     PlayerOptions

	mu      sync.Mutex
	current StepInfo
}

// NewPlayer returns a player of scenario s against w.
func NewPlayer(w *World, s Scenario, opts PlayerOptions) *Player {
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Player{world: w, scenario: s, opts: opts, current: StepInfo{Scenario: s.Name, Index: -1}}
}

// Current returns the step applied last.
func (p *Player) Current() StepInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.current
}

// Run plays the scenario until it ends (or, when looping, until ctx is
// done). It returns ctx's error when stopped early.
func (p *Player) Run(ctx context.Context) error {
	sc := p.scenario
	for round := 1; ; round++ {
		if round > 1 && sc.Next != nil {
			sc = sc.Next(round)
		}
		for i, st := range sc.Steps {
			if err := p.opts.Sleep(ctx, st.After); err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if st.Apply != nil {
				st.Apply(p.world)
			}
			info := StepInfo{Scenario: sc.Name, Index: i, Name: st.Name, Round: round, At: p.world.Now()}
			p.mu.Lock()
			p.current = info
			p.mu.Unlock()
			p.opts.Logger.Info("scenario step", "scenario", sc.Name, "step", st.Name,
				"index", i+1, "of", len(sc.Steps), "round", round)
			if p.opts.OnStep != nil {
				p.opts.OnStep(info)
			}
		}
		if err := p.opts.Sleep(ctx, sc.Tail); err != nil {
			return err
		}
		if !p.opts.Loop {
			return nil
		}
		if sc.Duration() <= 0 {
			// Nothing would ever wait: hold the last step instead of
			// spinning.
			<-ctx.Done()
			return ctx.Err()
		}
	}
}

// NamedScenario is a scenario a user can play by name.
type NamedScenario struct {
	Name        string
	Description string
	// Mode is the AWS HA mode the scenario needs; empty when any will do.
	Mode string
	// Scaled builds the scenario with every wait scaled by f.
	Scaled func(f float64) Scenario
}

// Catalog returns the scenarios a user can play by name, the default
// ("incident") first.
func Catalog() []NamedScenario {
	return []NamedScenario{
		{Name: "incident", Description: "the incident behind hawatch: upgrade, failover, outage, recovery",
			Scaled: IncidentScaled},
		{Name: "incident-latent", Mode: AWSModeInterfaceMove, Scaled: IncidentLatentScaled,
			Description: "the incident, with the passive's untrust port outside its ENI's subnet: the failover itself stops traffic"},
	}
}

// LookupScenario returns the scenario of the catalog with this name.
func LookupScenario(name string) (NamedScenario, bool) {
	for _, c := range Catalog() {
		if c.Name == name {
			return c, true
		}
	}
	return NamedScenario{}, false
}

// sleep waits d on a real timer, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
