package probe

import "strings"

// ifaceResult is the result of `show interface all`.
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
}

// hwXML is a hardware interface.
type hwXML struct {
	Name   string `xml:"name"`
	Type   string `xml:"type"`
	State  string `xml:"state"`
	Speed  string `xml:"speed"`
	Duplex string `xml:"duplex"`
	MAC    string `xml:"mac"`
}

// hwTypeHA is the hw/entry type of a dedicated HA port.
const hwTypeHA = "2"

// Bits recording how the logical interfaces use a port.
const (
	useHA uint8 = 1 << iota
	useDataPlane
)

// ParseInterfaces parses the reply to `show interface all` and assigns a
// role to each hardware interface.
func ParseInterfaces(body []byte) (*Interfaces, error) {
	r, err := decodeReply[ifaceResult](body, "interfaces")
	if err != nil {
		return nil, err
	}
	out := &Interfaces{
		Hardware: make([]HardwareInterface, 0, len(r.HW)),
		Logical:  make([]LogicalInterface, 0, len(r.Ifnet)),
	}
	use := make(map[string]uint8, len(r.Ifnet))
	for i := range r.Ifnet {
		li := r.Ifnet[i].logical()
		out.Logical = append(out.Logical, li)
		port, _, sub := strings.Cut(li.Name, ".")
		switch {
		case strings.EqualFold(li.Forwarding, "ha"):
			if !sub {
				use[port] |= useHA
			}
		case forwards(li.Forwarding):
			use[port] |= useDataPlane
		}
	}
	for i := range r.HW {
		hw := r.HW[i].hardware()
		switch u := use[hw.Name]; {
		case u&useHA != 0 || isHAPort(hw.Name, r.HW[i].Type):
			hw.Role = RoleHA
		case u&useDataPlane != 0:
			hw.Role = RoleDataPlane
		default:
			hw.Role = RoleUnused
		}
		out.Hardware = append(out.Hardware, hw)
	}
	return out, nil
}

func (e *ifnetXML) logical() LogicalInterface {
	ip := strings.TrimSpace(e.IP)
	if strings.EqualFold(ip, "N/A") {
		ip = ""
	}
	return LogicalInterface{
		Name:       strings.TrimSpace(e.Name),
		Zone:       strings.TrimSpace(e.Zone),
		IP:         ip,
		Forwarding: strings.TrimSpace(e.Fwd),
		VSys:       strings.TrimSpace(e.VSys),
		Tag:        strings.TrimSpace(e.Tag),
	}
}

func (e *hwXML) hardware() HardwareInterface {
	state := strings.TrimSpace(e.State)
	return HardwareInterface{
		Name:   strings.TrimSpace(e.Name),
		State:  state,
		Up:     strings.EqualFold(state, "up"),
		Speed:  strings.TrimSpace(e.Speed),
		Duplex: strings.TrimSpace(e.Duplex),
		MAC:    strings.TrimSpace(e.MAC),
	}
}

// forwards reports whether a logical interface's fwd value puts it in the
// data plane: a virtual router, virtual wire or VLAN.
func forwards(fwd string) bool {
	return fwd != "" && !strings.EqualFold(fwd, "N/A") && !strings.EqualFold(fwd, "ha")
}

// isHAPort reports whether a hardware interface is a dedicated HA port
// (ha1, ha1-a, ha2, …, or the HSCI port of PA-5200/7000 chassis).
func isHAPort(name, hwType string) bool {
	return strings.TrimSpace(hwType) == hwTypeHA ||
		strings.HasPrefix(name, "ha") || strings.HasPrefix(name, "hsci")
}

// counterResult is the result of `show counter interface all`. Logical
// counters nest as ifnet/ifnet/entry on some releases and ifnet/entry on
// others.
type counterResult struct {
	resultHead
	Ifnet struct {
		Entries []counterXML `xml:"entry"`
		Nested  []counterXML `xml:"ifnet>entry"`
	} `xml:"ifnet"`
	HW []counterXML `xml:"hw>entry"`
}

// counterXML is the counters of one interface.
type counterXML struct {
	Name      string  `xml:"name"`
	Interface string  `xml:"interface"`
	IBytes    xmlUint `xml:"ibytes"`
	OBytes    xmlUint `xml:"obytes"`
	IPackets  xmlUint `xml:"ipackets"`
	OPackets  xmlUint `xml:"opackets"`
	IErrors   xmlUint `xml:"ierrors"`
	IDrops    xmlUint `xml:"idrops"`
}

func (c *counterXML) counters() InterfaceCounters {
	return InterfaceCounters{
		Name:      firstText(c.Name, c.Interface),
		RxBytes:   uint64(c.IBytes),
		TxBytes:   uint64(c.OBytes),
		RxPackets: uint64(c.IPackets),
		TxPackets: uint64(c.OPackets),
		RxErrors:  uint64(c.IErrors),
		RxDrops:   uint64(c.IDrops),
	}
}

// ParseCounters parses the reply to `show counter interface all`.
func ParseCounters(body []byte) (*Counters, error) {
	r, err := decodeReply[counterResult](body, "counters")
	if err != nil {
		return nil, err
	}
	out := &Counters{
		Hardware: make([]InterfaceCounters, 0, len(r.HW)),
		Logical:  make([]InterfaceCounters, 0, len(r.Ifnet.Entries)+len(r.Ifnet.Nested)),
	}
	for i := range r.HW {
		out.Hardware = append(out.Hardware, r.HW[i].counters())
	}
	for _, list := range [...][]counterXML{r.Ifnet.Nested, r.Ifnet.Entries} {
		for i := range list {
			out.Logical = append(out.Logical, list[i].counters())
		}
	}
	return out, nil
}
