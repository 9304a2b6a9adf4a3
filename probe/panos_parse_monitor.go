package probe

import "strings"

// monitorXML is link-monitoring or path-monitoring. Releases before 10.0 spell
// the condition fail-cond and the path containers vwire and vrouter.
type monitorXML struct {
	Enabled     string        `xml:"enabled"`
	FailCond    string        `xml:"failure-condition"`
	FailCondOld string        `xml:"fail-cond"`
	Groups      []monGroupXML `xml:"groups>entry"`

	VWire         pathContainerXML `xml:"vwire"`
	VirtualWire   pathContainerXML `xml:"virtual-wire"`
	VLAN          pathContainerXML `xml:"vlan"`
	VRouter       pathContainerXML `xml:"vrouter"`
	VirtualRouter pathContainerXML `xml:"virtual-router"`
}

// pathContainerXML is a per-type path-monitoring container (virtual wire,
// VLAN, virtual router), holding path groups.
type pathContainerXML struct {
	Entries    []monGroupXML `xml:"entry"`
	PathGroups []monGroupXML `xml:"path-group>entry"`
}

// monGroupXML is a monitor group: a link-monitoring group with interfaces,
// a path group with destination groups, or a destination group with
// destination addresses.
type monGroupXML struct {
	Name        string         `xml:"name"`
	NameAttr    string         `xml:"name,attr"`
	Enabled     string         `xml:"enabled"`
	FailCond    string         `xml:"failure-condition"`
	FailCondOld string         `xml:"fail-cond"`
	Interfaces  []monMemberXML `xml:"interface>entry"`
	DestIPs     []monMemberXML `xml:"dest-ip>entry"`
	DestGroups  []monGroupXML  `xml:"destination-groups>entry"`
}

// monMemberXML is a monitored interface (name) or destination (addr).
type monMemberXML struct {
	Name     string `xml:"name"`
	NameAttr string `xml:"name,attr"`
	Addr     string `xml:"addr"`
	Status   string `xml:"status"`
}

// failAll is the failure condition under which a group fails only when all
// its members are down; the other condition, "any", is the default.
const failAll = "all"

// failureCondition returns the condition in lower case and lists a value
// other than "any" or "all" under path.
func failureCondition(path, s, old string, u *unrecognized) string {
	c := strings.ToLower(firstText(s, old))
	if c != "" && c != "any" && c != failAll {
		u.add(path+"/failure-condition", c)
	}
	return c
}

// monitoring converts link- or path-monitoring; path names it in
// Unrecognized.
func (m *monitorXML) monitoring(path string, u *unrecognized) Monitoring {
	out := Monitoring{
		Enabled:          isYes(m.Enabled),
		FailureCondition: failureCondition(path, m.FailCond, m.FailCondOld, u),
	}
	lists := [...][]monGroupXML{
		m.Groups,
		m.VWire.Entries, m.VWire.PathGroups,
		m.VirtualWire.Entries, m.VirtualWire.PathGroups,
		m.VLAN.Entries, m.VLAN.PathGroups,
		m.VRouter.Entries, m.VRouter.PathGroups,
		m.VirtualRouter.Entries, m.VirtualRouter.PathGroups,
	}
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if n == 0 {
		return out
	}
	out.Groups = make([]MonitorGroup, 0, n)
	for _, l := range lists {
		for i := range l {
			out.Groups = append(out.Groups, l[i].group(path, u))
		}
	}
	return out
}

// group converts a monitor group. Its members are its interfaces and
// destination addresses, including those of its destination groups. Failed
// applies the group's condition to its direct members and to its
// destination groups, each judged by its own condition.
func (g *monGroupXML) group(parent string, u *unrecognized) MonitorGroup {
	name := firstText(g.Name, g.NameAttr)
	path := parent + "/group[" + name + "]"
	out := MonitorGroup{
		Name:             name,
		Enabled:          isYes(g.Enabled),
		FailureCondition: failureCondition(path, g.FailCond, g.FailCondOld, u),
	}
	n := len(g.Interfaces) + len(g.DestIPs)
	for i := range g.DestGroups {
		n += len(g.DestGroups[i].DestIPs)
	}
	if n > 0 {
		out.Members = make([]MonitorMember, 0, n)
	}
	down, total := 0, 0
	for _, ms := range [...][]monMemberXML{g.Interfaces, g.DestIPs} {
		for i := range ms {
			m := ms[i].member(path, u)
			out.Members = append(out.Members, m)
			total++
			if !m.Up {
				down++
			}
		}
	}
	for i := range g.DestGroups {
		dg := g.DestGroups[i].group(path, u)
		out.Members = append(out.Members, dg.Members...)
		if len(dg.Members) == 0 {
			continue // an empty destination group never fails
		}
		total++
		if dg.Failed {
			down++
		}
	}
	out.Failed = conditionMet(out.FailureCondition, down, total)
	return out
}

func (m *monMemberXML) member(group string, u *unrecognized) MonitorMember {
	name := firstText(m.Name, m.Addr, m.NameAttr)
	status := strings.TrimSpace(m.Status)
	checkStatus(group+"/member["+name+"]/status", status, u)
	return MonitorMember{Name: name, Status: status, Up: isUp(status)}
}

// conditionMet applies a failure condition to down of total units: "all"
// needs every unit down, anything else (the default "any") one. Empty groups
// never fail.
func conditionMet(cond string, down, total int) bool {
	if total == 0 {
		return false
	}
	if cond == failAll {
		return down == total
	}
	return down > 0
}
