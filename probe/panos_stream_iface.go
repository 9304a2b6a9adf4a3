package probe

import (
	"encoding/xml"
	"sync"
)

// streamIfaces reads the reply to `show interface all` within lim into an
// ifaceResult, in one pass (walkReply).
func streamIfaces(body []byte, lim XMLLimits) (*ifaceResult, error) {
	r := new(ifaceResult)
	if err := r.stream(body, lim); err != nil {
		return nil, err
	}
	return r, nil
}

// ifaceResults holds the ifaceResults of parseInterfaces between replies:
// the rows only pass through them on their way to an Interfaces.
var ifaceResults = sync.Pool{New: func() any { return new(ifaceResult) }}

// reset empties r for the next reply, keeping its rows' room.
func (r *ifaceResult) reset() {
	r.resultHead = resultHead{}
	clear(r.Ifnet)
	r.Ifnet = r.Ifnet[:0]
	clear(r.HW)
	r.HW = r.HW[:0]
}

// stream reads the reply to `show interface all` into r, which is empty.
func (r *ifaceResult) stream(body []byte, lim XMLLimits) error {
	return walkReply(body, lim, "interfaces", func(path []xml.Name, text []byte, end bool) {
		if len(path) < 2 || path[1].Local != "entry" {
			return
		}
		switch path[0].Local {
		case "ifnet":
			if len(path) == 2 {
				if !end {
					r.Ifnet = append(r.Ifnet, ifnetXML{})
				}
			} else if end {
				r.Ifnet[len(r.Ifnet)-1].set(path[2:], text)
			}
		case "hw":
			if len(path) == 2 {
				if !end {
					r.HW = append(r.HW, hwXML{})
				}
			} else if end {
				r.HW[len(r.HW)-1].set(path[2:], text)
			}
		}
	})
}

// set keeps the element at path below an ifnet entry, which has ended.
func (e *ifnetXML) set(path []xml.Name, text []byte) {
	if len(path) == 2 && path[1].Local == "member" {
		switch path[0].Local {
		case "addr":
			e.Addr = append(e.Addr, string(text))
		case "addr6":
			e.Addr6 = append(e.Addr6, string(text))
		}
		return
	}
	if len(path) != 1 {
		return
	}
	switch path[0].Local {
	case "name":
		e.Name = string(text)
	case "zone":
		e.Zone = string(text)
	case "fwd":
		e.Fwd = string(text)
	case "vsys":
		e.VSys = string(text)
	case "tag":
		e.Tag = string(text)
	case "ip":
		e.IP = string(text)
	}
}

// set keeps the element at path below a hw entry, which has ended.
func (h *hwXML) set(path []xml.Name, text []byte) {
	if len(path) == 2 && path[0].Local == "ae_member" && path[1].Local == "member" {
		h.Members = append(h.Members, string(text))
		return
	}
	if len(path) != 1 {
		return
	}
	switch path[0].Local {
	case "name":
		h.Name = string(text)
	case "type":
		h.Type = string(text)
	case "state":
		h.State = string(text)
	case "speed":
		h.Speed = string(text)
	case "duplex":
		h.Duplex = string(text)
	case "mac":
		h.MAC = string(text)
	}
}
