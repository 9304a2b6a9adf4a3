package gate_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/gate"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/scheduler"
	"github.com/hawatch/hawatch/sim"
	"github.com/hawatch/hawatch/snapshot"
)

// simPair is the configuration of the simulated pair.
func simPair(s *sim.Sim) config.PairConfig {
	return config.PairConfig{
		Name: "edge", PollInterval: time.Hour, PollTimeout: 5 * time.Second, SystemInfoInterval: time.Hour,
		Peers: [2]config.PeerConfig{{Name: "fw-a", Address: s.PeerAddr(sim.PeerA)}, {Name: "fw-b", Address: s.PeerAddr(sim.PeerB)}},
		PANOS: config.PANOSConfig{APIKey: config.Secret(s.APIKey()), CAFile: s.CAFile()},
	}
}

// checkSim polls the simulated pair once with the real pango client over
// HTTPS, calls between, fetches what the selected readiness checks read
// and evaluates. between lets a test refuse a command after the poll.
func checkSim(t *testing.T, s *sim.Sim, o gate.Options, between func()) gate.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	w, err := scheduler.New(scheduler.Options{}).Build(ctx, simPair(s))
	if err != nil {
		t.Fatal(err)
	}
	snap := w.PollWithAWS(ctx)
	if between != nil {
		between()
	}
	o.Ops = map[string][]*probe.Ops{snap.Name: w.FetchOps(ctx, gate.ReadinessCommands(o)...)}
	return gate.Evaluate([]*snapshot.Pair{snap}, o)
}

// find returns the named check of the only pair.
func find(t *testing.T, r gate.Report, name string) gate.Check {
	t.Helper()
	for _, c := range r.Pairs[0].Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %s in %+v", name, r.Pairs[0].Checks)
	return gate.Check{}
}

// Options every readiness test runs with: an ARP address, a target with a
// base image, the certificate window.
const (
	arpAddr = "10.0.3.1"
	target  = "10.2.10"
)

func readinessOpts(t *testing.T) gate.Options {
	t.Helper()
	v, err := gate.ParseTargetVersion(target)
	if err != nil {
		t.Fatal(err)
	}
	return gate.Options{TargetVersion: v, Readiness: gate.ReadinessOptions{
		ARP: []string{arpAddr}, CertValidFor: 72 * time.Hour, MinContentVersion: "8700-8000",
	}}
}

