package probe

import (
	"fmt"
	"strings"
)

// Route is one entry of `show routing route`: a route of a virtual router
// as the firewall's routing table holds it.
type Route struct {
	VirtualRouter string
	Destination   string // CIDR
	// Nexthop is an address ("10.0.1.1", "0.0.0.0" for a connected
	// route) or, for a route into another virtual router, its name as
	// PAN-OS prints it ("vr public").
	Nexthop   string
	Interface string // empty for a route with no egress interface
	Metric    string // as reported; empty when absent
	// Flags are the reply's flag letters, single-spaced ("A S E").
	Flags string
	// Active is true when the flags carry A: the route is in the FIB.
	Active bool
	Table  string // route-table: "unicast" or "multicast"
}

// Key identifies the route within a table: virtual router, destination,
// egress interface and next hop, as pan-os-upgrade-assurance keys them,
// so that equal-cost routes to one destination stay apart.
func (r Route) Key() string {
	return r.VirtualRouter + "|" + r.Destination + "|" + r.Interface + "|" + r.Nexthop
}

// routesResult is the result of `show routing route`: a legend element
// named flags, then one entry per route.
type routesResult struct {
	resultHead
	Entries []struct {
		VirtualRouter string `xml:"virtual-router"`
		Destination   string `xml:"destination"`
		Nexthop       string `xml:"nexthop"`
		Metric        string `xml:"metric"`
		Flags         string `xml:"flags"`
		Interface     string `xml:"interface"`
		RouteTable    string `xml:"route-table"`
	} `xml:"entry"`
}

// ParseRoutes parses the reply to `show routing route`. A table with no
// route is an empty, non-nil slice; an entry without a destination is a
// malformed reply, since no route can be told from it.
func ParseRoutes(body []byte) ([]Route, error) {
	r, err := decodeReply[routesResult](body, "routing route", XMLLimits{})
	if err != nil {
		return nil, err
	}
	out := make([]Route, 0, len(r.Entries))
	for i, e := range r.Entries {
		dst := strings.TrimSpace(e.Destination)
		if dst == "" {
			return nil, fmt.Errorf("routing route reply: %w: entry %d has no destination", ErrMalformed, i+1)
		}
		flags := strings.Fields(e.Flags)
		rt := Route{
			VirtualRouter: strings.TrimSpace(e.VirtualRouter),
			Destination:   dst,
			Nexthop:       strings.Join(strings.Fields(e.Nexthop), " "),
			Interface:     strings.TrimSpace(e.Interface),
			Metric:        strings.TrimSpace(e.Metric),
			Flags:         strings.Join(flags, " "),
			Table:         strings.TrimSpace(e.RouteTable),
		}
		for _, f := range flags {
			rt.Active = rt.Active || f == "A"
		}
		out = append(out, rt)
	}
	return out, nil
}
