package sim

import (
	"fmt"
	"strconv"
	"time"
)

// Fixed identifiers and addresses of the simulated AWS deployment.
const (
	Region            = "us-east-1"
	AZ                = "us-east-1a"
	VPCID             = "vpc-0a00000000000001"
	VPCCIDR           = "10.0.0.0/16"
	IGWID             = "igw-0a00000000000001"
	TrustRouteTable   = "rtb-0a00000000000003"
	UntrustRouteTable = "rtb-0a00000000000002"
	EIPAllocationID   = "eipalloc-0a00000000000001"
	EIPPublicIP       = "203.0.113.10"
	// FloatingUntrustIP and FloatingTrustIP are the secondary IPs that
	// follow the active peer in secondary-ip mode (and the primary IPs of
	// the moving ENIs in interface-move mode).
	FloatingUntrustIP = "10.0.2.100"
	FloatingTrustIP   = "10.0.3.100"
	// DeletedENIID is the target of a blackholed route: an ENI that no
	// longer exists.
	DeletedENIID = "eni-0a00000000000d03"
)

// Attachment states of an ENI.
const (
	attAttached  = "attached"
	attAttaching = "attaching"
	attDetaching = "detaching"
)

// Device indexes of the ENIs of a peer.
const (
	DeviceMgmt    = 0
	DeviceHA2     = 1
	DeviceUntrust = 2
	DeviceTrust   = 3
)

var subnetNames = [...]string{"mgmt", "ha2", "untrust", "trust"}

// SubnetID returns the ID of the subnet of a device index (0 mgmt, 1 HA2,
// 2 untrust, 3 trust).
func SubnetID(device int) string { return fmt.Sprintf("subnet-0a0000000000000%d", device) }

// subnetCIDR returns the CIDR of the subnet of a device index.
func subnetCIDR(device int) string { return fmt.Sprintf("10.0.%d.0/24", device) }

// InstanceID returns the EC2 instance ID of peer i.
func InstanceID(i int) string { return fmt.Sprintf("i-0a00000000000000%c", 'a'+i) }

// ENIID returns the ID of peer i's own ENI at a device index, e.g.
// eni-0a00000000000a02 for A's untrust ENI in secondary-ip mode.
func ENIID(i, device int) string { return fmt.Sprintf("eni-0a00000000000%c%02d", 'a'+i, device) }

// SharedENIID returns the ID of a data-plane ENI that moves between the
// peers in interface-move mode (device 2 untrust, 3 trust).
func SharedENIID(device int) string { return fmt.Sprintf("eni-0a00000000000c%02d", device) }

// eniKey splits an ENI ID into its owner ('a', 'b' or 'c' for shared) and
// device index.
func eniKey(id string) (owner byte, device int, ok bool) {
	if len(id) != len("eni-0a00000000000a02") {
		return 0, 0, false
	}
	owner = id[len(id)-3]
	device, err := strconv.Atoi(id[len(id)-2:])
	if err != nil || device < 0 || device > DeviceTrust {
		return 0, 0, false
	}
	return owner, device, owner == 'a' || owner == 'b' || owner == 'c'
}

// awsState is the mutable part of the AWS side.
type awsState struct {
	mode     string
	moveTime time.Duration
	follows  bool

	floatOwner int // secondary-ip: holder of the floating IPs and the EIP
	routeOwner int // secondary-ip: peer whose trust ENI the route targets
	eniOwner   int // interface-move: peer the shared ENIs attach to
	enPrev     int
	moveAt     time.Time // start of the last shared-ENI move

	blackhole bool
	detached  map[string]bool
	sdc       map[string]bool // source/dest check overrides

	throttle       bool
	unauthorized   []string
	iam            iamState
	instanceAZ     [2]string // a zone other than AZ, when a test moves an instance
	delay          time.Duration
	instanceStatus [2]string

	eipAssoc  int // bumped on every EIP re-association
	attachSeq int // bumped on every shared-ENI re-attachment
}

func newAWSState(mode string, moveTime time.Duration) awsState {
	return awsState{mode: mode, moveTime: moveTime}
}

