package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/daemon"
	"github.com/hawatch/hawatch/gate"
	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/scheduler"
	"github.com/hawatch/hawatch/sim"
)

// startDemo starts the demo's simulator and daemon as `hawatch demo` does,
// polling every poll, and returns the daemon's address.
func startDemo(t *testing.T, ctx context.Context, o Options, poll time.Duration) (*Env, string) {
	t.Helper()
	o.PollInterval = poll
	o.Env = envconfig.MapLookuper(map[string]string{"HAWATCH_LISTEN_ADDRESS": "127.0.0.1:0"})
	env, err := Start(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Sim.Close() })
	logger := slog.New(slog.DiscardHandler)
	ready := make(chan net.Addr, 1)
	d, err := daemon.New(daemon.Options{Config: env.Config, Logger: logger, NewAWS: env.NewAWS(logger), Ready: ready})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	t.Cleanup(func() { <-errc })
	select {
	case addr := <-ready:
		return env, addr.String()
	case err := <-errc:
		t.Fatalf("daemon: %v", err)
	}
	return nil, ""
}

// events returns the demo pair's timeline, oldest first.
func events(t *testing.T, addr string) []journal.Event {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/api/v1/events?pair=demo&limit=1000")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Events []journal.Event `json:"events"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(page.Events)-1; i < j; i, j = i+1, j-1 {
		page.Events[i], page.Events[j] = page.Events[j], page.Events[i]
	}
	return page.Events
}

// TestLoopRoundBoundary plays two rounds of the incident twenty times
// faster than the demo and checks what hawatch makes of the restart: no
// failover and no version change between the end of round 1 and the
// upgrade of round 2, and no HAPairFlapping (two failovers in two rounds
// are not three).
func TestLoopRoundBoundary(t *testing.T) {
	if testing.Short() {
		t.Skip("plays two rounds of the scenario (about 25 s)")
	}
	const scale = 0.05 // a round lasts 12 s, its shortest step 1.5 s
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	env, addr := startDemo(t, ctx, Options{Scale: scale}, 200*time.Millisecond)
	p := env.Play(ctx, scale, slog.New(slog.DiscardHandler))

	// When each step of interest was applied.
	seen := map[string]time.Time{}
	key := func(round int, step string) string { return fmt.Sprintf("%d/%s", round, step) }
	for {
		cur := p.Current()
		if _, ok := seen[key(cur.Round, cur.Name)]; !ok && cur.Round > 0 {
			seen[key(cur.Round, cur.Name)] = cur.At
		}
		if cur.Round == 2 && cur.Name == sim.StepNameRecovery {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("round 2 did not finish: at %+v", cur)
		case <-time.After(20 * time.Millisecond):
		}
	}
	time.Sleep(time.Second) // the last polls of round 2
	boundaryFrom, boundaryTo := seen[key(1, sim.StepNameRecovery)], seen[key(2, sim.StepNameUpgradePassive)]
	if boundaryFrom.IsZero() || boundaryTo.IsZero() {
		t.Fatalf("steps seen %v", seen)
	}

	var failovers int
	for _, e := range events(t, addr) {
		atBoundary := !e.Time.Before(boundaryFrom) && e.Time.Before(boundaryTo)
		switch {
		case e.Kind == journal.KindFailover:
			failovers++
			if atBoundary {
				t.Errorf("failover at the round boundary: %s %s", e.Time.Format(time.StampMilli), e.Message)
			}
		case e.Kind == journal.KindVersion:
			// hawatch compares versions between two polls that both
			// reached the peer, so an upgrade across a reboot is not an
			// event; a jump of the world back to the old version would be.
			if atBoundary {
				t.Errorf("version change at the round boundary: %s %s", e.Time.Format(time.StampMilli), e.Message)
			}
		case e.Kind == journal.KindAlert && e.Subject == "HAPairFlapping":
			t.Errorf("HAPairFlapping in two rounds: %s %s", e.Time.Format(time.StampMilli), e.Message)
		}
	}
	// Each round fails over once: the checks above looked at a timeline
	// that holds both.
	if failovers != 2 {
		t.Errorf("timeline holds %d failovers, want 2 (one a round)", failovers)
	}
}

// TestWelcomeCheckCommand: the welcome text tells how to gate the
// simulated pair with `hawatch check`, with the simulator's own key (never
// one from the user's environment), and the command it prints works.
func TestWelcomeCheckCommand(t *testing.T) {
	ctx := t.Context()
	env, err := Start(ctx, Options{Env: envconfig.MapLookuper(map[string]string{
		"HAWATCH_PANOS_API_KEY":  "LUFRPT-a-real-key-from-the-users-shell",
		"HAWATCH_LISTEN_ADDRESS": "127.0.0.1:0",
	})})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = env.Sim.Close() }()
	var out bytes.Buffer
	PrintWelcome(&out, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 10869}, env)
	text := out.String()
	if strings.Contains(text, "real-key") || env.Config.Pairs[0].PANOS.APIKey.Reveal() != env.Sim.APIKey() {
		t.Fatalf("the demo took the user's key:\n%s", text)
	}
	// The VAR=value words of the printed command line.
	vars := map[string]string{}
	for _, word := range strings.Fields(text) {
		if k, v, ok := strings.Cut(word, "="); ok && (strings.HasPrefix(k, "HAWATCH_") || strings.HasPrefix(k, "AWS_")) {
			vars[k] = v
		}
	}
	if vars["HAWATCH_PANOS_API_KEY"] != env.Sim.APIKey() || !strings.Contains(text, "hawatch check") {
		t.Fatalf("welcome lacks the check command with the simulator's key:\n%s", text)
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		t.Setenv(k, vars[k])
		delete(vars, k)
	}
	cfg, err := config.Load(envconfig.MapLookuper(vars))
	if err != nil {
		t.Fatalf("printed configuration: %v", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	snaps, err := scheduler.New(scheduler.Options{}).PollAll(pctx, cfg.Pairs)
	if err != nil {
		t.Fatal(err)
	}
	var report bytes.Buffer
	r := gate.Evaluate(snaps, gate.Options{})
	_ = r.WriteTable(&report)
	if r.ExitCode != 0 {
		t.Errorf("check with the printed command on the healthy simulated pair: exit %d\n%s", r.ExitCode, report.String())
	}
}
