package sim

import (
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// readinessCmd returns the XML of a readiness command as hawatch sends it.
func readinessCmd(t *testing.T, c probe.Command) string {
	t.Helper()
	s, ok := probe.OpsXML(c)
	if !ok {
		t.Fatalf("no xml for %s", c)
	}
	return s
}

// TestReadinessRepliesMatchRecorded: the replies have every element the
// recorded replies of the same commands have.
func TestReadinessRepliesMatchRecorded(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	s.World().SetJobRunning(PeerA, true)
	for c, name := range map[probe.Command]string{
		probe.CmdLicenses:  "request-license-info-vm50-expired-jcoeder_palo_alto_python.xml",
		probe.CmdNTP:       "show-ntp-upgrade_assurance.xml",
		probe.CmdARP:       "show-arp-all-upgrade_assurance.xml",
		probe.CmdTunnels:   "show-running-tunnel-flow-all-upgrade_assurance.xml",
		probe.CmdJobs:      "show-jobs-all-upgrade_assurance.xml",
		probe.CmdSoftware:  "request-system-software-check-upgrade_assurance.xml",
		probe.CmdClockMore: "show-clock-more-upgrade_assurance.xml",
	} {
		code, body := op(t, s, PeerA, readinessCmd(t, c))
		if code != 200 {
			t.Fatalf("%s: http %d", c, code)
		}
		wantShape(t, body, name)
	}
	// The perl module's recorded software reply has the same entries.
	_, body := op(t, s, PeerA, readinessCmd(t, probe.CmdSoftware))
	wantShape(t, body, "request-system-software-check-vm-8.0-device_paloalto_firewall_perl.xml")
}

// get runs one readiness command on peer i and parses it with hawatch's
// parser.
func get[T any](t *testing.T, s *Sim, i int, c probe.Command, parse func([]byte) (T, error)) T {
	t.Helper()
	code, body := op(t, s, i, readinessCmd(t, c))
	if code != 200 {
		t.Fatalf("%s: http %d: %s", c, code, body)
	}
	v, err := parse(body)
	if err != nil {
		t.Fatalf("%s: %v\n%s", c, err, body)
	}
	return v
}

// TestReadinessControls: each world control changes what its command says,
// and only on the peer it is set on.
func TestReadinessControls(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	w := s.World()
	w.SetLicenseExpired(PeerB, true)
	w.SetSupportExpired(PeerB, true)
	w.SetPendingChanges(PeerB, true)
	w.SetPanRepoFree(PeerB, 300<<20)
	w.SetNTPSynced(PeerB, false)
	w.SetDataplaneSkew(PeerB, 90*time.Second)
	w.SetPanorama(true)
	w.SetPanoramaConnected(PeerB, false)
	w.SetJobRunning(PeerB, true)
	w.DownloadImage(PeerA, "10.2.0")
	for i, bad := range []bool{false, true} {
		lic := get(t, s, i, probe.CmdLicenses, probe.ParseLicenses)
		expired := 0
		for _, l := range lic {
			if l.Expired {
				expired++
			}
		}
		if (expired == 2) != bad || (expired == 0) == bad {
			t.Errorf("peer %d: %d expired licenses", i, expired)
		}
		if get(t, s, i, probe.CmdPendingChanges, probe.ParsePendingChanges) != bad {
			t.Errorf("peer %d: pending changes", i)
		}
		for _, d := range get(t, s, i, probe.CmdDiskSpace, probe.ParseDiskSpace) {
			if d.MountedOn == probe.PanRepoMount && (d.Avail < 1<<30) != bad {
				t.Errorf("peer %d: panrepo avail %d", i, d.Avail)
			}
		}
		if get(t, s, i, probe.CmdNTP, probe.ParseNTP).Synchronized() == bad {
			t.Errorf("peer %d: ntp", i)
		}
		mp := get(t, s, i, probe.CmdClock, probe.ParseClock)
		dp := get(t, s, i, probe.CmdClockMore, probe.ParseDataplaneClocks)
		if skew := dp[0].Time.Sub(mp.Time); (skew >= 90*time.Second) != bad {
			t.Errorf("peer %d: dp clock %v ahead", i, skew)
		}
		pano := get(t, s, i, probe.CmdPanorama, probe.ParsePanoramaStatus)
		if !pano.Configured() || pano.Servers[0].Connected == bad || pano.Servers[0].Address != PanoramaIP {
			t.Errorf("peer %d: panorama %+v", i, pano.Servers)
		}
		running := false
		for _, j := range get(t, s, i, probe.CmdJobs, probe.ParseJobs) {
			running = running || !j.Finished()
		}
		if running != bad {
			t.Errorf("peer %d: job running %v", i, running)
		}
		downloaded := false
		for _, img := range get(t, s, i, probe.CmdSoftware, probe.ParseSoftware) {
			if img.Version == "10.2.0" {
				downloaded = img.Downloaded
			}
			if img.Current != (img.Version == DefaultVersion) {
				t.Errorf("peer %d: image %s current %v", i, img.Version, img.Current)
			}
		}
		if downloaded != (i == PeerA) {
			t.Errorf("peer %d: 10.2.0 downloaded %v", i, downloaded)
		}
	}
}

// TestDataPlaneFacts: the peer that forwards has ARP entries, the tunnel
// and the sessions; the controls take them away.
func TestDataPlaneFacts(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	w := s.World()
	arp := get(t, s, PeerA, probe.CmdARP, probe.ParseARP)
	for _, ip := range ARPGateways {
		if _, ok := arp.Has(ip); !ok {
			t.Errorf("active peer has no ARP entry for %s", ip)
		}
	}
	if len(get(t, s, PeerB, probe.CmdARP, probe.ParseARP).Entries) != 0 {
		t.Error("passive peer has ARP entries")
	}
	if tun := get(t, s, PeerA, probe.CmdTunnels, probe.ParseTunnels); len(tun) != 1 || !tun[0].Up() {
		t.Errorf("active peer tunnels %+v", tun)
	}
	if tun := get(t, s, PeerB, probe.CmdTunnels, probe.ParseTunnels); tun[0].Up() {
		t.Error("passive peer's tunnel is up")
	}

	w.SetARPMissing(ARPGateways[1], true)
	w.SetTunnelUp(false)
	w.SetSessionsCleared(true)
	arp = get(t, s, PeerA, probe.CmdARP, probe.ParseARP)
	if _, ok := arp.Has(ARPGateways[1]); ok || arp.Total != len(ARPGateways)-1 {
		t.Errorf("missing entry still there: %+v", arp)
	}
	if tun := get(t, s, PeerA, probe.CmdTunnels, probe.ParseTunnels); tun[0].Up() {
		t.Error("tunnel up after SetTunnelUp(false)")
	}
	if si := get(t, s, PeerA, probe.CmdSessions, probe.ParseSessionInfo); si.Active != 0 {
		t.Errorf("%d sessions after SetSessionsCleared", si.Active)
	}
}

// TestRefusedReadinessCommand: SetFault refuses one readiness command with
// the code-17 reply of a release that does not know it.
func TestRefusedReadinessCommand(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	s.World().SetFault(PeerA, Fault{Kind: FaultError, Command: CmdJobs})
	_, body := op(t, s, PeerA, readinessCmd(t, probe.CmdJobs))
	r := decode(t, body)
	if r.Status != "error" || r.Code != "17" {
		t.Errorf("refused command: status %q code %q", r.Status, r.Code)
	}
	if _, body := op(t, s, PeerA, readinessCmd(t, probe.CmdNTP)); decode(t, body).Status != "success" {
		t.Error("the fault of one command refused another")
	}
}
