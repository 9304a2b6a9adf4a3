package gate

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// modeActivePassive is the only HA mode the gate accepts.
const modeActivePassive = "active-passive"

// checkReachable: both peers answered the API with the configured
// credentials. A peer that did not is "cannot tell", never "not ready".
func checkReachable(p *snapshot.Pair) Check {
	var o outcome
	if len(p.Peers) != 2 {
		o.unknownf("pair has %d peer(s), want 2", len(p.Peers))
	}
	for _, peer := range p.Peers {
		why := unreachable(peer)
		switch {
		case why == "":
			o.passf("%s (%s) answered", peer.Name, peer.Address)
		case peer == nil || peer.Err == nil:
			o.unknownf("%s", why)
		case authFailed(peer.Err):
			o.unknownf("%s (%v); see docs/panos-role.md", why, peer.Err)
		default:
			o.unknownf("%s (%v)", why, peer.Err)
		}
	}
	return o.check(CheckReachable)
}

// checkHAEnabled: HA is on, in active-passive mode, on both peers.
func checkHAEnabled(p *snapshot.Pair) Check {
	var o outcome
	for _, peer := range p.Peers {
		ha, why := haOf(peer)
		switch {
		case ha == nil:
			o.unknownf("%s", why)
		case !ha.Enabled:
			o.failf("HA is not enabled on %s", peer.Name)
		case ha.Mode == "":
			o.unknownf("%s does not report its HA mode", peer.Name)
		case ha.Mode != modeActivePassive:
			o.failf("%s runs HA in %s mode; the gate judges active-passive pairs", peer.Name, ha.Mode)
		default:
			o.passf("%s: enabled, %s", peer.Name, ha.Mode)
		}
	}
	return o.check(CheckHAEnabled)
}

// checkHAStates: exactly one peer is active and the other passive, each by
// its own account.
func checkHAStates(p *snapshot.Pair) Check {
	var o outcome
	var desc []string
	v := p.HAView()
	passive := 0
	for _, peer := range p.Peers {
		ha, why := haOf(peer)
		if ha == nil {
			o.unknownf("%s%s", why, seenBy(p, peer))
			continue
		}
		st := v.Peer(peer.Name).State
		if st == probe.StatePassive {
			passive++
		}
		desc = append(desc, describeState(p, peer, st))
	}
	active := len(v.Reporting)
	summary := strings.Join(desc, ", ")
	switch {
	case len(o.unknown) > 0:
		if summary != "" {
			o.unknownf("%s", summary)
		}
	case active == 1 && passive == 1 && len(p.Peers) == 2:
		o.passf("%s", summary)
	default:
		o.failf("want one active and one passive peer, have %s", summary)
	}
	return o.check(CheckHAStates)
}

// describeState names a peer's state with what the operator can do about it.
func describeState(p *snapshot.Pair, peer *probe.PeerStatus, st probe.HAState) string {
	s := peer.Name + " " + string(st)
	switch st {
	case probe.StateSuspended:
		if p.HAView().Peer(peer.Name).SuspendedByUser {
			return s + " (User requested; `request high-availability state functional` on " + peer.Name + " returns it)"
		}
		return s + lastError(peer.HA)
	case probe.StateNonFunctional:
		return s + lastError(peer.HA)
	case probe.StateInitial, probe.StateTentative:
		return s + " (still coming up)"
	case probe.StateUnknown:
		return fmt.Sprintf("%s (reported %q)", s, peer.HA.LocalStateRaw)
	}
	return s
}

// lastError formats the reason PAN-OS gives for a failed state.
func lastError(ha *probe.HAInfo) string {
	if ha.LastErrorReason == "" {
		return ""
	}
	return " (" + ha.LastErrorReason + ")"
}

// seenBy tells how the other peer sees a peer that gave no state itself.
func seenBy(p *snapshot.Pair, peer *probe.PeerStatus) string {
	for _, other := range p.Peers {
		if other == nil || other == peer || !other.Up || other.HA == nil || peer == nil {
			continue
		}
		if raw := other.HA.PeerStateRaw; raw != "" {
			return fmt.Sprintf("; %s reports it as %s", other.Name, raw)
		}
	}
	return ""
}

// checkHALinks: HA1 and HA2 are configured and up on both peers, and so is
// every configured backup link.
func checkHALinks(p *snapshot.Pair) Check {
	var o outcome
	for _, peer := range p.Peers {
		ha, why := haOf(peer)
		if ha == nil {
			o.unknownf("%s", why)
			continue
		}
		var up []string
		for _, name := range []string{probe.LinkHA1, probe.LinkHA2} {
			if _, ok := ha.Link(name); !ok {
				o.failf("%s: %s is not configured", peer.Name, name)
			}
		}
		for _, l := range ha.Links {
			port := cmp.Or(l.Port, "port not reported")
			if !l.Up {
				o.failf("%s: %s (%s) is %s", peer.Name, l.Name, port, cmp.Or(l.Status, "not reported"))
				continue
			}
			up = append(up, fmt.Sprintf("%s up (%s)", l.Name, port))
		}
		if len(up) > 0 {
			o.passf("%s: %s", peer.Name, strings.Join(up, ", "))
		}
	}
	return o.check(CheckHALinks)
}

// checkPeersConnected: each peer sees the other connected.
func checkPeersConnected(p *snapshot.Pair) Check {
	var o outcome
	for _, peer := range p.Peers {
		ha, why := haOf(peer)
		switch {
		case ha == nil:
			o.unknownf("%s", why)
		case ha.PeerConnected:
			o.passf("%s sees its peer connected", peer.Name)
		default:
			o.failf("%s does not see its peer connected (peer state %s)", peer.Name, cmp.Or(ha.PeerStateRaw, "not reported"))
		}
	}
	return o.check(CheckPeersConnected)
}

// checkConfigSync: running configuration synchronization is on and
// synchronized, as both peers report it.
func checkConfigSync(p *snapshot.Pair) Check {
	var o outcome
	for _, peer := range p.Peers {
		ha, why := haOf(peer)
		switch {
		case ha == nil:
			o.unknownf("%s", why)
		case ha.RunningSync == "" && !ha.RunningSyncEnabled:
			o.unknownf("%s does not report configuration synchronization", peer.Name)
		case !ha.RunningSyncEnabled:
			o.failf("configuration synchronization is disabled on %s", peer.Name)
		case !ha.ConfigSynchronized:
			o.failf("%s reports running config %s", peer.Name, cmp.Or(ha.RunningSync, "not reported"))
		default:
			o.passf("%s: %s", peer.Name, ha.RunningSync)
		}
	}
	return o.check(CheckConfigSync)
}

// checkSessionSync: the passive peer has the session table (state-sync
// Complete), so a failover keeps sessions.
func checkSessionSync(p *snapshot.Pair) Check {
	var o outcome
	passives := 0
	for _, peer := range p.Peers {
		ha, why := haOf(peer)
		if ha == nil {
			o.unknownf("%s", why)
			continue
		}
		if p.HAView().Peer(peer.Name).State != probe.StatePassive {
			continue
		}
		passives++
		sync := strings.TrimSpace(ha.StateSync)
		switch {
		case sync == "":
			o.unknownf("passive %s does not report state-sync", peer.Name)
		case strings.EqualFold(sync, "complete"):
			o.passf("passive %s reports state-sync %s", peer.Name, sync)
		default:
			o.failf("passive %s reports state-sync %s: a failover now would drop sessions", peer.Name, sync)
		}
	}
	if passives == 0 && len(o.unknown) == 0 {
		o.failf("no peer is passive, so none holds the session table")
	}
	return o.check(CheckSessionSync)
}
