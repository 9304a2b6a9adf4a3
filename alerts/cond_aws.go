package alerts

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// awsConditions are the conditions of the pair's AWS data plane. A check
// whose result is Unknown never fires; the checks that follow the active
// peer do not fire while a failover is in its grace period.
func awsConditions() []Condition {
	return []Condition{{
		Name: "HAAWSInterfaceSubnetMismatch", Severity: SeverityCritical, Labels: []string{LabelPeer, "interface"},
		For: 2 * time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary: "Interface {{ $labels.interface }} of peer {{ $labels.peer }} (HA pair {{ $labels.pair }}) has an address outside its ENI",
		Description: "PAN-OS has {{ $values.ip }} on {{ $labels.interface }}, but ENI {{ $values.eni }} is in subnet {{ $values.subnet }}{{ with $values.problem }} ({{ . }}){{ end }}. " +
			"The VPC drops traffic from an address the ENI does not own.",
		Eval: evalSubnetMismatch,
	}, {
		Name: "HAAWSDataPlaneENIDetached", Severity: SeverityCritical, Labels: []string{LabelPeer, "eni"},
		For: 2 * time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary:     "Data-plane ENI {{ $labels.eni }} of peer {{ $labels.peer }} (HA pair {{ $labels.pair }}) is not attached where it should be",
		Description: "ENI {{ $labels.eni }} ({{ $values.interface }}) is not attached where it should be{{ with $values.status }}; its status is {{ . }}{{ end }}{{ with $values.problem }}: {{ . }}{{ end }}.",
		Eval:        evalENIDetached,
	}, {
		Name: "HAAWSRouteNotOnActivePeer", Severity: SeverityCritical, Labels: []string{"route_table", "destination"},
		For: 2 * time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary:     "Route {{ $labels.destination }} in {{ $labels.route_table }} does not target the active peer of HA pair {{ $labels.pair }}",
		Description: "The route targets {{ $values.target }}{{ with $values.peer }} (peer {{ . }}){{ end }} while {{ $values.active }} is active{{ with $values.problem }}: {{ . }}{{ end }}.",
		Eval:        evalRouteNotOnActive,
	}, {
		Name: "HAAWSBlackholeRoute", Severity: SeverityCritical, Labels: []string{"route_table", "destination"},
		For: 2 * time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary:     "Route {{ $labels.destination }} in {{ $labels.route_table }} of HA pair {{ $labels.pair }} is a blackhole",
		Description: "The route's target {{ $values.target }} no longer exists or is detached, so the VPC drops the traffic{{ with $values.problem }}: {{ . }}{{ end }}.",
		Eval:        evalBlackholeRoute,
	}, {
		Name: "HAAWSFloatingIPNotOnActivePeer", Severity: SeverityWarning, Labels: []string{"ip"},
		For: 2 * time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary:     "Floating IP {{ $labels.ip }} of HA pair {{ $labels.pair }} is not on the active peer",
		Description: "The {{ $values.kind }} {{ $labels.ip }} is on ENI {{ $values.eni }}{{ with $values.peer }} of {{ . }}{{ end }} while {{ $values.active }} is active{{ with $values.problem }}: {{ . }}{{ end }}.",
		Eval:        evalFloatingIP,
	}, {
		Name: "HAAWSSourceDestCheckEnabled", Severity: SeverityWarning, Labels: []string{LabelPeer, "eni"},
		For:         5 * time.Minute,
		Summary:     "Source/destination check is enabled on data-plane ENI {{ $labels.eni }} of peer {{ $labels.peer }} (HA pair {{ $labels.pair }})",
		Description: "ENI {{ $labels.eni }} ({{ $values.interface }}) drops every packet not addressed to its own IPs, which breaks routing through the firewall.",
		Eval:        evalSourceDestCheck,
	}, {
		Name: "HAAWSInstanceStatusFailed", Severity: SeverityWarning, Labels: []string{LabelPeer},
		For:         5 * time.Minute,
		Summary:     "EC2 instance of peer {{ $labels.peer }} (HA pair {{ $labels.pair }}) fails its status checks",
		Description: "Instance {{ $values.instance }} is {{ $values.state }}, system status {{ $values.system }}, instance status {{ $values.status }}{{ with $values.problem }}: {{ . }}{{ end }}.",
		Eval:        evalInstanceStatus,
	}, {
		Name: "HAFailoverNotReady", Severity: SeverityWarning,
		For:         10 * time.Minute,
		Summary:     "A failover of HA pair {{ $labels.pair }} would fail now",
		Description: "If the active peer failed now, the pair would not come back: {{ $values.reason }}",
		Eval:        evalFailoverNotReady,
	}, {
		Name: "HAWatchAWSBlind", Severity: SeverityWarning,
		For:         5 * time.Minute,
		Summary:     "hawatch cannot read the AWS side of HA pair {{ $labels.pair }}",
		Description: "EC2 calls for {{ $labels.pair }} fail ({{ $values.errors }}), so every AWS check of the pair is unknown and no AWS alert can fire.",
		Eval:        evalAWSBlind,
	}}
}

// evalFailoverNotReady fires while the failover prediction says a failover
// would fail (hawatch_failover_ready == 0), outside a failover's grace
// period, in which the AWS side is still moving.
func evalFailoverNotReady(p *snapshot.Pair, _ *History) []Instance {
	f := p.Failover
	if f == nil || f.Ready != probe.No || (p.AWSView != nil && p.AWSView.InGrace) {
		return nil
	}
	return one(map[string]string{"reason": f.Reason})
}

