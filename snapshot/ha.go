package snapshot

import (
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// HAView is the pair's HA state as hawatch judges it, computed once per poll
// by BuildHA from the peers' replies. The exporter, the alert engine, the
// journal, the status page and the upgrade gate read it; none of them
// derives these facts again.
type HAView struct {
	// Known is true when at least one peer answered the HA command, so that
	// something can be said about HA at all.
	Known bool
	// Enabled is true when a peer that answered has HA configured. A pair
	// of standalone firewalls is Known and not Enabled.
	Enabled bool
	// Mode is ModeActiveActive when a peer that answers runs active/active,
	// else the mode the first peer reports ("active-passive"); empty when no
	// peer reports one.
	Mode string
	// Reporting lists the peers that report an active state themselves,
	// in peer order (active, or active-primary/-secondary on active/active).
	Reporting []string
	// Actives lists the peers the pair believes active: Reporting, or,
	// when no peer reports itself active, the peers that their HA peer
	// sees active over a connected HA link (a peer that stopped answering
	// is still known active by the other's view).
	Actives []string
	// Active is the single active peer, or "" when there is none or more
	// than one.
	Active string
	// Peers holds one entry per peer, in the pair's peer order.
	Peers []PeerHA
}

// PeerHA is one peer's part of the HA view.
type PeerHA struct {
	Name string
	// Answered is true when the peer answered the API this poll.
	Answered bool
	// HA is true when the peer answered the HA command with HA enabled;
	// State, Links and the HA fields below mean something only then.
	HA bool
	// State is the peer's own HA state: StateUnknown unless HA is true, and
	// for any value outside probe.HAStates.
	State    probe.HAState
	StateRaw string
	// SeenAs is the state the other peer reports for this one over a
	// connected HA link; StateUnknown when no other peer sees it.
	SeenAs probe.HAState
	// SeesPeer is true when this peer reports its HA peer connected.
	SeesPeer bool
	// Version is the PAN-OS version the peer runs: build-rel of this poll's
	// HA reply, else the (older) system info; "" when unknown.
	Version string
	// VersionFrom names Version's source, VersionFromHA or
	// VersionFromSystem, so that two polls are compared like for like.
	VersionFrom string
	// SuspendedByUser is true when the peer is suspended at an operator's
	// request (a planned maintenance step).
	SuspendedByUser bool
	// Links are the configured HA links as this peer reports them.
	Links []probe.HALink
	// Ports are the peer's hardware ports with their roles; nil when the
	// peer gave no interface reply.
	Ports []Port
	// DataPlane counts the ports that carry the data plane's link state.
	DataPlane LinkCount
}

// Port is one hardware port of a peer.
type Port struct {
	Name string
	Kind probe.PortKind
	Role string // probe.RoleDataPlane, RoleHA, RoleVirtual, RoleUnused, …
	Up   bool
	// Link is true for the ports whose link state is the data plane's
	// (physical ports and aggregate groups that forward traffic). Virtual
	// interfaces (loopback, tunnel, vlan) never are.
	Link bool
	// Zones and Forwarding are the zones and forwarding targets
	// ("vr:default", "vwire:…") of the logical interfaces on the port,
	// sorted and without repeats.
	Zones      []string
	Forwarding []string
}

// LinkCount counts ports or links that are up out of a total.
type LinkCount struct {
	Up, Total int
}

// AllDown reports whether there is at least one and none is up.
func (c LinkCount) AllDown() bool { return c.Total > 0 && c.Up == 0 }

// ModeActiveActive is the HA mode in which both peers forward.
const ModeActiveActive = "active-active"

// BuildHA computes the HA view of a pair from the peers of one poll.
func BuildHA(peers []*probe.PeerStatus) *HAView {
	v := &HAView{Peers: make([]PeerHA, 0, len(peers))}
	for _, peer := range peers {
		if peer == nil {
			continue
		}
		ph := buildPeerHA(peer)
		if ph.Answered && peer.HA != nil {
			v.Known = true
			v.Enabled = v.Enabled || peer.HA.Enabled
			if peer.HA.Enabled && (v.Mode == "" || peer.HA.Mode == ModeActiveActive) {
				v.Mode = peer.HA.Mode
			}
		}
		v.Peers = append(v.Peers, ph)
	}
	v.seeAcross(peers)
	var seen []string
	for i := range v.Peers {
		ph := &v.Peers[i]
		if ph.State.IsActive() {
			v.Reporting = append(v.Reporting, ph.Name)
		}
		if ph.SeenAs.IsActive() {
			seen = append(seen, ph.Name)
		}
		ph.SuspendedByUser = suspendedByUser(ph, peers)
	}
	// A peer's own report wins; only when no peer reports itself active
	// does the pair believe what the peers see of each other.
	v.Actives = v.Reporting
	if len(v.Actives) == 0 {
		v.Actives = seen
	}
	if len(v.Actives) == 1 {
		v.Active = v.Actives[0]
	}
	return v
}

// buildPeerHA reads one peer's own replies.
func buildPeerHA(peer *probe.PeerStatus) PeerHA {
	ph := PeerHA{Name: peer.Name, Answered: peer.Up, State: probe.StateUnknown, SeenAs: probe.StateUnknown}
	if !peer.Up {
		return ph
	}
	if ha := peer.HA; ha != nil && ha.Enabled {
		ph.HA = true
		ph.State = probe.ParseHAState(string(ha.LocalState))
		ph.StateRaw = ha.LocalStateRaw
		ph.SeesPeer = ha.PeerConnected
		ph.Links = ha.Links
	}
	ph.Version, ph.VersionFrom = runningVersion(peer)
	if peer.Interfaces != nil {
		ph.Ports, ph.DataPlane = ports(peer.Interfaces)
	}
	return ph
}

// seeAcross fills SeenAs: what each peer's HA peer reports about it over a
// connected HA link. With two peers the other peer is the one seen.
func (v *HAView) seeAcross(peers []*probe.PeerStatus) {
	for i := range v.Peers {
		for _, other := range peers {
			if other == nil || other.Name == v.Peers[i].Name || !other.Up || other.HA == nil ||
				!other.HA.Enabled || !other.HA.PeerConnected {
				continue
			}
			v.Peers[i].SeenAs = probe.ParseHAState(string(other.HA.PeerState))
			break
		}
	}
}

// Sources of PeerHA.Version.
const (
	VersionFromHA     = "ha"
	VersionFromSystem = "system"
)

// runningVersion is the PAN-OS version a peer runs and where it was read.
func runningVersion(peer *probe.PeerStatus) (string, string) {
	if peer.HA != nil && peer.HA.LocalVersions.Build != "" {
		return peer.HA.LocalVersions.Build, VersionFromHA
	}
	if peer.System != nil && peer.System.SWVersion != "" {
		return peer.System.SWVersion, VersionFromSystem
	}
	return "", ""
}

// suspendedByUser reports whether the peer is suspended at an operator's
// request. PAN-OS gives the reason in the peer's own last-error fields on
// some releases and in the other peer's view of it (peer-info) on others;
// either counts.
func suspendedByUser(ph *PeerHA, peers []*probe.PeerStatus) bool {
	if ph.State != probe.StateSuspended {
		return false
	}
	for _, peer := range peers {
		if peer == nil || !peer.Up || peer.HA == nil {
			continue
		}
		reason := peer.HA.PeerLastErrorReason
		if peer.Name == ph.Name {
			reason = peer.HA.LastErrorReason
		}
		if strings.EqualFold(strings.TrimSpace(reason), "User requested") {
			return true
		}
	}
	return false
}

// Peer returns the named peer's part of the view, or nil.
func (v *HAView) Peer(name string) *PeerHA {
	if v == nil {
		return nil
	}
	for i := range v.Peers {
		if v.Peers[i].Name == name {
			return &v.Peers[i]
		}
	}
	return nil
}

// DataPlaneDown reports whether every peer that answers has data-plane
// link ports and none of them up (and at least one peer answers): the
// pair, as far as it can be seen, forwards nothing. Loopback, tunnel and
// vlan interfaces never count.
func (v *HAView) DataPlaneDown() bool {
	answered := false
	for _, ph := range v.Peers {
		if !ph.Answered {
			continue
		}
		answered = true
		if !ph.DataPlane.AllDown() {
			return false
		}
	}
	return answered
}

// AllLinksDown reports whether the peer has HA links configured and none is
// up. The management heartbeat backup counts as a link: while it holds,
// the peers still see each other.
func (ph *PeerHA) AllLinksDown() bool {
	if !ph.HA || len(ph.Links) == 0 {
		return false
	}
	for _, l := range ph.Links {
		if l.Up {
			return false
		}
	}
	return true
}

// DownPorts names the peer's data-plane link ports that are down.
func (ph *PeerHA) DownPorts() []string {
	var out []string
	for _, p := range ph.Ports {
		if p.Link && !p.Up {
			out = append(out, p.Name)
		}
	}
	return out
}
