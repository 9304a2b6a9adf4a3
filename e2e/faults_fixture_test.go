package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// faultHoldScale is HAWATCH_ALERT_HOLD_SCALE of the fault rows: the holds
// of hawatch's conditions last a twentieth of production's, so that
// HAPeerUnreachable's and HALinkDown's 1 min holds last 3 s,
// with 15 s of keep_firing_for.
const faultHoldScale = 0.05

// How far goroutines and open files may stay above the baseline once a
// fault is removed: a scrape connection or a kept-alive connection more
// is noise, a leak per poll is not.
const (
	goroutineSlack = 8
	fdSlack        = 6
)

// rowFigures are the measurements of one fault row.
type rowFigures struct {
	Row                 string
	BaseRSS, PeakHWM    int64 // KiB
	GoBefore, GoAfter   float64
	FDsBefore, FDsAfter float64
	Recovery            time.Duration
	Note                string
	recoveryStart       time.Time
}

// figures collects the rows' measurements for the table printed at the
// end of TestFaultMatrix.
var figures struct {
	mu   sync.Mutex
	rows []*rowFigures
}

// fixture is one row's world: its own simulator, peer A behind a
// switchable proxy, and its own hawatch process.
type fixture struct {
	sim     *sim.Sim
	world   *sim.World
	peerA   *switchProxy
	trusted *testCA // in hawatch's CA file besides the simulator's CA
	env     map[string]string
	d       *faultDaemon
	base    usage
	fig     *rowFigures
	aws     bool
}

// fixtureOpts configure newFixture.
type fixtureOpts struct {
	// env edits hawatch's environment before it starts.
	env func(fx *fixture, env map[string]string)
	// wrap is a command prefix to run hawatch under.
	wrap []string
	// bin is the binary; the plain build when empty.
	bin string
	// noAWS skips waiting for the AWS side.
	noAWS bool
}

// newFixture starts the row's world and hawatch, waits until both peers
// and AWS are up, and takes the baseline.
func newFixture(t *testing.T, row string, o fixtureOpts) *fixture {
	t.Helper()
	s := startSim(t, sim.Options{})
	fx := &fixture{sim: s, world: s.World(), trusted: newTestCA(t, "fault tests CA"), aws: !o.noAWS}
	fx.peerA = startSwitchProxy(t, s.PeerAddr(sim.PeerA))
	fx.env = simEnv(s)
	fx.env["HAWATCH_PEER_A"] = fx.peerA.Addr
	fx.env["HAWATCH_PANOS_CA_FILE"] = caBundle(t, s.CAFile(), fx.trusted)
	fx.env["HAWATCH_LOG_LEVEL"] = "info"
	fx.env["HAWATCH_DATA_DIR"] = t.TempDir()
	fx.env["HAWATCH_ALERT_HOLD_SCALE"] = fmt.Sprint(faultHoldScale)
	if o.env != nil {
		o.env(fx, fx.env)
	}
	fx.d = startFaultDaemon(t, o.bin, fx.env, o.wrap...)
	fx.waitHealthy(t)
	// Let the first polls' connections and the startup garbage settle.
	time.Sleep(1500 * time.Millisecond)
	fx.base = fx.d.usage(t)
	fx.fig = &rowFigures{Row: row, BaseRSS: fx.base.RSS, GoBefore: fx.base.Goroutines, FDsBefore: fx.base.FDs}
	figures.mu.Lock()
	figures.rows = append(figures.rows, fx.fig)
	figures.mu.Unlock()
	return fx
}

// waitHealthy waits until both peers answer and, with AWS, the EC2 side.
func (fx *fixture) waitHealthy(t *testing.T) {
	t.Helper()
	for _, p := range []string{"fw-a", "fw-b"} {
		fx.d.waitMetric(t, 30*time.Second, peerUp(p), "1")
	}
	if fx.aws {
		fx.d.waitMetric(t, 30*time.Second, `hawatch_aws_up{pair="edge"}`, "1")
	}
}

func peerUp(peer string) string { return fmt.Sprintf(`hawatch_peer_up{pair="edge",peer=%q}`, peer) }

