package probe

import "strings"

// ifaceResult is the result of `show interface all`, as streamIfaces
// reads it; the tags say where each field is, as Unmarshal would read it.
type ifaceResult struct {
	resultHead
	Ifnet []ifnetXML `xml:"ifnet>entry"`
	HW    []hwXML    `xml:"hw>entry"`
}

// ifnetXML is a logical interface.
type ifnetXML struct {
	Name string `xml:"name"`
	Zone string `xml:"zone"`
	Fwd  string `xml:"fwd"`
	VSys string `xml:"vsys"`
	Tag  string `xml:"tag"`
	IP   string `xml:"ip"`
	// Addr and Addr6 list the interface's further IPv4 and its IPv6
	// addresses; ip holds only the first IPv4 address.
	Addr  []string `xml:"addr>member"`
	Addr6 []string `xml:"addr6>member"`
}

// hwXML is a hw row.
type hwXML struct {
	Name   string `xml:"name"`
	Type   string `xml:"type"`
	State  string `xml:"state"`
	Speed  string `xml:"speed"`
	Duplex string `xml:"duplex"`
	MAC    string `xml:"mac"`
	// Members of an ae group. No recorded reply has an ae group; the
	// element is the one Elastic metricbeat's panw module reads
	// (interfaces/interface_types.go, AEMember). The CLI prints the same
	// facts as "aggregation groups: N / ae1 members: ethernet1/5 …".
	Members []string `xml:"ae_member>member"`
}

// hw/entry type values, as mapped by elastic/beats
// (x-pack/metricbeat/module/panw/interfaces/ifnet_interfaces.go).
const (
	hwTypeEthernet  = "0"
	hwTypeAggregate = "1"
	hwTypeHA        = "2"
	hwTypeVLAN      = "3"
	hwTypeLoopback  = "5"
	hwTypeTunnel    = "6"
)

// portUse is what the logical interfaces riding on one hw row say about it.
type portUse struct {
	ha       bool   // the untagged interface has fwd "ha"
	forwards bool   // an interface on the row is in a vr, vwire or vlan
	mode     string // the mode of the first forwarding interface
}

// ParseInterfaces parses the reply to `show interface all`, giving each hw
// row its kind, role and mode.
//
// Aggregates: a real PA-5200 `show interface all` (CLI text, the only real
// sight of ae groups found) lists ae1 and ae8 as hw rows with their own
// state, their member ports as ordinary hw rows, and no logical interface
// on a member. So the ae row's state stands for the group (PAN-OS shows an
// ae up while a member is up), and a member stays RoleUnused unless the
// ae row lists it in ae_member, which makes it RoleAggregateMember.
func ParseInterfaces(body []byte) (*Interfaces, error) { return parseInterfaces(body, XMLLimits{}) }

// parseInterfaces is ParseInterfaces within lim.
func parseInterfaces(body []byte, lim XMLLimits) (*Interfaces, error) {
	r := ifaceResults.Get().(*ifaceResult)
	defer func() { r.reset(); ifaceResults.Put(r) }()
	if err := r.stream(body, lim); err != nil {
		return nil, err
	}
	out := &Interfaces{
		Hardware: make([]HardwareInterface, 0, len(r.HW)),
		Logical:  make([]LogicalInterface, 0, len(r.Ifnet)),
	}
	use := make(map[string]portUse, len(r.Ifnet))
	for i := range r.Ifnet {
		li := r.Ifnet[i].logical()
		out.Logical = append(out.Logical, li)
		u := use[li.Port]
		switch {
		case li.Mode == ModeHA:
			// fwd ha on a subinterface does not make the port an HA link.
			if !li.Sub {
				u.ha = true
			}
		case forwards(li.Forwarding):
			if !u.forwards {
				u.mode = li.Mode
			}
			u.forwards = true
		}
		use[li.Port] = u
	}
	group := make(map[string]string)
	for i := range r.HW {
		hw := r.HW[i].hardware()
		if hw.Kind == KindAggregate {
			for _, m := range hw.Members {
				group[m] = hw.Name
			}
		}
		out.Hardware = append(out.Hardware, hw)
	}
	for i := range out.Hardware {
		hw := &out.Hardware[i]
		u := use[hw.Name]
		hw.Mode = u.mode
		if u.ha {
			hw.Mode = ModeHA
		}
		if hw.Kind == KindPhysical {
			hw.Aggregate = group[hw.Name]
		}
		hw.Role = hw.role(u)
	}
	return out, nil
}

