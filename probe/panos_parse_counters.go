package probe

import (
	"encoding/xml"
	"sync"
)

// counterXML is the counters of one interface. hw entries carry both name
// and interface (HA2 on a PA-5060: name ha2, interface dedicated-ha2); name
// is the one `show interface all` uses.
type counterXML struct {
	Name      string   `xml:"name"`
	Interface string   `xml:"interface"`
	IBytes    xmlUint  `xml:"ibytes"`
	OBytes    xmlUint  `xml:"obytes"`
	IPackets  xmlUint  `xml:"ipackets"`
	OPackets  xmlUint  `xml:"opackets"`
	IErrors   xmlUint  `xml:"ierrors"`
	IDrops    xmlUint  `xml:"idrops"`
	Port      *portXML `xml:"port"`
}

// portXML is hw/entry/port: the port's own (MAC) counters. A pointer per
// figure tells a missing element from a zero.
type portXML struct {
	RxBytes     *xmlUint `xml:"rx-bytes"`
	TxBytes     *xmlUint `xml:"tx-bytes"`
	RxUnicast   *xmlUint `xml:"rx-unicast"`
	RxMulticast *xmlUint `xml:"rx-multicast"`
	RxBroadcast *xmlUint `xml:"rx-broadcast"`
	TxUnicast   *xmlUint `xml:"tx-unicast"`
	TxMulticast *xmlUint `xml:"tx-multicast"`
	TxBroadcast *xmlUint `xml:"tx-broadcast"`
	// No recorded reply has these two; third-party collectors read them.
	RxError    *xmlUint `xml:"rx-error"`
	RxDiscards *xmlUint `xml:"rx-discards"`
}

func (c *counterXML) counters() InterfaceCounters {
	out := InterfaceCounters{
		Name:      firstText(c.Name, c.Interface),
		RxBytes:   uint64(c.IBytes),
		TxBytes:   uint64(c.OBytes),
		RxPackets: uint64(c.IPackets),
		TxPackets: uint64(c.OPackets),
		RxErrors:  uint64(c.IErrors),
		RxDrops:   uint64(c.IDrops),
		DPRxBytes: uint64(c.IBytes),
		DPTxBytes: uint64(c.OBytes),
	}
	if c.Port != nil {
		c.Port.wire(&out)
	}
	return out
}

// wire replaces the data-plane figures of c with the port's where the
// reply has them: ibytes counts only what reached the data-plane CPU (a
// PA-5060 port shows 6.0 GB there against 1.7 TB received on the wire).
func (p *portXML) wire(c *InterfaceCounters) {
	if p.RxBytes != nil || p.TxBytes != nil {
		c.Wire = true
		c.RxBytes, c.TxBytes = p.RxBytes.orZero(), p.TxBytes.orZero()
	}
	if n, ok := sumPresent(p.RxUnicast, p.RxMulticast, p.RxBroadcast); ok {
		c.RxPackets = n
	}
	if n, ok := sumPresent(p.TxUnicast, p.TxMulticast, p.TxBroadcast); ok {
		c.TxPackets = n
	}
	if p.RxError != nil {
		c.RxErrors = uint64(*p.RxError)
	}
	if p.RxDiscards != nil {
		c.RxDrops = uint64(*p.RxDiscards)
	}
}

// orZero is the value of an optional element, 0 when it is missing.
func (u *xmlUint) orZero() uint64 {
	if u == nil {
		return 0
	}
	return uint64(*u)
}

// sumPresent adds the elements that are present; ok is false when none is.
func sumPresent(us ...*xmlUint) (sum uint64, ok bool) {
	for _, u := range us {
		if u != nil {
			sum += uint64(*u)
			ok = true
		}
	}
	return sum, ok
}

// ParseCounters parses the reply to `show counter interface all`.
func ParseCounters(body []byte) (*Counters, error) { return parseCounters(body, XMLLimits{}) }

