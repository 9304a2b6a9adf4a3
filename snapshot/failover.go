package snapshot

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/hawatch/hawatch/probe"
)

// Names of the checks of a FailoverView (FailoverCheck.Check).
const (
	// FailoverCheckInterfaceAddress: in interface-move mode, the passive
	// peer's ethernet1/N carries an address of the ENI it would receive.
	FailoverCheckInterfaceAddress = "interface-address"
	// FailoverCheckAvailabilityZone: the passive's instance is in the
	// zone of each ENI it would receive.
	FailoverCheckAvailabilityZone = "availability-zone"
	// FailoverCheckDeviceIndex: the passive's instance has the device
	// index of each ENI it would receive free.
	FailoverCheckDeviceIndex = "device-index"
	// FailoverCheckENIDetachable: each data-plane ENI can leave the active
	// peer's instance (and will not be deleted with it).
	FailoverCheckENIDetachable = "eni-detachable"
	// FailoverCheckSecondaryIPMovable: in secondary-ip mode, each floating
	// IP (and its Elastic IP) has an ENI in its subnet on the passive.
	FailoverCheckSecondaryIPMovable = "secondary-ip-movable"
	// FailoverCheckIPCapacity: the passive's ENI can hold the floating IPs
	// on top of its own.
	FailoverCheckIPCapacity = "ip-capacity"
	// FailoverCheckInterfaceSecondaryIPs: the passive's interface
	// configuration carries the floating IPs.
	FailoverCheckInterfaceSecondaryIPs = "interface-secondary-ips"
	// FailoverCheckInstanceProfile: a peer's instance has an IAM instance
	// profile for the VM-Series plugin to sign its calls with.
	FailoverCheckInstanceProfile = "instance-profile"
	// FailoverCheckIAMAction: a peer's role may call an EC2 action the HA
	// failover needs.
	FailoverCheckIAMAction = "iam-action"
	// FailoverCheckInterfacesMatch: both peers have the same data-plane
	// ports with the same zones and virtual routers.
	FailoverCheckInterfacesMatch = "interfaces-match"
	// FailoverCheckConfigSync: the passive's running configuration is
	// synchronized with the active's.
	FailoverCheckConfigSync = "config-sync"
	// FailoverCheckAWSMode: the AWS HA mode could be told; only ever
	// Unknown, standing for the mode's checks.
	FailoverCheckAWSMode = "aws-mode"
	// FailoverCheckRoutes: the route tables could be read; only ever
	// Unknown, standing for FailoverView.Routes.
	FailoverCheckRoutes = "routes"
)

// FailoverInput is what PredictFailover judges: the PAN-OS side of one
// poll, the latest AWS poll and what is known of the peers' IAM roles.
type FailoverInput struct {
	// Peers is the PAN-OS side of this poll.
	Peers []*probe.PeerStatus
	// HA is the HA view of the same poll; nil computes it from Peers.
	HA *HAView
	// AWS is the latest AWS poll; nil makes every AWS check Unknown.
	AWS *probe.AWSStatus
	// Mode is the AWS HA mode: AWSView.Mode as Correlate resolved it, or
	// the configured mode (auto is resolved the way Correlate does).
	Mode string
	// PeerInstances maps a peer to its EC2 instance, as for Correlate.
	PeerInstances map[string]string
	// IAM holds the IAM findings per peer label; a peer missing from it
	// has every IAM check Unknown.
	IAM map[string]IAMFindings
}

// IAMFindings is what could be learnt of one peer's IAM permissions.
type IAMFindings struct {
	// Profile is Yes when the peer's instance has an IAM instance
	// profile, No when it has none, Unknown when that could not be asked.
	Profile    probe.Tri
	ProfileARN string
	// Actions maps an IAM action ("ec2:AttachNetworkInterface") to Yes
	// (allowed), No (denied) or Unknown (could not ask); a missing action
	// is Unknown.
	Actions map[string]probe.Tri
	// Reason says why Profile or actions are Unknown, for problem texts
	// ("iam:SimulatePrincipalPolicy was denied"); may be empty.
	Reason string
}

// FailoverView predicts whether a failover of the pair would work now:
// whether the passive peer, once active, could take the active's AWS data
// plane (ENIs or floating IPs, routes) and forward as the active does.
type FailoverView struct {
	// Ready is No when a check (other than a warning) fails, Unknown when
	// none fails but one could not be made, Yes when every check passes.
	Ready probe.Tri
	// Reason is one line naming the first failing check, or the first
	// unknown one, for alerts and the status page.
	Reason string
	// Mode is the AWS HA mode the prediction is for; empty when unknown.
	Mode string
	// Active and Passive are the peers a failover would go from and to;
	// empty when there is no single active peer (or no other peer).
	Active, Passive string
	Checks          []FailoverCheck
	Routes          []FailoverRoute
}

