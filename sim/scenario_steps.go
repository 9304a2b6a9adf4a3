package sim

import (
	"fmt"
	"strings"
	"time"
)

// IncidentUpgradeVersion is the version the Incident upgrades both peers
// to.
const IncidentUpgradeVersion = "10.1.11-h1"

// Names of the Incident's steps.
const (
	StepNameHealthy        = "healthy"
	StepNameUpgradePassive = "upgrade-passive"
	StepNameFailover       = "failover"
	StepNameUpgradeOther   = "upgrade-other"
	StepNameLinksDown      = "links-down"
	StepNameRecovery       = "recovery"
)

// Incident replays the incident behind hawatch at demo speed: every state
// holds for 20–30 s, so a 5 s poll sees each several times. One run lasts
// four minutes.
func Incident() Scenario { return IncidentScaled(1) }

// IncidentScaled is Incident with every wait and reboot scaled by f (0.1
// plays it ten times faster). The world's InitialHold and MoveTime are not
// scaled; set them in WorldOptions.
//
// Looped, each round starts where the previous one ended: the peer that
// took over stays active, the next round upgrades the other way round to
// the next hotfix (IncidentVersion), and nothing happens at the round
// boundary that a watcher could take for a failover or a downgrade.
func IncidentScaled(f float64) Scenario { return incidentRound(f, 1) }

// IncidentVersion is the version round r of a looped Incident upgrades
// both peers to: IncidentUpgradeVersion, then its next hotfixes.
func IncidentVersion(round int) string {
	if round <= 1 {
		return IncidentUpgradeVersion
	}
	return fmt.Sprintf("%s%d", strings.TrimSuffix(IncidentUpgradeVersion, "1"), round)
}

// incidentRound is round r of the looped Incident. Odd rounds begin with A
// active, even rounds with B, as the previous round left them.
func incidentRound(f float64, round int) Scenario {
	d := func(s float64) time.Duration { return time.Duration(s * f * float64(time.Second)) }
	active, passive := PeerA, PeerB
	if round%2 == 0 {
		active, passive = PeerB, PeerA
	}
	// The first round puts the world into its healthy start; later rounds
	// find it healthy, as the previous round's recovery left it.
	healthy := StepHealthy(0)
	if round > 1 {
		healthy.Apply = nil
	}
	version := IncidentVersion(round)
	return Scenario{
		Name: "incident",
		Steps: []Step{
			// One peer active, the other passive, same version, traffic,
			// AWS consistent.
			healthy,
			// The passive is upgraded and rebooted: unreachable,
			// initial, then passive on a newer version than the active.
			named(StepNameUpgradePassive, StepUpgrade(d(30), passive, version, d(25))),
			// The active is suspended by the user; the passive takes
			// over, and so does AWS.
			named(StepNameFailover, StepFailover(d(60))),
			// The suspended peer is upgraded and rebooted and comes back
			// passive; the versions match again.
			named(StepNameUpgradeOther, StepUpgrade(d(30), active, version, d(25))),
			// Both peers lose HA1, HA2 and every physical data-plane
			// port; the new active's untrust interface sits outside its
			// ENI's subnet and the route is blackholed: traffic stops.
			{Name: StepNameLinksDown, After: d(60), Apply: func(w *World) { linksDown(w, passive) }},
			// Everything is restored with the new active still active.
			{Name: StepNameRecovery, After: d(30), Apply: recovery},
		},
		Tail: d(30),
		Next: func(r int) Scenario { return incidentRound(f, r) },
	}
}

// linksDown takes down HA1, HA2 and every physical data-plane port of
// both peers, and misconfigures the untrust interface of peer taken, the
// one that took over. Loopback, tunnel and vlan interfaces have no link
// and stay up, as on a real firewall.
func linksDown(w *World, taken int) {
	for i := range 2 {
		for _, name := range w.linkPorts() {
			w.SetInterface(i, name, false)
		}
	}
	w.SetHALink(LinkHA1, false)
	w.SetHALink(LinkHA2, false)
	w.SetTraffic(false)
	w.SetInterfaceIP(taken, IfaceUntrust, "10.0.9.11/24")
	w.BlackholeRoute()
}

func recovery(w *World) {
	for i := range 2 {
		for _, name := range w.linkPorts() {
			w.SetInterface(i, name, true)
		}
		w.SetInterfaceIP(i, IfaceUntrust, "")
	}
	w.SetHALink(LinkHA1, true)
	w.SetHALink(LinkHA2, true)
	w.RestoreAWS()
	w.SetTraffic(true)
}

// Healthy is a one-step scenario that leaves the pair healthy.
func Healthy() Scenario {
	return Scenario{Name: "healthy", Steps: []Step{StepHealthy(0)}}
}

func named(name string, s Step) Step {
	s.Name = name
	return s
}

// StepHealthy resets the world to the healthy pair (see World.Reset).
func StepHealthy(after time.Duration) Step {
	return Step{Name: StepNameHealthy, After: after, Apply: (*World).Reset}
}

