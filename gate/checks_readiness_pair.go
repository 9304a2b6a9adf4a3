package gate

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// contentVersions: both peers run the same applications and threats,
// threat and antivirus content, none older than MinContentVersion. HA
// synchronizes sessions only between peers with the same content.
func (r readiness) contentVersions() Check {
	var o outcome
	got := map[string]probe.ContentVersions{}
	r.eachPeer(&o, []probe.Command{probe.CmdSystem}, func(peer *probe.PeerStatus, ops *probe.Ops) {
		cv := ops.System.Content()
		got[peer.Name] = cv
		if floor := r.o.Readiness.MinContentVersion; floor != "" && compareContentVersions(cv.App, floor) < 0 {
			o.failf("%s: content %s is older than %s", peer.Name, cv.App, floor)
		}
	})
	if len(got) == len(r.p.Peers) && len(r.p.Peers) == 2 {
		a, b := r.p.Peers[0].Name, r.p.Peers[1].Name
		ca, cb := got[a], got[b]
		for _, item := range []struct{ what, x, y string }{
			{"content", ca.App, cb.App}, {"threat", ca.Threat, cb.Threat}, {"antivirus", ca.AV, cb.AV},
		} {
			if item.x != item.y {
				o.failf("%s %s on %s, %s on %s", item.what, item.x, a, item.y, b)
			}
		}
		o.passf("both run content %s, antivirus %s", ca.App, ca.AV)
	}
	if floor := r.o.Readiness.MinContentVersion; floor != "" {
		o.passf("not older than %s", floor)
	}
	return o.check(CheckContentVersions)
}

// compareContentVersions orders content versions such as "8799-8509" by their
// numbers.
func compareContentVersions(a, b string) int { return slices.Compare(numbers(a), numbers(b)) }

// numbers returns the decimal numbers in s, in order: "10.1.14-h4" is 10,
// 1, 14, 4 and "8799-8509" is 8799, 8509.
func numbers(s string) []int {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			n = math.MaxInt
		}
		out = append(out, n)
	}
	return out
}

// freeDiskSpace: /opt/panrepo of each peer holds the target image and its
// base image with a tenth to spare (what pan-os-upgrade-assurance asks),
// DefaultFreeSpace when no target is given or its size is unknown.
func (r readiness) freeDiskSpace() Check {
	var o outcome
	cmds := []probe.Command{probe.CmdDiskSpace}
	if r.o.target() != "" {
		cmds = append(cmds, probe.CmdSoftware, probe.CmdSystem)
	}
	r.eachPeer(&o, cmds, func(peer *probe.PeerStatus, ops *probe.Ops) {
		need, why := r.spaceNeeded(ops)
		for _, d := range ops.Disk {
			if d.MountedOn != probe.PanRepoMount {
				continue
			}
			if d.Avail < need {
				o.failf("%s: %s free on %s, %s needs %s", peer.Name, gib(d.Avail), d.MountedOn, why, gib(need))
			} else {
				o.passf("%s: %s free on %s (%s needs %s)", peer.Name, gib(d.Avail), d.MountedOn, why, gib(need))
			}
			return
		}
		o.unknownf("%s shows no %s", peer.Name, probe.PanRepoMount)
	})
	return o.check(CheckFreeDiskSpace)
}

// spaceNeeded is the space the images still to download take, and what
// they are.
func (r readiness) spaceNeeded(ops *probe.Ops) (uint64, string) {
	target := r.o.target()
	if target == "" {
		return DefaultFreeSpace, "an image"
	}
	running := ""
	if ops.System != nil {
		running = ops.System.SWVersion
	}
	if running == target {
		return 0, target + " (running)"
	}
	var mb uint64
	for _, v := range missingImages(ops.Software, running, target) {
		found := false
		for _, img := range ops.Software {
			if img.Version == v {
				mb, found = mb+img.SizeMB, true
			}
		}
		if !found {
			return DefaultFreeSpace, v + " (size unknown)"
		}
	}
	return uint64(math.Ceil(1.1 * float64(mb) * (1 << 20))), target
}

// gib formats bytes in GiB with one decimal.
func gib(n uint64) string { return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30)) }

// baseOf is the base image of a feature release: "10.2.0" for "10.2.4-h2".
func baseOf(v string) string {
	n := numbers(v)
	if len(n) < 2 {
		return v
	}
	return fmt.Sprintf("%d.%d.0", n[0], n[1])
}

// forwarding returns the peers whose data plane the checks judge: the
// single active peer, or every peer when there is none or several.
func (r readiness) forwarding() []*probe.PeerStatus {
	if act := r.p.HAView().Active; act != "" {
		for _, peer := range r.p.Peers {
			if peer != nil && peer.Name == act {
				return []*probe.PeerStatus{peer}
			}
		}
	}
	return r.p.Peers
}

// sessionsExist: the pair holds sessions, read from the poll's session
// counts (no extra request).
func (r readiness) sessionsExist() Check {
	var o outcome
	for _, peer := range r.forwarding() {
		switch {
		case unreachable(peer) != "":
			o.unknownf("%s", unreachable(peer))
		case peer.Sessions == nil:
			o.unknownf("%s gave no session counts", peer.Name)
		case peer.Sessions.Active == 0:
			o.failf("%s holds no session", peer.Name)
		default:
			o.passf("%s holds %d sessions", peer.Name, peer.Sessions.Active)
		}
	}
	if len(o.pass) > 0 && len(r.forwarding()) > 1 {
		o.fail, o.unknown = nil, nil // sessions on any peer of a pair without one active
	}
	return o.check(CheckSessionsExist)
}

// arpEntries: the forwarding peer has resolved every address given.
func (r readiness) arpEntries() Check {
	var o outcome
	if len(r.o.Readiness.ARP) == 0 {
		o.unknownf("no address given (--arp)")
		return o.check(CheckARPEntries)
	}
	for _, peer := range r.forwarding() {
		ops, why := r.answered(peer, []probe.Command{probe.CmdARP})
		if why != "" {
			o.unknownf("%s", why)
			continue
		}
		for _, ip := range r.o.Readiness.ARP {
			if e, ok := ops.ARP.Has(ip); ok {
				o.passf("%s: %s at %s on %s", peer.Name, ip, e.MAC, e.Interface)
			} else {
				o.failf("%s has no ARP entry for %s", peer.Name, ip)
			}
		}
	}
	return o.check(CheckARPEntries)
}

// ipsecTunnels: every IPsec tunnel is up on the forwarding peer (a passive
// peer's tunnels wait in init).
func (r readiness) ipsecTunnels() Check {
	var o outcome
	for _, peer := range r.forwarding() {
		ops, why := r.answered(peer, []probe.Command{probe.CmdTunnels})
		if why != "" {
			o.unknownf("%s", why)
			continue
		}
		up := 0
		for _, t := range ops.Tunnels {
			if t.Up() {
				up++
			} else {
				o.failf("%s: tunnel %s to %s is %s", peer.Name, t.Name, t.PeerIP, t.State)
			}
		}
		if len(ops.Tunnels) == 0 {
			o.passf("%s: no IPsec tunnel configured", peer.Name)
		} else {
			o.passf("%s: %d of %d IPsec tunnels up", peer.Name, up, len(ops.Tunnels))
		}
	}
	return o.check(CheckIPsecTunnels)
}
