// Package statesnap keeps state snapshots of an HA pair: what both peers and
// the AWS side held at one moment (interfaces and their state, routes, ARP,
// sessions, content and license versions, IPsec tunnels, HA state, ENIs and
// route targets), stored as versioned JSON, so that the state before an
// upgrade step can be compared with the state after it (Diff).
//
// A state snapshot is not a snapshot.Pair: package snapshot holds the
// per-poll model every consumer reads, rebuilt at every poll and never
// stored; a state snapshot is taken on request (`hawatch snapshot save`)
// or around a failover or reboot, kept on disk and compared later.
package statesnap

import (
	"time"
)

// SchemaVersion is the version of the JSON schema written. Load refuses a
// file of a newer version; a change that old readers would misread raises
// it.
const SchemaVersion = 1

// Triggers of a snapshot: who or what took it.
const (
	TriggerManual  = "manual"  // hawatch snapshot save
	TriggerRolling = "rolling" // the daemon's periodic snapshot
	TriggerBefore  = "before"  // the daemon's last snapshot before an event
	TriggerAfter   = "after"   // the daemon's snapshot once the pair is back
)

// Parts of a peer's state, as Peer.Unknown and the diff name them.
const (
	PartInterfaces = "interfaces"
	PartSessions   = "sessions"
	PartRoutes     = "routes"
	PartARP        = "arp"
	PartContent    = "content"
	PartLicenses   = "licenses"
	PartTunnels    = "tunnels"
)

// Snapshot is the state of one pair at one moment.
type Snapshot struct {
	SchemaVersion int       `json:"schema_version"`
	Name          string    `json:"name"`
	Pair          string    `json:"pair"`
	TakenAt       time.Time `json:"taken_at"`
	Trigger       string    `json:"trigger"`
	// Event is the failover or reboot an automatic snapshot surrounds.
	Event *EventRef `json:"event,omitempty"`
	HA    HA        `json:"ha"`
	Peers []Peer    `json:"peers"`
	// AWS is nil when AWS monitoring is off for the pair.
	AWS *AWS `json:"aws,omitempty"`
}

// EventRef names the journal event an automatic snapshot belongs to.
type EventRef struct {
	Kind    string    `json:"kind"` // journal.KindFailover or journal.KindPeerReachability
	Peer    string    `json:"peer,omitempty"`
	Time    time.Time `json:"time"`
	Message string    `json:"message,omitempty"`
}

// HA is the pair's HA state, from snapshot.HAView.
type HA struct {
	// Known is false when no peer answered the HA command.
	Known   bool   `json:"known"`
	Enabled bool   `json:"enabled"`
	Mode    string `json:"mode,omitempty"`
	// Active names the active peer; several are joined with "+", "" is
	// none.
	Active string `json:"active"`
}

// Peer is the state of one peer.
type Peer struct {
	Name string `json:"name"`
	// Reachable is false when the peer did not answer; its parts are then
	// all unknown.
	Reachable bool   `json:"reachable"`
	Error     string `json:"error,omitempty"`
	HAState   string `json:"ha_state"`
	Version   string `json:"version,omitempty"`
	// PortsExpectedDown is set when the peer's data-plane ports are down
	// by design (snapshot.Pair.PortsExpectedDown: the passive of an
	// interface-move pair holds no data-plane ENI), so that losing them,
	// and the routes and neighbors on them, is no difference.
	PortsExpectedDown bool `json:"ports_expected_down,omitempty"`

	Interfaces []Interface `json:"interfaces"`
	Sessions   *Sessions   `json:"sessions,omitempty"`
	Routes     []Route     `json:"routes"`
	ARP        []ARPEntry  `json:"arp"`
	Content    *Content    `json:"content,omitempty"`
	Licenses   []License   `json:"licenses"`
	Tunnels    []Tunnel    `json:"tunnels"`
	// Unknown maps each part (Part*) that could not be read to why. A
	// part absent from it was read: an empty list then means "none".
	Unknown map[string]string `json:"unknown,omitempty"`
}

