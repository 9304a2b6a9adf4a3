package probe

// The targets of link- and path-monitoring's elements in the HA reply (see
// haChild). A group's members and destination groups sit in list elements
// whose entries haChild appends.

func (m *monitorXML) child(name string) any {
	switch name {
	case "enabled":
		return &m.Enabled
	case "failure-condition":
		return &m.FailCond
	case "fail-cond":
		return &m.FailCondOld
	case "groups":
		return &m.Groups
	case "vwire":
		return &m.VWire
	case "virtual-wire":
		return &m.VirtualWire
	case "vlan":
		return &m.VLAN
	case "vrouter":
		return &m.VRouter
	case "virtual-router":
		return &m.VirtualRouter
	}
	return nil
}

func (g *monGroupXML) child(name string) any {
	switch name {
	case "name":
		return &g.Name
	case "enabled":
		return &g.Enabled
	case "failure-condition":
		return &g.FailCond
	case "fail-cond":
		return &g.FailCondOld
	case "interface":
		return &g.Interfaces
	case "dest-ip":
		return &g.DestIPs
	case "destination-groups":
		return &g.DestGroups
	}
	return nil
}

func (m *monMemberXML) child(name string) any {
	switch name {
	case "name":
		return &m.Name
	case "addr":
		return &m.Addr
	case "status":
		return &m.Status
	}
	return nil
}