// parseCounters is ParseCounters within lim. It streams (walkReply): the
// reply has some thirty elements per interface and hawatch reads eight.
// Logical counters nest as ifnet/ifnet/entry on some releases and
// ifnet/entry on others.
func parseCounters(body []byte, lim XMLLimits) (*Counters, error) {
	rows := counterScratches.Get().(*counterScratch)
	defer rows.put()
	err := walkReply(body, lim, "counters", func(path []xml.Name, text []byte, end bool) {
		var list *[]counterXML
		var rest []xml.Name
		switch {
		case len(path) >= 2 && path[0].Local == "ifnet" && path[1].Local == "entry":
			list, rest = &rows.entries, path[2:]
		case len(path) >= 3 && path[0].Local == "ifnet" && path[1].Local == "ifnet" && path[2].Local == "entry":
			list, rest = &rows.nested, path[3:]
		case len(path) >= 2 && path[0].Local == "hw" && path[1].Local == "entry":
			list, rest = &rows.hw, path[2:]
		default:
			return
		}
		if len(rest) == 0 {
			if !end {
				*list = append(*list, counterXML{})
			}
			return
		}
		(*list)[len(*list)-1].set(rest, text, end)
	})
	if err != nil {
		return nil, err
	}
	entries, nested, hw := rows.entries, rows.nested, rows.hw
	out := &Counters{
		Hardware: make([]InterfaceCounters, 0, len(hw)),
		Logical:  make([]InterfaceCounters, 0, len(entries)+len(nested)),
	}
	for i := range hw {
		out.Hardware = append(out.Hardware, hw[i].counters())
	}
	for _, list := range [...][]counterXML{nested, entries} {
		for i := range list {
			out.Logical = append(out.Logical, list[i].counters())
		}
	}
	return out, nil
}

// counterScratch holds the rows of a counters reply on their way to a
// Counters, kept between replies in counterScratches.
type counterScratch struct {
	entries, nested, hw []counterXML
}

var counterScratches = sync.Pool{New: func() any { return new(counterScratch) }}

// put empties rows, keeping their room, and gives them back to the pool.
func (rows *counterScratch) put() {
	for _, l := range []*[]counterXML{&rows.entries, &rows.nested, &rows.hw} {
		clear(*l)
		*l = (*l)[:0]
	}
	counterScratches.Put(rows)
}

// set keeps the element at path below an entry: one of its figures, or one
// of its port's.
func (c *counterXML) set(path []xml.Name, text []byte, end bool) {
	if path[0].Local == "port" {
		if c.Port == nil {
			c.Port = new(portXML)
		}
		if len(path) == 2 && end {
			c.Port.set(path[1].Local, text)
		}
		return
	}
	if len(path) != 1 || !end {
		return
	}
	switch path[0].Local {
	case "name":
		c.Name = string(text)
	case "interface":
		c.Interface = string(text)
	case "ibytes":
		_ = c.IBytes.UnmarshalText(text)
	case "obytes":
		_ = c.OBytes.UnmarshalText(text)
	case "ipackets":
		_ = c.IPackets.UnmarshalText(text)
	case "opackets":
		_ = c.OPackets.UnmarshalText(text)
	case "ierrors":
		_ = c.IErrors.UnmarshalText(text)
	case "idrops":
		_ = c.IDrops.UnmarshalText(text)
	}
}

// set keeps one of the port's figures.
func (p *portXML) set(name string, text []byte) {
	var f **xmlUint
	switch name {
	case "rx-bytes":
		f = &p.RxBytes
	case "tx-bytes":
		f = &p.TxBytes
	case "rx-unicast":
		f = &p.RxUnicast
	case "rx-multicast":
		f = &p.RxMulticast
	case "rx-broadcast":
		f = &p.RxBroadcast
	case "tx-unicast":
		f = &p.TxUnicast
	case "tx-multicast":
		f = &p.TxMulticast
	case "tx-broadcast":
		f = &p.TxBroadcast
	case "rx-error":
		f = &p.RxError
	case "rx-discards":
		f = &p.RxDiscards
	default:
		return
	}
	if *f == nil {
		*f = new(xmlUint)
	}
	_ = (*f).UnmarshalText(text)
}
