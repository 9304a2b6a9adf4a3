package probe_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/sim"
)

// TestFetchHealthyPair runs every on-demand command with the real pango
// client against the simulator and checks what a healthy pair shows.
func TestFetchHealthyPair(t *testing.T) {
	s := startSim(t)
	for i, name := range []string{"fw-a", "fw-b"} {
		ops := newPeer(t, s, i, keyCreds(s), 5*time.Second).Fetch(context.Background())
		for _, r := range ops.Results {
			if r.Err != nil {
				t.Errorf("%s %s: %v", name, r.Command, r.Err)
			}
		}
		if len(ops.Results) != len(probe.OpsCommands) {
			t.Fatalf("%s: %d results, want %d", name, len(ops.Results), len(probe.OpsCommands))
		}
		if len(ops.Licenses) != 5 || ops.PendingChanges || ops.NTP == nil || !ops.NTP.Synchronized() {
			t.Errorf("%s: licenses %d pending %v ntp %+v", name, len(ops.Licenses), ops.PendingChanges, ops.NTP)
		}
		if ops.Clock == nil || len(ops.DataplaneClocks) != 1 || ops.Panorama == nil || ops.Panorama.Configured() {
			t.Errorf("%s: clock %+v dp %+v panorama %+v", name, ops.Clock, ops.DataplaneClocks, ops.Panorama)
		}
		if ops.Cert == nil || ops.Cert.NotAfter.Before(time.Now()) {
			t.Errorf("%s: cert %+v", name, ops.Cert)
		}
		if ops.System == nil || ops.System.Content().App == "" || len(ops.Software) == 0 || len(ops.Jobs) == 0 {
			t.Errorf("%s: system %+v software %d jobs %d", name, ops.System, len(ops.Software), len(ops.Jobs))
		}
		if len(ops.Tunnels) != 1 || ops.ARP == nil {
			t.Fatalf("%s: tunnels %+v arp %+v", name, ops.Tunnels, ops.ARP)
		}
		// A is active and forwards: it resolved the gateways and holds the
		// tunnel; B has neither.
		if active := i == sim.PeerA; ops.Tunnels[0].Up() != active || (len(ops.ARP.Entries) > 0) != active {
			t.Errorf("%s: tunnel up %v, %d arp entries", name, ops.Tunnels[0].Up(), len(ops.ARP.Entries))
		}
	}
}

// TestFetchRefusedCommand: a command the peer refuses is that command's
// error only; the others still answer.
func TestFetchRefusedCommand(t *testing.T) {
	s := startSim(t)
	s.World().SetFault(sim.PeerA, sim.Fault{Kind: sim.FaultError, Command: sim.CmdNTP})
	ops := newPeer(t, s, sim.PeerA, keyCreds(s), 5*time.Second).Fetch(context.Background(), probe.CmdNTP, probe.CmdJobs)
	var apiErr *probe.APIError
	if err := ops.Err(probe.CmdNTP); !errors.As(err, &apiErr) || !apiErr.Unsupported() {
		t.Errorf("ntp: err %v, want an unsupported-command API error", err)
	}
	if err := ops.Err(probe.CmdJobs); err != nil || len(ops.Jobs) == 0 {
		t.Errorf("jobs: err %v, %d jobs", err, len(ops.Jobs))
	}
	if err := ops.Err(probe.CmdARP); !errors.Is(err, probe.ErrNotFetched) {
		t.Errorf("arp: err %v, want ErrNotFetched", err)
	}
}

// TestPollSendsNoOnDemandCommand: the regular poll keeps its request count
// and sends none of the on-demand commands.
func TestPollSendsNoOnDemandCommand(t *testing.T) {
	s := startSim(t)
	p := newPeer(t, s, sim.PeerA, keyCreds(s), 5*time.Second)
	p.Poll(context.Background())
	s.World().ResetRequests(sim.PeerA)
	p.Poll(context.Background())
	polled := s.World().Requests(sim.PeerA)
	total := 0
	for _, n := range polled {
		total += n
	}
	if total != len(probe.PollCommands) {
		t.Errorf("a poll sent %d requests (%v), want %d", total, polled, len(probe.PollCommands))
	}
	for _, c := range []string{sim.CmdLicenses, sim.CmdARP, sim.CmdSoftware} {
		if polled[c] != 0 {
			t.Errorf("a poll sent %s", c)
		}
	}
}
