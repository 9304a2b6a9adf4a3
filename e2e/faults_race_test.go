package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// raceFor is how long TestFaultRace lets the faults change under hawatch.
const raceFor = 20 * time.Second

// TestFaultRace runs the package's race-enabled hawatch for raceFor while
// fw-a panics (pango's Initialize on a bad sw-version), turns slow, and
// answers through a rewriting proxy, fw-b refuses keys and the key is
// rotated, EC2 throttles and
// the HA1 link flaps, with the status page, the APIs and /metrics read
// all along and a reload in the middle. The race detector must report
// nothing and hawatch must exit cleanly.
func TestFaultRace(t *testing.T) {
	s := startSim(t, sim.Options{})
	w := s.World()
	ca := newTestCA(t, "race CA")
	// pango's Initialize runs until it first succeeds: fw-a starts
	// panicking, and panics until the first step gives it a good reply.
	panicky := startPanicking(t, s, sim.PeerA, ca.valid(t))
	peerA := startSwitchProxy(t, panicky.Addr)
	am := startFakeAM(t)
	env := simEnv(s)
	delete(env, "HAWATCH_PANOS_API_KEY")
	env["HAWATCH_PANOS_USERNAME"], env["HAWATCH_PANOS_PASSWORD"] = s.Credentials()
	env["HAWATCH_PEER_A"] = peerA.Addr
	env["HAWATCH_PANOS_CA_FILE"] = caBundle(t, s.CAFile(), ca)
	env["HAWATCH_LOG_LEVEL"] = "info"
	env["HAWATCH_DATA_DIR"] = t.TempDir()
	env["HAWATCH_ALERT_HOLD_SCALE"] = fmt.Sprint(faultHoldScale)
	env["HAWATCH_ALERTMANAGER_URLS"] = "http://" + am.Addr
	env["HAWATCH_ALERTMANAGER_RESEND_DELAY"] = "1s"
	d := startFaultDaemon(t, binary, env)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, path := range []string{"/metrics", "/", "/api/v1/pairs", "/api/v1/events", "/-/ready"} {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
				_, _ = get(d.URL + path)
			}
		})
	}
	steps := []func(){
		func() {
			w.SetFault(sim.PeerB, sim.Fault{Kind: sim.FaultForbidden, Command: sim.CmdHA})
			w.RotateAPIKey()
			w.SetThrottle(true)
			w.SetHALink(sim.LinkHA1, false)
		},
		func() {
			peerA.Forward(s.PeerAddr(sim.PeerA))
			w.SetFault(sim.PeerA, sim.Fault{Kind: sim.FaultSlow, Delay: 1500 * time.Millisecond})
		},
		func() { w.ClearFaults(sim.PeerB); w.SetThrottle(false); w.SetHALink(sim.LinkHA1, true) },
		func() { peerA.Forward(panicky.Addr); w.ClearFaults(sim.PeerA) },
	}
	time.Sleep(2 * time.Second)
	end := time.Now().Add(raceFor)
	for i := 0; time.Now().Before(end); i++ {
		steps[i%len(steps)]()
		if i == 6 {
			if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
				t.Error(err)
			}
		}
		time.Sleep(1300 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if err := d.exited(); err != nil {
		t.Fatal(err)
	}
	body, err := get(d.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	panics := 0.0
	for series, v := range samples(body) {
		if strings.HasPrefix(series, "hawatch_panos_panics_total{") && strings.Contains(series, `peer="fw-a"`) {
			f, _ := strconv.ParseFloat(v, 64)
			panics += f
		}
	}
	if panics == 0 {
		t.Error("fw-a never panicked: the panicking peer was not exercised")
	}
	t.Logf("over %s: %v panics recovered on fw-a, keygen requests %d on fw-a and %d on fw-b, %d posts to the alertmanager",
		raceFor, panics, w.Requests(sim.PeerA)[sim.CmdKeygen], w.Requests(sim.PeerB)[sim.CmdKeygen], len(am.received()))
	d.stop()
	out := d.logs.String()
	if strings.Contains(out, "WARNING: DATA RACE") {
		t.Errorf("the race detector reported a data race:\n%s", raceReports(out))
	}
	if code := d.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d, want 0 (66 is the race detector's)", code)
	}
}

// raceReports returns the race detector's reports from the output.
func raceReports(out string) string {
	i := strings.Index(out, "WARNING: DATA RACE")
	return tail(out[i:], 20000)
}