// startSim starts a simulator whose passive peer, upgraded first, has the
// target and its base image downloaded.
func startSim(t *testing.T) *sim.Sim {
	t.Helper()
	s, err := sim.Start(context.Background(), sim.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	s.World().DownloadImage(sim.PeerB, "10.2.0")
	s.World().DownloadImage(sim.PeerB, target)
	return s
}

func TestReadinessPassOnHealthyPair(t *testing.T) {
	s := startSim(t)
	s.World().SetPanorama(true)
	r := checkSim(t, s, readinessOpts(t), nil)
	for _, name := range gate.ReadinessChecks {
		if c := find(t, r, name); c.Status != gate.StatusPass {
			t.Errorf("%s: %s: %s", name, c.Status, c.Evidence)
		}
	}
}

// readinessCases make each readiness check fail, and unknown by refusing
// the command it reads (or the peer not answering at all).
var readinessCases = []struct {
	check   string
	fail    func(w *sim.World)
	failSay string // in the evidence of the failure
	refuse  string // sim command refused after the poll; "" for unreachable fw-b
}{
	{gate.CheckActiveSupport, func(w *sim.World) { w.SetSupportExpired(sim.PeerB, true) }, "fw-b: support (Premium) expired", sim.CmdLicenses},
	{gate.CheckExpiredLicenses, func(w *sim.World) { w.SetLicenseExpired(sim.PeerA, true) }, "fw-a: expired Threat Prevention", sim.CmdLicenses},
	{gate.CheckPendingChanges, func(w *sim.World) { w.SetPendingChanges(sim.PeerB, true) }, "fw-b has uncommitted changes", sim.CmdPendingChanges},
	{gate.CheckContentVersions, func(w *sim.World) { w.SetContentVersion(sim.PeerB, "8650-7900") }, "content 8799-8509 on fw-a, 8650-7900 on fw-b", sim.CmdSystem},
	{gate.CheckFreeDiskSpace, func(w *sim.World) { w.SetPanRepoFree(sim.PeerA, 400<<20) }, "fw-a: 0.4 GiB free on /opt/panrepo", sim.CmdDiskSpace},
	{gate.CheckNTPSync, func(w *sim.World) { w.SetNTPSynced(sim.PeerB, false) }, "fw-b not synchronized (LOCAL", sim.CmdNTP},
	{gate.CheckClockSync, func(w *sim.World) { w.SetDataplaneSkew(sim.PeerA, 2*time.Minute) }, "fw-a: data plane dp0 is 2m0s off", sim.CmdClockMore},
	{gate.CheckPanorama, func(w *sim.World) { w.SetPanorama(true); w.SetPanoramaConnected(sim.PeerB, false) }, "fw-b: Panorama 10.0.0.50 not connected", sim.CmdPanorama},
	{gate.CheckSessionsExist, func(w *sim.World) { w.SetSessionsCleared(true) }, "fw-a holds no session", ""},
	{gate.CheckARPEntries, func(w *sim.World) { w.SetARPMissing(arpAddr, true) }, "fw-a has no ARP entry for 10.0.3.1", sim.CmdARP},
	{gate.CheckIPsecTunnels, func(w *sim.World) { w.SetTunnelUp(false) }, "fw-a: tunnel to-dc to 203.0.113.10 is init", sim.CmdTunnels},
	{gate.CheckJobsIdle, func(w *sim.World) { w.SetJobRunning(sim.PeerB, true) }, "fw-b: job 3 (Commit) is running", sim.CmdJobs},
	{gate.CheckTargetImage, func(w *sim.World) { w.DeleteImage(sim.PeerB, "10.2.0") }, "fw-b (upgraded next) lacks 10.2.0", sim.CmdSoftware},
	{gate.CheckMgmtCertificate, func(w *sim.World) { w.SetCertExpiring(sim.PeerA, true) }, "fw-a: certificate expires", ""},
}

func TestReadinessFail(t *testing.T) {
	for _, tc := range readinessCases {
		t.Run(tc.check, func(t *testing.T) {
			s := startSim(t)
			tc.fail(s.World())
			r := checkSim(t, s, readinessOpts(t), nil)
			c := find(t, r, tc.check)
			if c.Status != gate.StatusFail || !strings.Contains(c.Evidence, tc.failSay) {
				t.Errorf("%s: %s, want fail saying %q", c.Status, c.Evidence, tc.failSay)
			}
			if r.ExitCode != gate.ExitNotReady {
				t.Errorf("exit %d, want %d", r.ExitCode, gate.ExitNotReady)
			}
		})
	}
}

func TestReadinessUnknown(t *testing.T) {
	for _, tc := range readinessCases {
		t.Run(tc.check, func(t *testing.T) {
			s := startSim(t)
			w := s.World()
			var between func()
			if tc.refuse != "" {
				// The peer answers the poll and refuses the command after.
				between = func() { w.SetFault(sim.PeerB, sim.Fault{Kind: sim.FaultError, Command: tc.refuse}) }
			} else {
				w.SetReachable(sim.PeerB, false)
			}
			if tc.check == gate.CheckARPEntries || tc.check == gate.CheckIPsecTunnels || tc.check == gate.CheckSessionsExist {
				// These read the forwarding peer.
				w.Failover()
			}
			r := checkSim(t, s, readinessOpts(t), between)
			c := find(t, r, tc.check)
			if c.Status != gate.StatusUnknown || !strings.Contains(c.Evidence, "fw-b") {
				t.Errorf("%s: %s, want unknown naming fw-b", c.Status, c.Evidence)
			}
			if r.ExitCode != gate.ExitCannotTell {
				t.Errorf("exit %d, want %d", r.ExitCode, gate.ExitCannotTell)
			}
		})
	}
}
