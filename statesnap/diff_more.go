package statesnap

import (
	"slices"
	"strconv"
)

// licenses fails when a license of a is gone or has expired in b.
func (d *differ) licenses() *findings {
	f := &findings{}
	d.eachPeer(f, PartLicenses, func(pa, pb *Peer) {
		now := map[string]License{}
		for _, l := range pb.Licenses {
			now[l.Feature] = l
		}
		var bad []string
		for _, l := range pa.Licenses {
			switch m, ok := now[l.Feature]; {
			case !ok:
				bad = append(bad, l.Feature+" gone")
			case m.Expired && !l.Expired:
				bad = append(bad, l.Feature+" expired")
			}
		}
		if len(bad) > 0 {
			f.failf("%s: %s", pa.Name, list(bad))
			return
		}
		f.passf("%s: %d licenses, none lost", pa.Name, len(pb.Licenses))
	})
	return f
}

// tunnels fails when a tunnel that was up in a is down or gone in b.
func (d *differ) tunnels() *findings {
	f := &findings{}
	d.eachPeer(f, PartTunnels, func(pa, pb *Peer) {
		now := map[string]Tunnel{}
		for _, t := range pb.Tunnels {
			now[t.Name] = t
		}
		var down []string
		up := 0
		for _, t := range pa.Tunnels {
			if !t.Up {
				continue
			}
			up++
			if m, ok := now[t.Name]; !ok || !m.Up {
				down = append(down, t.Name)
			}
		}
		if len(down) > 0 {
			f.failf("%s: tunnel(s) no longer up: %s", pa.Name, list(down))
			return
		}
		f.passf("%s: all %d tunnels that were up are up", pa.Name, up)
	})
	return f
}

// awsKnown says why the AWS side of s cannot be compared, or "".
func awsKnown(s *Snapshot, op string) string {
	switch {
	case s.AWS == nil:
		return "AWS monitoring off in " + s.Name
	case s.AWS.Unknown["aws"] != "":
		return s.Name + ": " + s.AWS.Unknown["aws"]
	case s.AWS.Unknown[op] != "":
		return s.Name + ": " + op + ": " + s.AWS.Unknown[op]
	}
	return ""
}

// awsENIs fails when an ENI disappeared or moved to another instance or
// device index, or a private IP moved to another ENI.
func (d *differ) awsENIs() *findings {
	f := &findings{}
	if d.a.AWS == nil && d.b.AWS == nil {
		f.passf("AWS monitoring off")
		return f
	}
	for _, s := range []*Snapshot{d.a, d.b} {
		if why := awsKnown(s, "DescribeNetworkInterfaces"); why != "" {
			f.unknownf("ENIs unknown: %s", why)
			return f
		}
	}
	now := map[string]ENI{}
	for _, e := range d.b.AWS.ENIs {
		now[e.ID] = e
	}
	for _, e := range d.a.AWS.ENIs {
		m, ok := now[e.ID]
		switch {
		case !ok:
			f.failf("%s is gone", e.ID)
		case m.InstanceID != e.InstanceID || m.DeviceIndex != e.DeviceIndex:
			f.failf("%s moved from %s to %s", e.ID, attachment(e), attachment(m))
		}
	}
	d.privateIPs(f)
	f.passf("%d ENIs, attachments and addresses unchanged", len(d.b.AWS.ENIs))
	return f
}

// privateIPs fails for each private IP of a that is on another ENI in b
// (a floating IP of a secondary-ip pair moved) or on none.
func (d *differ) privateIPs(f *findings) {
	holder := map[string]string{}
	for _, e := range d.b.AWS.ENIs {
		for _, ip := range e.PrivateIPs {
			holder[ip] = e.ID
		}
	}
	for _, e := range d.a.AWS.ENIs {
		for _, ip := range e.PrivateIPs {
			switch now, ok := holder[ip]; {
			case !ok:
				f.failf("%s is on no ENI any more (was on %s)", ip, e.ID)
			case now != e.ID:
				f.failf("%s moved from %s to %s", ip, e.ID, now)
			}
		}
	}
}

func attachment(e ENI) string {
	if e.InstanceID == "" {
		return "detached"
	}
	return e.InstanceID + " device " + strconv.Itoa(e.DeviceIndex)
}

// awsRoutes fails when a VPC route that targets the pair changed target
// or state, appeared or disappeared.
func (d *differ) awsRoutes() *findings {
	f := &findings{}
	if d.a.AWS == nil && d.b.AWS == nil {
		f.passf("AWS monitoring off")
		return f
	}
	for _, s := range []*Snapshot{d.a, d.b} {
		if why := awsKnown(s, "DescribeRouteTables"); why != "" {
			f.unknownf("VPC routes unknown: %s", why)
			return f
		}
	}
	was := map[string]AWSRoute{}
	for _, r := range d.a.AWS.Routes {
		was[r.Key()] = r
	}
	now := map[string]AWSRoute{}
	for _, r := range d.b.AWS.Routes {
		now[r.Key()] = r
		o, ok := was[r.Key()]
		switch {
		case !ok:
			f.failf("route %s added → %s", r.Key(), target(r))
		case target(o) != target(r):
			f.failf("route %s now → %s (was → %s)", r.Key(), target(r), target(o))
		}
	}
	for k, r := range was {
		if _, ok := now[k]; !ok {
			f.failf("route %s removed (was → %s)", k, target(r))
		}
	}
	slices.Sort(f.fail)
	f.passf("%d VPC routes to the pair, targets unchanged", len(d.b.AWS.Routes))
	return f
}

// target describes where a VPC route sends traffic.
func target(r AWSRoute) string {
	t := r.TargetENI
	if t == "" {
		t = r.TargetInst
	}
	if r.TargetPeer != "" {
		t += " (" + r.TargetPeer + ")"
	}
	if r.State == "blackhole" {
		t += " blackhole"
	}
	return t
}