// cleared marks the moment the fault was removed; recovered measures the
// time from then until ok succeeds.
func (fx *fixture) cleared() { fx.fig.recoveryStart = time.Now() }

// recovered waits until ok succeeds and books the recovery time.
func (fx *fixture) recovered(t *testing.T, timeout time.Duration, what string, ok func() error) {
	t.Helper()
	if fx.fig.recoveryStart.IsZero() {
		fx.cleared()
	}
	eventually(t, timeout, what, ok)
	fx.fig.Recovery = time.Since(fx.fig.recoveryStart)
}

// alive fails the test if hawatch has exited.
func (fx *fixture) alive(t *testing.T) {
	t.Helper()
	if err := fx.d.exited(); err != nil {
		t.Fatal(err)
	}
}

// finish checks that hawatch is alive, that its peak resident memory
// stayed within boundMiB of the baseline, and that goroutines and open
// files came back near the baseline; it books the figures.
func (fx *fixture) finish(t *testing.T, boundMiB int64) {
	t.Helper()
	fx.finishWithin(t, boundMiB, 20*time.Second)
}

// finishWithin is finish, allowing goroutines and open files the given
// time to come back.
func (fx *fixture) finishWithin(t *testing.T, boundMiB int64, within time.Duration) {
	t.Helper()
	fx.alive(t)
	var after usage
	start := time.Now()
	defer func() {
		if d := time.Since(start); d > 5*time.Second {
			fx.note("goroutines and fds back after %s", d.Round(time.Second))
		}
	}()
	eventually(t, within, "goroutines and open files back near the baseline", func() error {
		after = fx.d.usage(t)
		fx.fig.GoAfter, fx.fig.FDsAfter, fx.fig.PeakHWM = after.Goroutines, after.FDs, after.HWM
		if after.Goroutines > fx.base.Goroutines+goroutineSlack || after.FDs > fx.base.FDs+fdSlack {
			return fmt.Errorf("goroutines %v → %v, open fds %v → %v", fx.base.Goroutines, after.Goroutines, fx.base.FDs, after.FDs)
		}
		return nil
	})
	if peak := after.HWM - fx.base.RSS; peak > boundMiB<<10 {
		t.Errorf("peak resident memory %d MiB above the baseline of %d MiB, bound %d MiB", peak>>10, fx.base.RSS>>10, boundMiB)
	}
	if grown := after.RSS - fx.base.RSS; grown > boundMiB<<10 {
		t.Errorf("resident memory %d MiB above the baseline after recovery, bound %d MiB", grown>>10, boundMiB)
	}
}

// note adds a remark to the row's figures.
func (fx *fixture) note(format string, args ...any) {
	if fx.fig.Note != "" {
		fx.fig.Note += "; "
	}
	fx.fig.Note += fmt.Sprintf(format, args...)
}

// printFigures logs the table of every row's figures and writes it to
// $HAWATCH_ARTIFACTS_DIR/fault-matrix.txt when that is set.
func printFigures(t *testing.T) {
	figures.mu.Lock()
	rows := slices.Clone(figures.rows)
	figures.mu.Unlock()
	slices.SortFunc(rows, func(a, b *rowFigures) int { return strings.Compare(a.Row, b.Row) })
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "row\tbase RSS MiB\tpeak HWM MiB\tpeak-base MiB\tgoroutines\topen fds\trecovery\tnote")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%.1f\t%.1f\t%.1f\t%v→%v\t%v→%v\t%s\t%s\n", r.Row,
			float64(r.BaseRSS)/1024, float64(r.PeakHWM)/1024, float64(r.PeakHWM-r.BaseRSS)/1024,
			r.GoBefore, r.GoAfter, r.FDsBefore, r.FDsAfter, r.Recovery.Round(100*time.Millisecond), r.Note)
	}
	_ = w.Flush()
	t.Logf("fault matrix figures:\n%s", b.String())
	if dir := os.Getenv("HAWATCH_ARTIFACTS_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "fault-matrix.txt"), []byte(b.String()), 0o644); err != nil {
			t.Errorf("write figures: %v", err)
		}
	}
}
