package probe

import (
	"strings"
	"time"
)

// HAState is a peer's high-availability state as PAN-OS reports it.
type HAState string

// The HA states PAN-OS reports for a firewall, as listed in the PAN-OS
// admin guide ("HA Firewall States"): initial, active and passive, the
// active/active states active-primary, active-secondary and tentative, and
// the failure states non-functional and suspended. Anything else maps to
// StateUnknown.
const (
	StateInitial         HAState = "initial"
	StateActive          HAState = "active"
	StatePassive         HAState = "passive"
	StateActivePrimary   HAState = "active-primary"
	StateActiveSecondary HAState = "active-secondary"
	StateTentative       HAState = "tentative"
	StateNonFunctional   HAState = "non-functional"
	StateSuspended       HAState = "suspended"
	StateUnknown         HAState = "unknown"
)

// HAStates is the full set of states, in a stable order, for exporting
// one series per state.
var HAStates = []HAState{
	StateInitial, StateActive, StatePassive, StateActivePrimary,
	StateActiveSecondary, StateTentative, StateNonFunctional,
	StateSuspended, StateUnknown,
}

// Panorama roles: the priority part of a Panorama HA state such as
// "primary-active". PanoramaUnknown is the role of a Panorama pair with no
// priority configured, which reports "unknown-active" and "unknown-passive"
// (Palo Alto Networks KB kA10g000000ClrgCAC).
const (
	PanoramaPrimary   = "primary"
	PanoramaSecondary = "secondary"
	PanoramaUnknown   = "unknown"
)

// panoramaStates are the states that follow a role prefix in Panorama's
// spelling ("secondary-passive", "unknown-active").
var panoramaStates = []HAState{
	StateActive, StatePassive, StateSuspended, StateNonFunctional, StateInitial,
}

// ParseHAState maps a reported state to an HAState. Unknown values, empty
// strings and garbage map to StateUnknown, never to a healthy state.
func ParseHAState(s string) HAState {
	st, _, _ := classifyHAState(s)
	return st
}

// classifyHAState maps a reported state to an HAState and, for Panorama's
// role-prefixed spelling, the role. ok is false when s is not a state
// PAN-OS is known to report; the literal "unknown" is one it reports.
func classifyHAState(s string) (st HAState, role string, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, st := range HAStates {
		if string(st) == s {
			return st, "", true
		}
	}
	for _, r := range [...]string{PanoramaPrimary, PanoramaSecondary, PanoramaUnknown} {
		rest, found := strings.CutPrefix(s, r+"-")
		if !found {
			continue
		}
		for _, st := range panoramaStates {
			if string(st) == rest {
				return st, r, true
			}
		}
	}
	return StateUnknown, "", false
}

// IsActive reports whether the state forwards traffic as an active peer.
func (s HAState) IsActive() bool {
	return s == StateActive || s == StateActivePrimary || s == StateActiveSecondary
}

// IsTransitional reports whether the state is one a peer passes through.
func (s HAState) IsTransitional() bool {
	return s == StateInitial || s == StateTentative
}

// Tri is a three-valued check result: a check that could not be evaluated is
// Unknown, which is neither healthy nor broken.
type Tri int8

// Values of Tri.
const (
	Unknown Tri = iota
	No
	Yes
)

// TriOf returns Yes for true and No for false.
func TriOf(b bool) Tri {
	if b {
		return Yes
	}
	return No
}