// restore clears every AWS fault and points the data plane at peer
// active; with move set, shared ENIs move visibly instead of at once.
func (a *awsState) restore(active int, now time.Time, move bool) {
	a.follows = true
	a.blackhole = false
	a.detached = map[string]bool{}
	a.sdc = map[string]bool{}
	a.throttle, a.unauthorized, a.delay = false, nil, 0
	a.iam = iamState{}
	a.instanceAZ = [2]string{}
	a.instanceStatus = [2]string{"ok", "ok"}
	if active < 0 {
		return
	}
	if !move {
		a.eniOwner, a.enPrev, a.moveAt = active, active, time.Time{}
	}
	a.place(active, now)
}

// takeOver moves the data plane to peer i when AWS follows failovers.
func (a *awsState) takeOver(i int, now time.Time) {
	if a.follows {
		a.place(i, now)
	}
}

// place points floating IPs, EIP and route (secondary-ip) or the shared
// ENIs (interface-move) at peer i.
func (a *awsState) place(i int, now time.Time) {
	if a.floatOwner != i {
		a.floatOwner = i
		a.eipAssoc++
	}
	a.routeOwner = i
	a.blackhole = false
	if a.eniOwner != i {
		a.enPrev, a.eniOwner, a.moveAt = a.eniOwner, i, now
		a.attachSeq++
	}
	delete(a.detached, SharedENIID(DeviceUntrust))
	delete(a.detached, SharedENIID(DeviceTrust))
}

// breaks returns the times at which a shared-ENI move changes phase.
func (a *awsState) breaks() []time.Time {
	if a.mode != AWSModeInterfaceMove || a.moveAt.IsZero() {
		return nil
	}
	return []time.Time{a.moveAt.Add(a.moveTime / 2), a.moveAt.Add(a.moveTime)}
}

// eniFor returns the ENI behind port name of peer i ("" for a port
// without one).
func (a *awsState) eniFor(i int, name string) string {
	dev := ifaceDevice(name)
	switch {
	case dev < 0:
		return ""
	case a.mode == AWSModeInterfaceMove && isDataPlane(name):
		return SharedENIID(dev)
	}
	return ENIID(i, dev)
}

// holder returns the peer an ENI is attached to at t and the attachment
// state; -1 when detached or unknown.
func (a *awsState) holder(id string, t time.Time) (int, string) {
	owner, _, ok := eniKey(id)
	if !ok || a.detached[id] {
		return -1, ""
	}
	if owner != 'c' {
		return int(owner - 'a'), attAttached
	}
	if a.moveAt.IsZero() || !t.Before(a.moveAt.Add(a.moveTime)) {
		return a.eniOwner, attAttached
	}
	if t.Before(a.moveAt.Add(a.moveTime / 2)) {
		return a.enPrev, attDetaching
	}
	return a.eniOwner, attAttaching
}

// primaryIP returns the primary private IP of an ENI.
func (a *awsState) primaryIP(id string) string {
	owner, dev, ok := eniKey(id)
	switch {
	case !ok:
		return ""
	case owner == 'c':
		return fmt.Sprintf("10.0.%d.100", dev)
	}
	return fmt.Sprintf("10.0.%d.%d", dev, 10+int(owner-'a'))
}

// eipENI returns the ENI the EIP is associated with.
func (a *awsState) eipENI() string {
	if a.mode == AWSModeInterfaceMove {
		return SharedENIID(DeviceUntrust)
	}
	return ENIID(a.floatOwner, DeviceUntrust)
}

// routeENI returns the target ENI of the default route.
func (a *awsState) routeENI() string {
	switch {
	case a.blackhole:
		return DeletedENIID
	case a.mode == AWSModeInterfaceMove:
		return SharedENIID(DeviceTrust)
	}
	return ENIID(a.routeOwner, DeviceTrust)
}

// eipPeer returns the peer receiving the EIP's traffic at t, or -1.
func (a *awsState) eipPeer(t time.Time) int {
	p, st := a.holder(a.eipENI(), t)
	if st != attAttached {
		return -1
	}
	return p
}

// routePeer returns the peer the default route delivers to at t, or -1.
func (a *awsState) routePeer(t time.Time) int {
	p, st := a.holder(a.routeENI(), t)
	if st != attAttached {
		return -1
	}
	return p
}

// sdCheck reports whether source/destination check is on for an ENI.
func (a *awsState) sdCheck(id string) bool {
	if v, ok := a.sdc[id]; ok {
		return v
	}
	_, dev, _ := eniKey(id)
	return dev < DeviceUntrust
}
