package snapshot

import (
	"net/netip"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// ENIRoleManagement is the ENICheck.Role of an ENI that carries a peer's
// management interface.
const ENIRoleManagement = "management"

// InterfaceManagement is the PAN-OS name Correlate gives the management
// interface.
const InterfaceManagement = "management"

// Kinds of FloatingIPCheck.
const (
	FloatingKindSecondaryIP = "secondary-ip"
	FloatingKindEIP         = "eip"
)

// The EC2 operations whose failure makes their part of the view Unknown;
// they are the keys of probe.AWSStatus.Errors.
const (
	opInstances      = probe.OpDescribeInstances
	opInstanceStatus = probe.OpDescribeInstanceStatus
	opENIs           = probe.OpDescribeNetworkInterfaces
	opSubnets        = probe.OpDescribeSubnets
	opRouteTables    = probe.OpDescribeRouteTables
	opAddresses      = probe.OpDescribeAddresses
)

// CorrelateInput is everything Correlate compares: the PAN-OS side of one
// poll, the latest AWS poll and the pair's configuration.
type CorrelateInput struct {
	// Peers is the PAN-OS side of this poll.
	Peers []*probe.PeerStatus
	// HA is the HA view of the same poll; nil computes it from Peers.
	HA *HAView
	// AWS is the latest AWS poll; nil gives a view with Known false.
	AWS *probe.AWSStatus
	// Mode is the configured AWS HA mode: secondary-ip, interface-move or
	// auto (an empty or unrecognized value counts as auto).
	Mode string
	// PeerInstances maps a peer label to its EC2 instance ID, configured
	// or discovered; peers missing from it are matched by management IP.
	PeerInstances map[string]string
	// LastFailover is when the active peer last changed; zero if never.
	LastFailover time.Time
	// Grace is how long after a failover AWS may take to converge.
	Grace time.Duration
	Now   time.Time
}

// Correlate compares a pair's AWS data plane with its HA state. It is a pure
// function of its input.
//
// Peers are mapped to instances through PeerInstances, then the instance's
// own Peer label, then the management IP (of the instance or of any attached
// ENI). ENIs map to PAN-OS interfaces by device index (N ↔ ethernet1/N, 0 ↔
// management), honoring the VM-Series management interface swap: when an
// instance's device-0 ENI does not carry the peer's management IP but its
// device-1 ENI does, device 0 is ethernet1/1 and device 1 is management.
//
// A data-plane interface whose address has a prefix length other than its
// subnet's is a mismatch (Match No): the connected route and the next hop
// the firewall derives from it are then wrong even though the address
// itself is right. An address that is not one of its ENI's private IPs is a
// mismatch even when the subnet is unknown, since the ENI alone proves it;
// only a question that needs the subnet is Unknown without it.
//
// Checks are computed during the grace period after a failover too; InGrace
// tells consumers to hold them.
func Correlate(in CorrelateInput) *AWSView {
	c := newCorrelator(in)
	v := &AWSView{ActivePeer: c.active}
	if !in.LastFailover.IsZero() {
		v.GraceUntil = in.LastFailover.Add(in.Grace)
		v.InGrace = in.Now.Before(v.GraceUntil)
	}
	if !awsKnown(in.AWS) {
		if in.Mode == probe.AWSModeSecondaryIP || in.Mode == probe.AWSModeInterfaceMove {
			v.Mode = in.Mode
		}
		return v
	}
	v.Known = true
	c.index()
	c.mode = c.resolveMode()
	v.Mode = c.mode
	v.ENIs = c.eniChecks()
	v.Interfaces = c.subnetChecks()
	v.Routes = c.routeChecks()
	v.FloatingIPs = c.floatingChecks()
	v.Instances = c.instanceChecks()
	return v
}

// awsKnown reports whether any part of the AWS poll can be trusted: at
// least one operation succeeded. Errors under names other than the known
// operations, with nothing returned, also count as a failed poll, so that
// an empty reply is never read as "nothing there".
func awsKnown(a *probe.AWSStatus) bool {
	if a == nil {
		return false
	}
	succeeded, named := 0, 0
	for _, op := range []string{opInstances, opInstanceStatus, opENIs, opSubnets, opRouteTables, opAddresses} {
		if a.Errors[op] == nil {
			succeeded++
		} else {
			named++
		}
	}
	if succeeded == 0 {
		return false
	}
	empty := len(a.Instances) == 0 && len(a.ENIs) == 0 && len(a.Subnets) == 0 &&
		len(a.RouteTables) == 0 && len(a.Addresses) == 0
	return !empty || named > 0 || len(a.Errors) == 0
}

// correlator holds the indexes one Correlate call builds.
type correlator struct {
	in     CorrelateInput
	aws    *probe.AWSStatus
	peers  []*probe.PeerStatus
	active string
	mode   string

	mgmt    map[string]netip.Addr // peer → management IP
	instOf  map[string]string     // peer → instance ID
	peerOf  map[string]string     // instance ID → peer
	swapped map[string]bool       // peer → management interface swap

	enis    []*eniInfo          // in AWS order
	eniByID map[string]*eniInfo // ENI ID → ENI
	byDev   map[devKey]*eniInfo // (instance, device index) → ENI
	insts   map[string]probe.AWSInstance
}

// eniInfo is an ENI with what Correlate made of it.
type eniInfo struct {
	eni   *probe.AWSENI
	peer  string // owner peer; empty when detached or on no peer's instance
	iface string // PAN-OS interface; empty when it cannot be told
	role  string
}

// devKey names an attachment slot of an instance.
type devKey struct {
	instance string
	index    int
}

func newCorrelator(in CorrelateInput) *correlator {
	c := &correlator{
		in:      in,
		aws:     in.AWS,
		mgmt:    map[string]netip.Addr{},
		instOf:  map[string]string{},
		peerOf:  map[string]string{},
		swapped: map[string]bool{},
		eniByID: map[string]*eniInfo{},
		byDev:   map[devKey]*eniInfo{},
		insts:   map[string]probe.AWSInstance{},
	}
	for _, p := range in.Peers {
		if p != nil {
			c.peers = append(c.peers, p)
		}
	}
	ha := in.HA
	if ha == nil {
		ha = BuildHA(in.Peers)
	}
	c.active = ha.Active
	return c
}

// failed reports whether the EC2 operation failed in this poll.
func (c *correlator) failed(op string) bool {
	return c.aws.Errors[op] != nil
}

// resolveMode returns the configured mode, or infers it under auto: an ENI
// that moves between peers (one peer holds every data-plane ENI while the
// other holds none, or a data-plane ENI is detached) means interface-move;
// secondary private IPs on data-plane ENIs mean secondary-ip.
func (c *correlator) resolveMode() string {
	switch c.in.Mode {
	case probe.AWSModeSecondaryIP, probe.AWSModeInterfaceMove:
		return c.in.Mode
	}
	if c.failed(opENIs) {
		return ""
	}
	perPeer := map[string]int{}
	secondary := false
	for _, info := range c.enis {
		if info.role != probe.RoleDataPlane {
			continue
		}
		if isDetached(info.eni) {
			return probe.AWSModeInterfaceMove
		}
		if info.peer != "" {
			perPeer[info.peer]++
		}
		for _, ip := range info.eni.PrivateIPs {
			secondary = secondary || !ip.Primary
		}
	}
	holders, mapped := 0, 0
	for _, p := range c.peers {
		if c.instOf[p.Name] == "" {
			continue
		}
		mapped++
		if perPeer[p.Name] > 0 {
			holders++
		}
	}
	if mapped >= 2 && holders == 1 {
		return probe.AWSModeInterfaceMove
	}
	if secondary {
		return probe.AWSModeSecondaryIP
	}
	return ""
}

// isDetached reports whether an ENI is attached to no instance at all.
func isDetached(e *probe.AWSENI) bool {
	return e.InstanceID == "" || e.Status == "available" || e.AttachmentStatus == "detached"
}

// onActive tells whether something owned by peer is on the active peer.
func (c *correlator) onActive(peer string) probe.Tri {
	if c.active == "" {
		return probe.Unknown
	}
	return probe.TriOf(peer == c.active)
}

// peerInst names a peer with its instance, for problem texts.
func (c *correlator) peerInst(peer string) string {
	if id := c.instOf[peer]; id != "" {
		return peer + " (" + id + ")"
	}
	return peer
}