// role decides the role of a hw row from its kind and use.
func (h *HardwareInterface) role(u portUse) string {
	switch {
	case h.Kind == KindHA:
		return RoleHA
	case h.Kind == KindVirtual:
		return RoleVirtual
	case h.Aggregate != "":
		return RoleAggregateMember
	case u.ha:
		return RoleHA
	case !u.forwards:
		return RoleUnused
	case h.Kind == KindPhysical || h.Kind == KindAggregate:
		return RoleDataPlane
	}
	// A row of unknown type that forwards (an SD-WAN row, type 10, say):
	// exported, but its state is not known to be a link's.
	return RoleVirtual
}

func (e *ifnetXML) logical() LogicalInterface {
	ip := strings.TrimSpace(e.IP)
	if strings.EqualFold(ip, "N/A") {
		ip = ""
	}
	name := strings.TrimSpace(e.Name)
	port, _, sub := strings.Cut(name, ".")
	fwd := strings.TrimSpace(e.Fwd)
	return LogicalInterface{
		Name:       name,
		Port:       port,
		Sub:        sub,
		Zone:       strings.TrimSpace(e.Zone),
		IP:         ip,
		Forwarding: fwd,
		Mode:       modeOf(fwd),
		VSys:       strings.TrimSpace(e.VSys),
		Tag:        strings.TrimSpace(e.Tag),
		Addresses:  trimmedAll(e.Addr),
		Addresses6: trimmedAll(e.Addr6),
	}
}

// trimmedAll returns the non-blank values trimmed, or nil.
func trimmedAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (e *hwXML) hardware() HardwareInterface {
	name, typ := strings.TrimSpace(e.Name), strings.TrimSpace(e.Type)
	state := strings.TrimSpace(e.State)
	hw := HardwareInterface{
		Name:   name,
		Kind:   portKind(name, typ),
		Type:   typ,
		State:  state,
		Up:     strings.EqualFold(state, "up"),
		Speed:  strings.TrimSpace(e.Speed),
		Duplex: strings.TrimSpace(e.Duplex),
		MAC:    strings.TrimSpace(e.MAC),
	}
	if hw.Kind == KindAggregate {
		for _, m := range e.Members {
			if m = strings.TrimSpace(m); m != "" {
				hw.Members = append(hw.Members, m)
			}
		}
	}
	return hw
}

// portKind classifies a hw row by its type, or by its name when the type
// is missing. HA ports go by name first: hsci is not known to carry type 2.
func portKind(name, typ string) PortKind {
	if typ == hwTypeHA || isHAPort(name) {
		return KindHA
	}
	switch typ {
	case hwTypeEthernet:
		return KindPhysical
	case hwTypeAggregate:
		return KindAggregate
	case hwTypeVLAN, hwTypeLoopback, hwTypeTunnel:
		return KindVirtual
	case "":
		switch {
		case strings.HasPrefix(name, "ethernet"):
			return KindPhysical
		case strings.HasPrefix(name, "ae"):
			return KindAggregate
		case name == "vlan" || name == "loopback" || name == "tunnel":
			return KindVirtual
		}
	}
	return KindOther
}

// isHAPort reports whether a hw row is a dedicated HA port by name (ha1,
// ha1-a, ha2, dedicated-ha1, or the HSCI port of PA-5200/7000 chassis).
func isHAPort(name string) bool {
	return strings.HasPrefix(name, "ha") || strings.HasPrefix(name, "hsci") ||
		strings.HasPrefix(name, "dedicated-ha")
}

// modeOf maps a fwd value to a mode: "vr:…" layer 3, "vwire:…" virtual
// wire, "vlan:…" layer 2, "ha"; anything else (N/A, empty) is "".
func modeOf(fwd string) string {
	kind, _, _ := strings.Cut(strings.ToLower(fwd), ":")
	switch kind {
	case "vr":
		return ModeLayer3
	case "vwire":
		return ModeVirtualWire
	case "vlan":
		return ModeLayer2
	case "ha":
		return ModeHA
	}
	return ""
}

// forwards reports whether a logical interface's fwd value puts it in the
// data plane. A value of a form not seen yet counts too (its mode is ""),
// so that an unknown forwarding kind is not reported as an unused port.
func forwards(fwd string) bool {
	return fwd != "" && !strings.EqualFold(fwd, "N/A") && !strings.EqualFold(fwd, "ha")
}
