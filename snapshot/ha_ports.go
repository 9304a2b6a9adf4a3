package snapshot

import (
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// ports lists a peer's hardware ports with the zones and forwarding targets
// of the logical interfaces on them, and counts the data-plane link ports.
func ports(ifs *probe.Interfaces) ([]Port, LinkCount) {
	zones := map[string][]string{}
	fwd := map[string][]string{}
	for _, l := range ifs.Logical {
		port, _, _ := strings.Cut(l.Name, ".")
		if l.Zone != "" {
			zones[port] = append(zones[port], l.Zone)
		}
		if f := l.Forwarding; f != "" && !strings.EqualFold(f, "N/A") {
			fwd[port] = append(fwd[port], f)
		}
	}
	out := make([]Port, 0, len(ifs.Hardware))
	var n LinkCount
	seen := make(map[string]bool, len(ifs.Hardware))
	for _, hw := range ifs.Hardware {
		if seen[hw.Name] {
			continue
		}
		seen[hw.Name] = true
		p := Port{
			Name: hw.Name, Kind: hw.Kind, Role: hw.Role, Up: hw.Up, Link: hw.CarriesLink(),
			Zones: sortedSet(zones[hw.Name]), Forwarding: sortedSet(fwd[hw.Name]),
		}
		if p.Link {
			n.Total++
			if p.Up {
				n.Up++
			}
		}
		out = append(out, p)
	}
	return out, n
}

// sortedSet returns ss sorted without repeats, or nil.
func sortedSet(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}
