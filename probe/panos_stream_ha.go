package probe

import "encoding/xml"

// haElements is the result of `show high-availability all|state`. Firewalls
// wrap the HA elements in group; Panorama puts them directly under result.
type haElements struct {
	enabled *string // nil when absent
	group   *haGroup
	haGroup
}

// streamHA reads the HA reply within lim in one pass (walkReply). Each open
// element has a target: the struct its children go to, the list its entries
// are appended to, the field its text is kept in, or nil when nothing reads
// it. Structs met again are filled again and lists grow, as with Unmarshal.
func streamHA(body []byte, lim XMLLimits) (*haElements, error) {
	r := new(haElements)
	targets := make([]any, 0, 8)
	err := walkReply(body, lim, "ha", func(path []xml.Name, text []byte, end bool) {
		name := path[len(path)-1].Local
		if !end {
			var parent any = r
			if n := len(targets); n > 0 {
				parent = targets[n-1]
			}
			targets = append(targets, haChild(parent, name, text))
			return
		}
		if n := len(targets); n > 0 {
			setHAText(targets[n-1], name, text)
			targets = targets[:n-1]
		}
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// haChild returns the target of the element name, which starts inside
// parent's; attr is the value of its name attribute.
func haChild(parent any, name string, attr []byte) any {
	switch p := parent.(type) {
	case *haElements:
		switch name {
		case "enabled":
			return &p.enabled
		case "group":
			if p.group == nil {
				p.group = new(haGroup)
			}
			return p.group
		}
		return p.child(name)
	case *haGroup:
		return p.child(name)
	case *haLocal:
		return p.child(name)
	case *haPeer:
		return p.child(name)
	case *haConn:
		if name == "conn-status" {
			return &p.Status
		}
	case *monitorXML:
		return p.child(name)
	case *pathContainerXML:
		switch name {
		case "entry":
			return appendGroup(&p.Entries, attr)
		case "path-group":
			return &p.PathGroups
		}
	case *[]monGroupXML:
		if name == "entry" {
			return appendGroup(p, attr)
		}
	case *[]monMemberXML:
		if name == "entry" {
			*p = append(*p, monMemberXML{NameAttr: string(attr)})
			return &(*p)[len(*p)-1]
		}
	case *monGroupXML:
		return p.child(name)
	case *monMemberXML:
		return p.child(name)
	}
	return nil
}

// setHAText keeps the text of the element name, which has ended, in its
// target when that is a field.
func setHAText(target any, name string, text []byte) {
	switch t := target.(type) {
	case *string:
		*t = string(text)
	case *xmlUint:
		n, _ := parseDecimal(text)
		*t = xmlUint(n)
	case **string:
		if *t == nil {
			*t = new(string)
		}
		**t = string(text)
	case *compatElems:
		t.add(name, text)
	}
}

// appendGroup starts a monitor group in list.
func appendGroup(list *[]monGroupXML, attr []byte) *monGroupXML {
	*list = append(*list, monGroupXML{NameAttr: string(attr)})
	return &(*list)[len(*list)-1]
}

func (g *haGroup) child(name string) any {
	switch name {
	case "mode":
		return &g.Mode
	case "local-info":
		if g.Local == nil {
			g.Local = new(haLocal)
		}
		return g.Local
	case "peer-info":
		if g.Peer == nil {
			g.Peer = new(haPeer)
		}
		return g.Peer
	case "link-monitoring":
		return &g.LinkMonitoring
	case "path-monitoring":
		return &g.PathMonitoring
	case "running-sync":
		return &g.RunningSync
	case "running-sync-enabled":
		return &g.RunningSyncEnabled
	}
	return nil
}

// child is the field of the element name that local-info and peer-info
// share, or nil.
func (n *haNode) child(name string) any {
	switch name {
	case "build-rel":
		return &n.BuildRel
	case "app-version":
		return &n.AppVersion
	case "threat-version":
		return &n.ThreatVersion
	case "av-version":
		return &n.AVVersion
	case "url-version":
		return &n.URLVersion
	case "gpclient-version":
		return &n.GPClientVersion
	case "vpnclient-version":
		return &n.VPNClientVersion
	case "state":
		return &n.State
	case "state-duration":
		return &n.StateDuration
	case "priority":
		return &n.Priority
	case "preemptive":
		return &n.Preemptive
	case "mode":
		return &n.Mode
	case "mgmt-ip":
		return &n.MgmtIP
	case "serial-num":
		return &n.SerialNum
	case "serial":
		return &n.Serial
	case "last-error-reason":
		return &n.LastErrorReason
	case "last-error-state":
		return &n.LastErrorState
	}
	return nil
}

// child is the field of the element name in local-info; every element
// without one is a compatibility item candidate.
func (l *haLocal) child(name string) any {
	if f := l.haNode.child(name); f != nil {
		return f
	}
	switch name {
	case "promotion-hold":
		return &l.PromotionHold
	case "state-sync":
		return &l.StateSync
	case "preempt-flap-cnt":
		return &l.PreemptFlapCnt
	case "nonfunc-flap-cnt":
		return &l.NonfuncFlapCnt
	case "max-flaps":
		return &l.MaxFlaps
	case "ha1-port":
		return &l.HA1Port
	case "ha1-ipaddr":
		return &l.HA1IP
	case "ha1-backup-port":
		return &l.HA1BackupPort
	case "ha1-backup-ipaddr":
		return &l.HA1BackupIP
	case "ha2-port":
		return &l.HA2Port
	case "ha2-ipaddr":
		return &l.HA2IP
	case "ha2-backup-port":
		return &l.HA2BackupPort
	case "ha2-backup-ipaddr":
		return &l.HA2BackupIP
	case "mgmt-hb":
		return &l.MgmtHB
	}
	return &l.Compat
}

func (p *haPeer) child(name string) any {
	if f := p.haNode.child(name); f != nil {
		return f
	}
	var conn **haConn
	switch name {
	case "conn-status":
		return &p.ConnStatus
	case "conn-ha1":
		conn = &p.HA1
	case "conn-ha1-backup":
		conn = &p.HA1Backup
	case "conn-ha2":
		conn = &p.HA2
	case "conn-ha2-backup":
		conn = &p.HA2Backup
	case "conn-ha3":
		conn = &p.HA3
	case "conn-mgmt":
		conn = &p.Mgmt
	default:
		return nil
	}
	if *conn == nil {
		*conn = new(haConn)
	}
	return *conn
}
