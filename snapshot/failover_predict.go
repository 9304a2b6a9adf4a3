package snapshot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// predictor holds what one PredictFailover call works from. It reuses
// Correlate's correlator for the peer ↔ instance and ENI ↔ interface
// mapping, so that both verdicts map the same way.
type predictor struct {
	in    FailoverInput
	c     *correlator
	awsOK bool // the AWS poll can be trusted at least in part
	mode  string

	active, passive string
	// noPair says why there is no active → passive failover to predict;
	// empty when there is one.
	noPair string

	checks []FailoverCheck
	routes []FailoverRoute
}

func newPredictor(in FailoverInput) *predictor {
	ha := in.HA
	if ha == nil {
		ha = BuildHA(in.Peers)
	}
	p := &predictor{in: in}
	p.in.HA = ha
	p.c = newCorrelator(CorrelateInput{
		Peers: in.Peers, HA: ha, AWS: in.AWS, Mode: in.Mode, PeerInstances: in.PeerInstances,
	})
	p.active = ha.Active
	p.passive, p.noPair = p.pickPassive(ha)
	if p.noPair != "" {
		p.active, p.passive = "", ""
	}
	if awsKnown(in.AWS) {
		p.awsOK = true
		p.c.index()
		p.c.mode = p.c.resolveMode()
	} else if in.Mode == probe.AWSModeSecondaryIP || in.Mode == probe.AWSModeInterfaceMove {
		p.c.mode = in.Mode
	}
	p.mode = p.c.mode
	return p
}

// pickPassive returns the peer a failover would go to: the one other peer
// of a pair with a single active peer.
func (p *predictor) pickPassive(ha *HAView) (string, string) {
	if ha.Active == "" {
		if len(ha.Actives) > 1 {
			return "", "no single active peer (" + strings.Join(ha.Actives, " and ") + " are both active)"
		}
		return "", "no peer is known to be active"
	}
	var others []string
	for _, peer := range p.c.peers {
		if peer.Name != ha.Active {
			others = append(others, peer.Name)
		}
	}
	if len(others) != 1 {
		return "", fmt.Sprintf("active peer %s has %d partners, not one", ha.Active, len(others))
	}
	return others[0], ""
}

// peer returns the named peer's status, or nil.
func (p *predictor) peer(name string) *probe.PeerStatus {
	for _, peer := range p.c.peers {
		if peer.Name == name {
			return peer
		}
	}
	return nil
}

// modeChecks are the checks of each AWS HA mode about the pair's ENIs.
func modeChecks(mode string) []string {
	switch mode {
	case probe.AWSModeInterfaceMove:
		return []string{FailoverCheckInterfaceAddress, FailoverCheckAvailabilityZone,
			FailoverCheckDeviceIndex, FailoverCheckENIDetachable}
	case probe.AWSModeSecondaryIP:
		return []string{FailoverCheckSecondaryIPMovable, FailoverCheckIPCapacity, FailoverCheckInterfaceSecondaryIPs}
	}
	return nil
}

// awsChecks runs the checks of the mode in force, or says why they cannot
// be run.
func (p *predictor) awsChecks() {
	why := ""
	switch {
	case !p.awsOK:
		why = "the AWS side of the pair could not be read this poll"
	case p.mode == "":
		p.add(FailoverCheckAWSMode, "mode", "", probe.Unknown,
			"the AWS HA mode is neither configured nor recognizable from the ENIs, so what a failover would move cannot be told")
		return
	case p.noPair != "":
		why = p.noPair + ", so there is no failover to predict"
	case p.c.failed(opENIs):
		why = "DescribeNetworkInterfaces failed this poll, so the ENIs a failover would move are unknown"
	}
	if why != "" {
		if p.mode == "" {
			p.add(FailoverCheckAWSMode, "mode", "", probe.Unknown, why)
		}
		for _, name := range modeChecks(p.mode) {
			p.add(name, "data-plane ENIs", p.passive, probe.Unknown, why)
		}
		if p.awsOK && p.noPair == "" {
			p.add(FailoverCheckRoutes, "route tables", "", probe.Unknown, why)
		}
		return
	}
	switch p.mode {
	case probe.AWSModeInterfaceMove:
		p.interfaceMoveChecks()
	case probe.AWSModeSecondaryIP:
		p.secondaryIPChecks()
	}
	p.routeChecks()
}

// activeDataENIs are the data-plane ENIs attached to the active peer's
// instance, by device index.
func (p *predictor) activeDataENIs() []*eniInfo {
	var out []*eniInfo
	for _, info := range p.c.enis {
		if info.peer == p.active && info.role == probe.RoleDataPlane && !isDetached(info.eni) && info.eni.DeviceIndex >= 0 {
			out = append(out, info)
		}
	}
	slices.SortFunc(out, func(a, b *eniInfo) int {
		return cmp.Or(cmp.Compare(a.eni.DeviceIndex, b.eni.DeviceIndex), cmp.Compare(a.eni.ID, b.eni.ID))
	})
	return out
}

// passiveSlot returns the passive's device index for the active ENI's
// interface and the ENI the passive has there (nil when none). ok is false
// when the passive's instance is unknown.
func (p *predictor) passiveSlot(info *eniInfo) (dev int, held *eniInfo, ok bool) {
	inst := p.c.instOf[p.passive]
	if inst == "" {
		return 0, nil, false
	}
	dev = info.eni.DeviceIndex
	if n, isEth := ethernetIndex(info.iface); isEth {
		dev = deviceForIface(n, p.c.swapped[p.passive])
	}
	return dev, p.c.byDev[devKey{inst, dev}], true
}

// logical returns a peer's logical interface of that name.
func logical(peer *probe.PeerStatus, name string) (probe.LogicalInterface, bool) {
	if peer == nil || peer.Interfaces == nil {
		return probe.LogicalInterface{}, false
	}
	for _, l := range peer.Interfaces.Logical {
		if l.Name == name {
			return l, true
		}
	}
	return probe.LogicalInterface{}, false
}

// answeredInterfaces reports whether the peer gave its interface reply.
func answeredInterfaces(peer *probe.PeerStatus) bool {
	return peer != nil && peer.Up && peer.Interfaces != nil
}

// staticAddr reads an interface's configured address; ok is false when it
// has none (DHCP, or N/A).
func staticAddr(l probe.LogicalInterface) (string, bool) {
	raw := strings.TrimSpace(l.IP)
	if raw == "" || strings.EqualFold(raw, "N/A") {
		return "", false
	}
	return raw, true
}