// FailoverCheck is one check of a failover prediction.
type FailoverCheck struct {
	Check string // a FailoverCheck… constant
	// Item is what the check is about: an interface, ENI, IP, action….
	Item string
	// Peer is the peer whose state the check judges (where a fix goes).
	Peer   string
	Result probe.Tri
	// Warning marks a failure that does not stop the failover itself but
	// makes the pair fragile (DeleteOnTermination); it leaves Ready alone.
	Warning bool
	// Problem says, for an operator, what is wrong, where, and what would
	// happen at failover; for Unknown, why it cannot be told. Empty on Yes.
	Problem string
}

// FailoverRoute is a route that targets the active peer's ENI and what a
// failover would do to it.
type FailoverRoute struct {
	RouteTable  string
	Destination string
	TargetENI   string
	Interface   string // PAN-OS interface of the target ENI
	// AtFailover says what happens to the route at failover.
	AtFailover string
	// Result is Yes when the route would reach the new active peer.
	Result  probe.Tri
	Problem string
}

// Bounds of the texts of a FailoverView: an item names one thing, a
// problem fits an alert description.
const (
	maxItemLen    = 120
	maxProblemLen = 600
)

// PredictFailover predicts, from one poll, whether a failover of the pair
// would work now. It is a pure function of its input and never passes a
// check it could not make: no single active peer, an AWS poll that failed
// or a passive peer that did not answer make the checks that need them
// Unknown, with the reason.
//
// ENIs map to PAN-OS interfaces exactly as in Correlate (device index N ↔
// ethernet1/N, with the VM-Series management interface swap).
func PredictFailover(in FailoverInput) *FailoverView {
	p := newPredictor(in)
	p.awsChecks()
	p.iamChecks()
	p.panosChecks()
	v := &FailoverView{Mode: p.mode, Active: p.active, Passive: p.passive, Checks: p.checks, Routes: p.routes}
	ready, reason := summarize(v)
	v.Ready, v.Reason = ready, bound(reason, 2*maxProblemLen)
	return v
}

// summarize computes Ready and Reason.
func summarize(v *FailoverView) (probe.Tri, string) {
	var unknown, warning string
	for _, c := range v.Checks {
		line := oneLine(c.Check + " " + c.Item + ": " + c.Problem)
		switch {
		case c.Result == probe.No && c.Warning:
			if warning == "" {
				warning = line
			}
		case c.Result == probe.No:
			return probe.No, line
		case c.Result == probe.Unknown && unknown == "":
			unknown = line
		}
	}
	for _, r := range v.Routes {
		line := oneLine("route " + r.Destination + " in " + r.RouteTable + ": " + r.Problem)
		switch {
		case r.Result == probe.No:
			return probe.No, line
		case r.Result == probe.Unknown && unknown == "":
			unknown = line
		}
	}
	switch {
	case unknown != "":
		return probe.Unknown, "cannot tell: " + unknown
	case len(v.Checks) == 0:
		return probe.Unknown, "cannot tell: nothing to check"
	case warning != "":
		return probe.Yes, "a failover to " + v.Passive + " would work, with a warning: " + warning
	}
	return probe.Yes, "a failover to " + v.Passive + " would work as far as hawatch can see"
}

// add appends a check, bounding its texts.
func (p *predictor) add(check, item, peer string, r probe.Tri, problem string) *FailoverCheck {
	if r == probe.Yes {
		problem = ""
	}
	p.checks = append(p.checks, FailoverCheck{
		Check: check, Item: bound(item, maxItemLen), Peer: peer, Result: r, Problem: bound(problem, maxProblemLen),
	})
	return &p.checks[len(p.checks)-1]
}

// addf appends a check whose problem is formatted.
func (p *predictor) addf(check, item, peer string, r probe.Tri, format string, args ...any) *FailoverCheck {
	return p.add(check, item, peer, r, fmt.Sprintf(format, args...))
}

// bound makes s one line of at most n runes: strings from the devices and
// from AWS end up in alert texts.
func bound(s string, n int) string {
	s = oneLine(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// oneLine replaces control characters (newlines included) by spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// FirstProblem is the problem text of the first failing check (a warning
// only when nothing else fails), else Reason: the one line an operator
// reads first.
func (v *FailoverView) FirstProblem() string {
	var warning string
	for _, c := range v.Checks {
		switch {
		case c.Result != probe.No || c.Problem == "":
		case !c.Warning:
			return c.Problem
		case warning == "":
			warning = c.Problem
		}
	}
	if warning != "" {
		return warning
	}
	return v.Reason
}