// String returns "yes", "no" or "unknown".
func (t Tri) String() string {
	switch t {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return "unknown"
}

// Link names of the HA control and data links.
const (
	LinkHA1       = "ha1"
	LinkHA1Backup = "ha1-backup"
	LinkHA2       = "ha2"
	LinkHA2Backup = "ha2-backup"
	// LinkHA3 is the packet-forwarding link of an active/active pair.
	LinkHA3 = "ha3"
	// LinkHeartbeatBackup is the heartbeat sent over the management port
	// when HA1 and its backup are down ("mgmt-hb" on PAN-OS).
	LinkHeartbeatBackup = "heartbeat-backup"
)

// HALink is one configured HA link, as seen from the local peer.
type HALink struct {
	Name   string // one of the Link* constants
	Port   string // e.g. "management", "ethernet1/1", "dedicated-ha1"; may be empty
	Status string // raw conn-status, e.g. "up", "down"; empty when not reported
	Up     bool
}

// Versions are the software and content versions a peer runs.
type Versions struct {
	Build     string // build-rel (PAN-OS version)
	App       string
	Threat    string
	AV        string
	URL       string
	GPClient  string
	VPNClient string
}

// MonitorMember is one monitored interface or destination of a monitor group.
type MonitorMember struct {
	Name   string
	Status string
	Up     bool
}

// MonitorGroup is a link- or path-monitoring group.
type MonitorGroup struct {
	Name             string
	Enabled          bool
	FailureCondition string // "any" or "all"
	Members          []MonitorMember
	// Failed is true when the group's failure condition is met by its
	// members (any member down for "any", all down for "all").
	Failed bool
}

// Monitoring is the link- or path-monitoring section of the HA state.
type Monitoring struct {
	Enabled          bool
	FailureCondition string
	Groups           []MonitorGroup
}

// HAInfo is the reply to `show high-availability all` (or `state`).
type HAInfo struct {
	Enabled bool
	Mode    string // lower case: "active-passive", "active-active"; empty if unknown

	LocalState         HAState
	LocalStateRaw      string
	LocalStateDuration time.Duration
	LocalPriority      string
	LocalRole          string // Panorama role (Panorama*); empty for firewalls
	Preemptive         bool
	PromotionHold      time.Duration
	LocalVersions      Versions
	LocalSerial        string
	LocalMgmtIP        string
	StateSync          string // e.g. "Complete"; empty when not reported
	PreemptFlapCount   int
	NonfuncFlapCount   int
	MaxFlaps           int // 0 when not reported
	// Compat maps a compatibility item (build, app, threat, av, url,
	// gpclient, vpnclient, iot, or a plugin name) to its verdict as
	// reported: "Match", "Mismatch", "Compat Match" or any other text.
	Compat map[string]string
	// LastErrorReason and LastErrorState explain the local peer's last
	// transition to a failed or suspended state, when PAN-OS reports them.
	LastErrorReason string
	LastErrorState  string

	PeerState           HAState
	PeerStateRaw        string
	PeerConnected       bool // peer-info conn-status is up
	PeerStateDuration   time.Duration
	PeerPriority        string
	PeerRole            string // Panorama role (Panorama*); empty for firewalls
	PeerVersions        Versions
	PeerSerial          string
	PeerMgmtIP          string
	PeerLastErrorReason string
	PeerLastErrorState  string

	// Links holds only the configured HA links, in the order ha1,
	// ha1-backup, ha2, ha2-backup, ha3, heartbeat-backup.
	Links []HALink

	RunningSync        string // raw, e.g. "synchronized"
	RunningSyncEnabled bool
	ConfigSynchronized bool

	LinkMonitoring Monitoring
	PathMonitoring Monitoring

	// Unrecognized lists each value the parser could not classify, as
	// "path=value" (e.g. "local-info/state=foo"), so that the caller can
	// log it. An element that is absent is not listed.
	Unrecognized []string
}

// Link returns the configured link with the given name.
func (h *HAInfo) Link(name string) (HALink, bool) {
	for _, l := range h.Links {
		if l.Name == name {
			return l, true
		}
	}
	return HALink{}, false
}

// PortKind is what a hw row of `show interface all` is.
type PortKind string

// Port kinds, from the hw type (mapping as in elastic/beats' panw module)
// and, when the type is missing, the name.
const (
	KindPhysical  PortKind = "physical"  // ethernetN/M (hw type 0)
	KindAggregate PortKind = "aggregate" // aeN (hw type 1)
	KindHA        PortKind = "ha"        // dedicated HA port: ha1, ha1-a, ha1-b, ha2, hsci… (hw type 2 or by name)
	KindVirtual   PortKind = "virtual"   // vlan (hw type 3), loopback (5), tunnel (6)
	KindOther     PortKind = "other"     // anything else; HardwareInterface.Type keeps the raw type
)

// Interface roles (HardwareInterface.Role).
const (
	// RoleDataPlane is a physical port or ae group that a logical
	// interface forwards on: vr: (layer 3), vwire: or vlan: (layer 2).
	RoleDataPlane = "data-plane"
	// RoleHA is a dedicated HA port, or a port whose untagged logical
	// interface has fwd "ha".
	RoleHA = "ha"
	// RoleVirtual is a vlan, loopback or tunnel row (always "up"), or a
	// forwarding row of a kind we do not know: tracked and exported, never
	// a link.
	RoleVirtual = "virtual"
	// RoleAggregateMember is a physical port in an ae group; its link
	// counts through the group.
	RoleAggregateMember = "aggregate-member"
	// RoleUnused is a port that nothing forwards on.
	RoleUnused = "unused"
)

// Port modes (HardwareInterface.Mode, LogicalInterface.Mode), from fwd.
const (
	ModeLayer3      = "layer3"       // fwd vr:<router>
	ModeVirtualWire = "virtual-wire" // fwd vwire:<peer port>
	ModeLayer2      = "layer2"       // fwd vlan:<vlan>
	ModeHA          = "ha"           // fwd ha
)

// HardwareInterface is a hw row of `show interface all`: a port, an ae
// group, or a virtual row (vlan, loopback, tunnel).
type HardwareInterface struct {
	Name   string
	Kind   PortKind
	Type   string // raw hw type: "0", "1", "2", ...
	State  string // raw: "up", "down", "ukn", ...
	Up     bool
	Speed  string // "1000", "ukn", "[n/a]", ...
	Duplex string
	MAC    string
	// Role is one of the Role constants; see CarriesLink for the ports
	// whose link state is the data plane's.
	Role string
	// Mode is how the logical interfaces on the row use it (a Mode
	// constant), or "" when nothing uses it.
	Mode string
	// Aggregate is the ae group of a member port, when the reply names it.
	Aggregate string
	// Members are the ports of an ae group, when the reply lists them.
	Members []string
}

// CarriesLink reports whether the row is a physical port or ae group in
// the data plane: the rows whose link state is the data plane's link state.
// Virtual rows, HA ports, aggregate members and unused ports never are.
func (h HardwareInterface) CarriesLink() bool {
	return (h.Kind == KindPhysical || h.Kind == KindAggregate) && h.Role == RoleDataPlane
}

// LogicalInterface is an ifnet row of `show interface all`: a layer-3/2
// interface or subinterface.
type LogicalInterface struct {
	Name       string
	Port       string // the hw row it rides on: "ethernet1/3" for "ethernet1/3.16"
	Sub        bool   // a subinterface: the name has a "."
	Zone       string
	IP         string // "a.b.c.d/len", or empty when N/A
	Forwarding string // raw fwd: "vr:default", "ha", "N/A", ...
	Mode       string // a Mode constant from Forwarding, or ""
	VSys       string
	Tag        string
	// Addresses are the further IPv4 addresses of the interface
	// (addr/member), e.g. the floating IPs of an AWS secondary-ip pair;
	// Addresses6 its IPv6 addresses (addr6/member).
	Addresses  []string
	Addresses6 []string
}

// Interfaces is the reply to `show interface all`.
type Interfaces struct {
	Hardware []HardwareInterface
	Logical  []LogicalInterface
}

// InterfaceCounters are cumulative counters of one interface.
type InterfaceCounters struct {
	Name string
	// RxBytes … RxDrops are the best wire figures the reply has: the
	// port's own counters (hw/entry/port) where present, else what the
	// data plane processed.
	RxBytes   uint64
	TxBytes   uint64
	RxPackets uint64
	TxPackets uint64
	RxErrors  uint64
	RxDrops   uint64
	// Wire is true when RxBytes and TxBytes are the port's wire counters
	// (hw/entry/port/rx-bytes, tx-bytes).
	Wire bool
	// DPRxBytes and DPTxBytes are ibytes and obytes: what the data-plane
	// CPU processed, far less than the wire on a box that offloads.
	DPRxBytes uint64
	DPTxBytes uint64
}

// Counters is the reply to `show counter interface all`.
type Counters struct {
	Hardware []InterfaceCounters
	Logical  []InterfaceCounters
}

// SessionInfo is the reply to `show session info`.
type SessionInfo struct {
	Active    uint64
	Max       uint64
	TCP       uint64
	UDP       uint64
	ICMP      uint64
	Installed uint64
	CPS       uint64 // connections per second
	Kbps      uint64 // throughput in kilobits per second
	PPS       uint64 // packets per second
}

// SystemInfo is the reply to `show system info`.
type SystemInfo struct {
	Hostname        string
	Model           string
	Family          string
	Serial          string
	SWVersion       string
	Uptime          string // free text, e.g. "3 days, 7:41:02"
	MgmtIP          string
	AppVersion      string
	ThreatVersion   string
	AVVersion       string
	WildfireVersion string
	URLVersion      string // url-filtering-version
	VMMode          string // e.g. "Amazon AWS"
	VMLicense       string
	VMUUID          string
	VMCPUID         string
	OperationalMode string
}

// Content returns the dynamic content versions the system info names.
func (s *SystemInfo) Content() ContentVersions {
	return ContentVersions{App: s.AppVersion, Threat: s.ThreatVersion, AV: s.AVVersion,
		Wildfire: s.WildfireVersion, URLFiltering: s.URLVersion}
}

// CompatVerdict reads a compatibility value of HAInfo.Compat: Yes for a
// match ("Match", "Compat Match"), No for a mismatch ("Mismatch", "Compat
// Mismatch"), Unknown for anything else, which is never healthy.
func CompatVerdict(v string) Tri {
	f := strings.Fields(strings.ToLower(v))
	if len(f) == 0 {
		return Unknown
	}
	switch f[len(f)-1] {
	case "match":
		return Yes
	case "mismatch":
		return No
	}
	return Unknown
}
