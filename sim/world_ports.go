package sim

// Profiles of the simulated firewalls.
const (
	// ProfileVMAWS is a VM-Series in AWS: HA1 on the management
	// interface, HA2 on ethernet1/1, no aggregate interfaces (VM-Series
	// does not support them, and AWS offers no LACP).
	ProfileVMAWS = "vm-aws"
	// ProfileHardware is a PA-3220-like appliance: dedicated ha1 and ha2
	// ports and an aggregate ae1 of ethernet1/5 and ethernet1/6. The AWS
	// side is still simulated behind ethernet1/2 and ethernet1/3, so that
	// traffic and the incident play the same way.
	ProfileHardware = "hardware"
)

// Ports only the hardware profile has.
const (
	IfaceHA1Dedicated = "ha1"
	IfaceHA2Dedicated = "ha2"
	IfaceAE           = "ae1"
	IfaceAEMember1    = "ethernet1/5"
	IfaceAEMember2    = "ethernet1/6"
)

// hw/entry type values of `show interface all`, as the recordings show
// them.
const (
	hwTypeEthernet = "0"
	hwTypeHA       = "2"
	hwTypeVLAN     = "3"
	hwTypeLoopback = "5"
	hwTypeTunnel   = "6"
)

// Roles of a physical port in the simulated configuration.
const (
	roleUnused   = iota
	roleHA       // HA2 (or dedicated HA1) link
	roleUntrust  // data plane, untrust zone
	roleTrust    // data plane, trust zone
	roleAEMember // member of ae1, data plane through ae1.10
)

// portSpec is one physical port of a profile.
type portSpec struct {
	name string
	id   int
	typ  string
	role int
}

// vmAWSPorts are the ports of a VM-Series in AWS; ethernet1/N is ENI
// device index N, so the order and numbering are fixed.
var vmAWSPorts = []portSpec{
	{IfaceHA2, 16, hwTypeEthernet, roleHA},
	{IfaceUntrust, 17, hwTypeEthernet, roleUntrust},
	{IfaceTrust, 18, hwTypeEthernet, roleTrust},
	{IfaceUnused, 19, hwTypeEthernet, roleUnused},
}

// hardwarePorts are the ports of the hardware profile, in PAN-OS order:
// ethernet ports, then the dedicated HA ports (ids 5 and 6, type 2).
var hardwarePorts = []portSpec{
	{"ethernet1/1", 16, hwTypeEthernet, roleUnused},
	{IfaceUntrust, 17, hwTypeEthernet, roleUntrust},
	{IfaceTrust, 18, hwTypeEthernet, roleTrust},
	{IfaceUnused, 19, hwTypeEthernet, roleUnused},
	{IfaceAEMember1, 20, hwTypeEthernet, roleAEMember},
	{IfaceAEMember2, 21, hwTypeEthernet, roleAEMember},
	{IfaceHA1Dedicated, 5, hwTypeHA, roleHA},
	{IfaceHA2Dedicated, 6, hwTypeHA, roleHA},
}

// aeID is the interface id of ae1. Not verified: no recorded reply with
// an aggregate interface was found.
const aeID = 128

// virtualSpec is a virtual hw row (vlan, loopback, tunnel): always up,
// no speed, in the order the recordings list them.
type virtualSpec struct {
	name, typ string
	id        int
}

var virtualRows = []virtualSpec{
	{"vlan", hwTypeVLAN, 1},
	{"loopback", hwTypeLoopback, 3},
	{"tunnel", hwTypeTunnel, 4},
}

// subifSpec is a routed sub-interface of a port or virtual interface.
type subifSpec struct {
	name, parent, zone, ip, tag string
	id                          int
}

// subinterfaces are the routed sub-interfaces of the simulated
// configuration. HA peers share their configuration, so both peers have
// the same addresses. ae1.10 exists only in the hardware profile.
var subinterfaces = []subifSpec{
	{IfaceTrust + ".100", IfaceTrust, "trust", "10.0.100.1/24", "100", 256},
	{IfaceAE + ".10", IfaceAE, "trust", "10.0.110.1/24", "10", 260},
	{"vlan.20", "vlan", "", "192.168.20.1/24", "0", 257},
	{"loopback.1", "loopback", "trust", "10.255.0.1/32", "0", 258},
	{"tunnel.10", "tunnel", "vpn", "169.254.10.1/30", "0", 259},
}

// ports returns the physical ports of the world's profile.
func (w *World) ports() []portSpec {
	if w.profile == ProfileHardware {
		return hardwarePorts
	}
	return vmAWSPorts
}

// ha2Port returns the port HA2 runs on.
func (w *World) ha2Port() string {
	if w.profile == ProfileHardware {
		return IfaceHA2Dedicated
	}
	return IfaceHA2
}

// linkPorts returns the ports the incident takes down: the HA2 port and
// every physical data-plane port. Virtual interfaces stay up, as they do
// on a real firewall.
func (w *World) linkPorts() []string {
	out := []string{w.ha2Port()}
	for _, ps := range w.ports() {
		if ps.role == roleUntrust || ps.role == roleTrust || ps.role == roleAEMember {
			out = append(out, ps.name)
		}
	}
	return out
}