// evalAWSBlind fires while AWS monitoring is on for the pair and its latest
// AWS poll is missing or had an EC2 operation fail (hawatch_aws_up == 0).
func evalAWSBlind(p *snapshot.Pair, _ *History) []Instance {
	if !p.AWSOn() || p.AWS.OK() {
		return nil
	}
	errs := "no AWS poll has completed"
	if p.AWS != nil {
		var parts []string
		for _, op := range slices.Sorted(maps.Keys(p.AWS.Errors)) {
			parts = append(parts, op+": "+p.AWS.Errors[op].Error())
		}
		errs = strings.Join(parts, "; ")
	}
	return one(map[string]string{"errors": errs})
}

// evalSubnetMismatch fires for a data-plane interface whose PAN-OS address
// is not a private IP of its ENI inside the ENI's subnet.
func evalSubnetMismatch(p *snapshot.Pair, _ *History) []Instance {
	if p.AWSView == nil {
		return nil
	}
	var a aggregate
	for _, c := range p.AWSView.Interfaces {
		a.add(map[string]string{LabelPeer: c.Peer, "interface": c.Interface}, c.Match, map[string]string{
			"ip": c.IP, "eni": c.ENI, "subnet": c.SubnetCIDR, "problem": c.Problem,
		})
	}
	return a.whereNo()
}

// settled returns the pair's AWS view when checks against the active peer
// may fire: AWS is watched and no failover is in its grace period.
func settled(p *snapshot.Pair) *snapshot.AWSView {
	if p.AWSView == nil || p.AWSView.InGrace {
		return nil
	}
	return p.AWSView
}

// evalENIDetached fires for a data-plane ENI that is not attached where it
// should be.
func evalENIDetached(p *snapshot.Pair, _ *History) []Instance {
	v := settled(p)
	if v == nil {
		return nil
	}
	var a aggregate
	for _, c := range v.ENIs {
		if c.Role != probe.RoleDataPlane {
			continue
		}
		a.add(map[string]string{LabelPeer: c.Peer, "eni": c.ENI}, c.Attached, map[string]string{
			"interface": c.Interface, "status": c.Status, "problem": c.Problem,
			"device_index": strconv.Itoa(c.DeviceIndex),
		})
	}
	return a.whereNo()
}

// routeValues describes a route check.
func routeValues(c snapshot.RouteCheck, active string) map[string]string {
	target := c.TargetENI
	if target == "" {
		target = c.TargetInstance
	}
	return map[string]string{"target": target, "peer": c.TargetPeer, "active": active, "problem": c.Problem}
}

// evalRouteNotOnActive fires for a route that does not target the active
// peer.
func evalRouteNotOnActive(p *snapshot.Pair, _ *History) []Instance {
	v := settled(p)
	if v == nil {
		return nil
	}
	var a aggregate
	for _, c := range v.Routes {
		a.add(map[string]string{"route_table": c.RouteTable, "destination": c.Destination}, c.OnActive, routeValues(c, v.ActivePeer))
	}
	return a.whereNo()
}

// evalBlackholeRoute fires for a blackhole route. It waits for the grace
// period too: in interface-move mode a route is a blackhole while its ENI
// moves.
func evalBlackholeRoute(p *snapshot.Pair, _ *History) []Instance {
	v := settled(p)
	if v == nil {
		return nil
	}
	var a aggregate
	for _, c := range v.Routes {
		a.add(map[string]string{"route_table": c.RouteTable, "destination": c.Destination}, probe.TriOf(c.Blackhole), routeValues(c, v.ActivePeer))
	}
	return a.whereYes()
}

// evalFloatingIP fires for a floating secondary IP or EIP that is not on
// the active peer.
func evalFloatingIP(p *snapshot.Pair, _ *History) []Instance {
	v := settled(p)
	if v == nil {
		return nil
	}
	var a aggregate
	for _, c := range v.FloatingIPs {
		a.add(map[string]string{"ip": c.IP}, c.OnActive, map[string]string{
			"kind": c.Kind, "eni": c.ENI, "peer": c.Peer, "active": v.ActivePeer, "problem": c.Problem,
		})
	}
	return a.whereNo()
}

// evalSourceDestCheck fires for a data-plane ENI with the
// source/destination check on.
func evalSourceDestCheck(p *snapshot.Pair, _ *History) []Instance {
	if p.AWSView == nil {
		return nil
	}
	var a aggregate
	for _, c := range p.AWSView.ENIs {
		if c.Role != probe.RoleDataPlane {
			continue
		}
		a.add(map[string]string{LabelPeer: c.Peer, "eni": c.ENI}, probe.TriOf(c.SourceDestCheck), map[string]string{"interface": c.Interface})
	}
	return a.whereYes()
}

// evalInstanceStatus fires for a peer instance that is not running with
// both status checks ok.
func evalInstanceStatus(p *snapshot.Pair, _ *History) []Instance {
	if p.AWSView == nil {
		return nil
	}
	var a aggregate
	for _, c := range p.AWSView.Instances {
		a.add(map[string]string{LabelPeer: c.Peer}, c.OK, map[string]string{
			"instance": c.InstanceID, "state": c.State, "system": c.SystemStatus,
			"status": c.InstanceStatus, "problem": c.Problem,
		})
	}
	return a.whereNo()
}
