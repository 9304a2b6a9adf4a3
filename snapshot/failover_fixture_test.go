package snapshot

import (
	"strings"
	"testing"

	"github.com/hawatch/hawatch/probe"
)

const testProfile = "arn:aws:iam::123456789012:instance-profile/vmseries-ha"

// readyFor makes a test world ready to fail over in a mode: both instances
// m5.xlarge with an instance profile, running config synchronized, and
// in secondary-ip mode the floating IPs configured on both peers' data
// interfaces (PAN-OS shares interface configuration across the pair).
func readyFor(w *world, mode string) *world {
	w.in.Mode = mode
	for i := range w.aws.Instances {
		w.aws.Instances[i].InstanceType = "m5.xlarge"
		w.aws.Instances[i].IAMProfileARN = testProfile
	}
	for _, p := range w.peers {
		p.HA.RunningSync, p.HA.RunningSyncEnabled, p.HA.ConfigSynchronized = "synchronized", true, true
	}
	if mode == probe.AWSModeSecondaryIP {
		for _, p := range []string{"fw-a", "fw-b"} {
			w.setIP(p, "ethernet1/2", "10.0.2.100/24")
			w.setIP(p, "ethernet1/3", "10.0.3.100/24")
		}
	}
	return w
}

// allowAll is an IAM finding for both peers that allows every action of
// the mode.
func allowAll(mode string) map[string]IAMFindings {
	out := map[string]IAMFindings{}
	for _, peer := range []string{"fw-a", "fw-b"} {
		f := IAMFindings{Profile: probe.Yes, ProfileARN: testProfile, Actions: map[string]probe.Tri{}}
		for _, a := range RequiredHAActions(mode) {
			f.Actions[a] = probe.Yes
		}
		out[peer] = f
	}
	return out
}

// predict runs PredictFailover on the world with the given IAM findings.
func (w *world) predict(iam map[string]IAMFindings) *FailoverView {
	return PredictFailover(FailoverInput{
		Peers: w.peers, AWS: w.aws, Mode: w.in.Mode, PeerInstances: w.in.PeerInstances, IAM: iam,
	})
}

// setLogical changes a logical interface of a peer.
func (w *world) setLogical(peer, iface string, f func(l *probe.LogicalInterface)) {
	p := w.peer(peer)
	for i := range p.Interfaces.Logical {
		if p.Interfaces.Logical[i].Name == iface {
			f(&p.Interfaces.Logical[i])
			return
		}
	}
	panic("no interface " + iface + " on " + peer)
}

// dropInterface removes a port and its logical interfaces from a peer.
func (w *world) dropInterface(peer, iface string) {
	p := w.peer(peer)
	ifs := p.Interfaces
	var hw []probe.HardwareInterface
	for _, h := range ifs.Hardware {
		if h.Name != iface {
			hw = append(hw, h)
		}
	}
	var logical []probe.LogicalInterface
	for _, l := range ifs.Logical {
		if l.Name != iface {
			logical = append(logical, l)
		}
	}
	p.Interfaces = &probe.Interfaces{Hardware: hw, Logical: logical}
}

func (w *world) instance(id string) *probe.AWSInstance {
	for i := range w.aws.Instances {
		if w.aws.Instances[i].ID == id {
			return &w.aws.Instances[i]
		}
	}
	panic("no instance " + id)
}

// failoverCheck returns the check with that name, item and peer.
func failoverCheck(t *testing.T, v *FailoverView, check, item, peer string) FailoverCheck {
	t.Helper()
	for _, c := range v.Checks {
		if c.Check == check && c.Item == item && c.Peer == peer {
			return c
		}
	}
	t.Fatalf("no %s check of %q for %q in:\n%s", check, item, peer, dumpChecks(v))
	return FailoverCheck{}
}

func dumpChecks(v *FailoverView) string {
	var b strings.Builder
	for _, c := range v.Checks {
		b.WriteString(c.Check + " | " + c.Item + " | " + c.Peer + " | " + c.Result.String() + " | " + c.Problem + "\n")
	}
	for _, r := range v.Routes {
		b.WriteString("route " + r.RouteTable + " " + r.Destination + " | " + r.Result.String() + " | " + r.AtFailover + " | " + r.Problem + "\n")
	}
	return b.String()
}

// wantReady fails unless every check and route of v passes.
func wantReady(t *testing.T, v *FailoverView) {
	t.Helper()
	if v.Ready != probe.Yes {
		t.Fatalf("ready %v (%s):\n%s", v.Ready, v.Reason, dumpChecks(v))
	}
	for _, c := range v.Checks {
		if c.Result != probe.Yes || c.Problem != "" {
			t.Errorf("check %s %s: %v %q", c.Check, c.Item, c.Result, c.Problem)
		}
	}
	for _, r := range v.Routes {
		if r.Result != probe.Yes {
			t.Errorf("route %s: %v %q", r.Destination, r.Result, r.Problem)
		}
	}
}

// wantResult checks one check's result and, for a failure or an unknown,
// that its problem names every given fragment.
func wantResult(t *testing.T, c FailoverCheck, want probe.Tri, fragments ...string) {
	t.Helper()
	if c.Result != want {
		t.Fatalf("%s %s: result %v, want %v (%s)", c.Check, c.Item, c.Result, want, c.Problem)
	}
	if want != probe.Yes && c.Problem == "" {
		t.Fatalf("%s %s: %v without a problem text", c.Check, c.Item, want)
	}
	for _, f := range fragments {
		if !strings.Contains(c.Problem, f) {
			t.Errorf("%s %s: problem %q does not name %q", c.Check, c.Item, c.Problem, f)
		}
	}
}
