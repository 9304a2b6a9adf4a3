package snapshot

import (
	"time"

	"github.com/hawatch/hawatch/probe"
)

// AWSView is the correlation of a pair's AWS data plane with its HA state.
// Every check is a probe.Tri: Unknown when AWS could not be read (throttled,
// unauthorized, timed out) or the HA state gives no active peer to compare
// with.
type AWSView struct {
	// Mode is the AWS HA mode in force: secondary-ip or interface-move
	// (resolved when configured as auto); empty when it cannot be told.
	Mode string
	// Known is false when the AWS poll failed as a whole.
	Known bool
	// ActivePeer is the peer the checks were made against.
	ActivePeer string
	// InGrace is true while a failover is recent enough that AWS may still
	// be converging; checks that fail then are reported but not yet wrong.
	InGrace    bool
	GraceUntil time.Time

	ENIs        []ENICheck
	Interfaces  []SubnetCheck
	Routes      []RouteCheck
	FloatingIPs []FloatingIPCheck
	Instances   []InstanceCheck
}

// ENICheck is one ENI of a peer.
type ENICheck struct {
	Peer        string
	ENI         string
	DeviceIndex int    // -1 when detached
	Interface   string // PAN-OS interface it maps to: "management", "ethernet1/N"
	Role        string // probe.RoleDataPlane, probe.RoleHA or "management"
	Status      string
	// Attached is Yes when the ENI is attached and in use where it should
	// be (on the active peer for a data-plane ENI in interface-move mode).
	Attached        probe.Tri
	SourceDestCheck bool
	// Problem says what is wrong, for alert descriptions; empty when fine.
	Problem string
}

// SubnetCheck compares a data-plane interface's PAN-OS address with its ENI.
type SubnetCheck struct {
	Peer       string
	Interface  string
	ENI        string
	IP         string // as PAN-OS reports it, with prefix length
	SubnetCIDR string
	// Match is Yes when the IP is one of the ENI's private IPs and lies in
	// the ENI's subnet.
	Match   probe.Tri
	Problem string
}

// RouteCheck is one route that targets a pair ENI or instance.
type RouteCheck struct {
	RouteTable     string
	Destination    string
	TargetENI      string
	TargetInstance string
	TargetPeer     string // peer that owns the target; empty when none
	OnActive       probe.Tri
	Blackhole      bool
	Problem        string
}

// FloatingIPCheck is a floating secondary IP or EIP that must follow the
// active peer.
type FloatingIPCheck struct {
	IP       string
	Kind     string // "secondary-ip" or "eip"
	ENI      string
	Peer     string
	OnActive probe.Tri
	Problem  string
}

// InstanceCheck is a peer's EC2 instance.
type InstanceCheck struct {
	Peer           string
	InstanceID     string
	State          string
	SystemStatus   string
	InstanceStatus string
	OK             probe.Tri
	Problem        string
}