// Interface is one hardware port of a peer.
type Interface struct {
	Name string `json:"name"`
	Role string `json:"role"` // probe.RoleDataPlane, RoleHA, ...
	Up   bool   `json:"up"`
	// Link is true for the ports whose link state is the data plane's
	// (snapshot.Port.Link).
	Link bool `json:"link"`
	// IPs are the addresses of the logical interfaces on the port.
	IPs []string `json:"ips,omitempty"`
}

// Sessions are the session counts of `show session info`.
type Sessions struct {
	Active uint64 `json:"active"`
	TCP    uint64 `json:"tcp"`
	UDP    uint64 `json:"udp"`
	ICMP   uint64 `json:"icmp"`
	CPS    uint64 `json:"cps"`
	Kbps   uint64 `json:"kbps"`
}

// Route is one route of `show routing route`.
type Route struct {
	VirtualRouter string `json:"virtual_router"`
	Destination   string `json:"destination"`
	Nexthop       string `json:"nexthop"`
	Interface     string `json:"interface,omitempty"`
	Flags         string `json:"flags"`
	Active        bool   `json:"active"`
}

// Key identifies a route: virtual router, destination, interface, next hop.
func (r Route) Key() string {
	k := r.VirtualRouter + " " + r.Destination + " via " + r.Nexthop
	if r.Interface != "" {
		k += " dev " + r.Interface
	}
	return k
}

// ARPEntry is one resolved neighbor.
type ARPEntry struct {
	Interface string `json:"interface"`
	IP        string `json:"ip"`
	MAC       string `json:"mac"`
	Status    string `json:"status"`
}

// Key identifies an ARP entry by interface and address.
func (a ARPEntry) Key() string { return a.IP + " on " + a.Interface }

// Content are the dynamic content versions a peer runs.
type Content struct {
	App    string `json:"app,omitempty"`
	Threat string `json:"threat,omitempty"`
	AV     string `json:"av,omitempty"`
}

// License is one license of a peer.
type License struct {
	Feature string `json:"feature"`
	Expires string `json:"expires"`
	Expired bool   `json:"expired"`
}

// Tunnel is one IPsec tunnel.
type Tunnel struct {
	Name   string `json:"name"`
	PeerIP string `json:"peer_ip,omitempty"`
	State  string `json:"state"`
	Up     bool   `json:"up"`
}

// AWS is the AWS side of the pair.
type AWS struct {
	Mode string `json:"mode,omitempty"`
	ENIs []ENI  `json:"enis"`
	// Routes are the VPC routes that target a peer's ENI or instance.
	Routes []AWSRoute `json:"routes"`
	// Unknown maps each EC2 operation that failed to its error; the parts
	// it fills are then unknown.
	Unknown map[string]string `json:"unknown,omitempty"`
}

// ENI is one network interface of a peer's instance.
type ENI struct {
	ID          string   `json:"id"`
	Peer        string   `json:"peer,omitempty"`
	Interface   string   `json:"interface,omitempty"` // PAN-OS interface it maps to
	InstanceID  string   `json:"instance_id,omitempty"`
	DeviceIndex int      `json:"device_index"` // -1 when detached
	Status      string   `json:"status"`
	PrivateIPs  []string `json:"private_ips,omitempty"`
}

// AWSRoute is one VPC route that targets the pair.
type AWSRoute struct {
	RouteTable  string `json:"route_table"`
	Destination string `json:"destination"`
	TargetENI   string `json:"target_eni,omitempty"`
	TargetInst  string `json:"target_instance,omitempty"`
	TargetPeer  string `json:"target_peer,omitempty"`
	State       string `json:"state"`
}

// Key identifies a VPC route by table and destination.
func (r AWSRoute) Key() string { return r.RouteTable + " " + r.Destination }

// Peer returns the peer with the given name, or nil.
func (s *Snapshot) Peer(name string) *Peer {
	for i := range s.Peers {
		if s.Peers[i].Name == name {
			return &s.Peers[i]
		}
	}
	return nil
}

// known reports whether part was read on the peer.
func (p *Peer) known(part string) (bool, string) {
	if !p.Reachable {
		return false, p.Name + " did not answer"
	}
	if why, ok := p.Unknown[part]; ok {
		return false, p.Name + ": " + why
	}
	return true, ""
}