// StepFailover suspends the active peer; the passive one takes over.
func StepFailover(after time.Duration) Step {
	return Step{Name: "failover", After: after, Apply: (*World).Failover}
}

// StepUnsuspend returns a suspended peer to service.
func StepUnsuspend(after time.Duration, peer int) Step {
	return Step{Name: "unsuspend-" + PeerName(peer), After: after, Apply: func(w *World) { w.Unsuspend(peer) }}
}

// StepReboot reboots a peer, down for the given time.
func StepReboot(after time.Duration, peer int, down time.Duration) Step {
	return Step{Name: "reboot-" + PeerName(peer), After: after, Apply: func(w *World) { w.Reboot(peer, down) }}
}

// StepUpgrade installs a version on a peer and reboots it.
func StepUpgrade(after time.Duration, peer int, version string, down time.Duration) Step {
	return Step{Name: "upgrade-" + PeerName(peer), After: after, Apply: func(w *World) {
		w.Upgrade(peer, version)
		w.Reboot(peer, down)
	}}
}

// StepInterface sets the link of a port of a peer.
func StepInterface(after time.Duration, peer int, name string, up bool) Step {
	return Step{Name: "link-" + PeerName(peer) + "-" + name + "-" + upDown(up), After: after,
		Apply: func(w *World) { w.SetInterface(peer, name, up) }}
}

// StepHALink sets an HA link ("ha1" or "ha2") on both peers.
func StepHALink(after time.Duration, link string, up bool) Step {
	return Step{Name: link + "-" + upDown(up), After: after, Apply: func(w *World) { w.SetHALink(link, up) }}
}

// StepTraffic starts or stops client traffic.
func StepTraffic(after time.Duration, on bool) Step {
	return Step{Name: "traffic-" + onOff(on), After: after, Apply: func(w *World) { w.SetTraffic(on) }}
}

// StepConfigSync sets whether the configuration is synchronized.
func StepConfigSync(after time.Duration, synced bool) Step {
	return Step{Name: "config-sync-" + onOff(synced), After: after, Apply: func(w *World) { w.SetConfigSync(synced) }}
}

// StepFault sets an API fault on a peer.
func StepFault(after time.Duration, peer int, f Fault) Step {
	name := "fault-" + PeerName(peer) + "-" + string(f.Kind)
	if f.Kind == FaultNone {
		name = "fault-" + PeerName(peer) + "-none"
	}
	if f.Command != "" {
		name += "-" + f.Command
	}
	return Step{Name: name, After: after, Apply: func(w *World) { w.SetFault(peer, f) }}
}

// StepInterfaceIP configures a port's address (empty restores it).
func StepInterfaceIP(after time.Duration, peer int, name, cidr string) Step {
	return Step{Name: "ip-" + PeerName(peer) + "-" + name, After: after,
		Apply: func(w *World) { w.SetInterfaceIP(peer, name, cidr) }}
}

// StepDetachENI detaches an ENI.
func StepDetachENI(after time.Duration, eni string) Step {
	return Step{Name: "detach-" + eni, After: after, Apply: func(w *World) { w.DetachENI(eni) }}
}

// StepAWSFollowsFailover sets whether AWS follows failovers.
func StepAWSFollowsFailover(after time.Duration, follows bool) Step {
	return Step{Name: "aws-follows-" + onOff(follows), After: after,
		Apply: func(w *World) { w.SetAWSFollowsFailover(follows) }}
}

// StepBlackholeRoute blackholes the trust subnet's default route.
func StepBlackholeRoute(after time.Duration) Step {
	return Step{Name: "blackhole-route", After: after, Apply: (*World).BlackholeRoute}
}

// StepSourceDestCheck sets source/destination checking of an ENI.
func StepSourceDestCheck(after time.Duration, eni string, on bool) Step {
	return Step{Name: "source-dest-check-" + eni + "-" + onOff(on), After: after,
		Apply: func(w *World) { w.SetSourceDestCheck(eni, on) }}
}

// StepThrottle turns EC2 throttling on or off.
func StepThrottle(after time.Duration, on bool) Step {
	return Step{Name: "throttle-" + onOff(on), After: after, Apply: func(w *World) { w.SetThrottle(on) }}
}

// StepUnauthorized makes EC2 actions answer UnauthorizedOperation.
func StepUnauthorized(after time.Duration, actions ...string) Step {
	return Step{Name: "unauthorized", After: after, Apply: func(w *World) { w.SetUnauthorized(actions...) }}
}

// StepInstanceStatus sets a peer's instance status check.
func StepInstanceStatus(after time.Duration, peer int, status string) Step {
	return Step{Name: "instance-" + PeerName(peer) + "-" + status, After: after,
		Apply: func(w *World) { w.SetInstanceStatus(peer, status) }}
}

// StepRestoreAWS clears AWS faults and points AWS at the active peer.
func StepRestoreAWS(after time.Duration) Step {
	return Step{Name: "restore-aws", After: after, Apply: (*World).RestoreAWS}
}

func onOff(v bool) string {
	if v {
		return "on"
	}
	return "off"
}
