package web

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// AWSSummary sums up the AWS checks of a pair.
type AWSSummary struct {
	// Mode is the AWS HA mode in force; empty when it cannot be told.
	Mode string `json:"mode"`
	// Known is false when the AWS poll failed as a whole; every check is
	// then unknown.
	Known      bool       `json:"known"`
	ActivePeer string     `json:"active_peer,omitempty"`
	InGrace    bool       `json:"in_grace"`
	GraceUntil *time.Time `json:"grace_until,omitempty"`
	Passing    int        `json:"passing"`
	Failing    int        `json:"failing"`
	Unknown    int        `json:"unknown"`
	// Checks counts the checks by kind, in a fixed order.
	Checks []AWSCheckCount `json:"checks"`
	// Failures are the failing checks with their problem texts.
	Failures []AWSFailure `json:"failures"`
}

// AWSCheckCount counts the checks of one kind.
type AWSCheckCount struct {
	Check   string `json:"check"`
	Passing int    `json:"passing"`
	Failing int    `json:"failing"`
	Unknown int    `json:"unknown"`
}

// AWSFailure is one failing AWS check.
type AWSFailure struct {
	Check   string `json:"check"`
	Subject string `json:"subject"`
	Peer    string `json:"peer,omitempty"`
	Problem string `json:"problem"`
}

// Kinds of AWS checks, as the summary names them.
const (
	CheckENIAttached     = "eni-attached"
	CheckSourceDestCheck = "source-dest-check"
	CheckSubnet          = "subnet"
	CheckRoute           = "route"
	CheckFloatingIP      = "floating-ip"
	CheckInstance        = "instance"
)

// awsCheck is one check of the view, flattened.
type awsCheck struct {
	kind, subject, peer, problem string
	result                       probe.Tri
}

// awsChecks flattens the view's checks, kind by kind. A route fails when
// it is a blackhole or not on the active peer; the source/destination
// check is a check on data-plane ENIs only.
func awsChecks(v *snapshot.AWSView) []awsCheck {
	var out []awsCheck
	// An ENI's problem text joins the attachment problem and then the
	// source/destination problem with "; "; each is its own check here.
	for _, c := range v.ENIs {
		problem := ""
		if c.Attached == probe.No {
			problem, _, _ = strings.Cut(c.Problem, "; ")
		}
		out = append(out, awsCheck{CheckENIAttached, c.ENI, c.Peer, problem, c.Attached})
	}
	for _, c := range v.ENIs {
		if c.Role != probe.RoleDataPlane {
			continue
		}
		problem := ""
		if c.SourceDestCheck {
			problem = c.Problem[strings.LastIndex(c.Problem, "; ")+1:]
			if !strings.Contains(problem, "source/destination") {
				problem = fmt.Sprintf("source/destination check is enabled on %s", c.ENI)
			}
			problem = strings.TrimSpace(problem)
		}
		out = append(out, awsCheck{CheckSourceDestCheck, c.ENI, c.Peer, problem, probe.TriOf(!c.SourceDestCheck)})
	}
	for _, c := range v.Interfaces {
		out = append(out, awsCheck{CheckSubnet, c.Interface, c.Peer, c.Problem, c.Match})
	}
	for _, c := range v.Routes {
		r := c.OnActive
		if c.Blackhole {
			r = probe.No
		}
		out = append(out, awsCheck{CheckRoute, c.RouteTable + " " + c.Destination, c.TargetPeer, c.Problem, r})
	}
	for _, c := range v.FloatingIPs {
		out = append(out, awsCheck{CheckFloatingIP, c.IP, c.Peer, c.Problem, c.OnActive})
	}
	for _, c := range v.Instances {
		out = append(out, awsCheck{CheckInstance, c.InstanceID, c.Peer, c.Problem, c.OK})
	}
	return out
}

// awsFailures returns the failing checks; a failure without a problem
// text gets one.
func awsFailures(v *snapshot.AWSView) []AWSFailure {
	out := []AWSFailure{}
	for _, c := range awsChecks(v) {
		if c.result != probe.No {
			continue
		}
		problem := c.problem
		if problem == "" {
			problem = fmt.Sprintf("%s check failed for %s", c.kind, c.subject)
		}
		out = append(out, AWSFailure{Check: c.kind, Subject: c.subject, Peer: c.peer, Problem: problem})
	}
	return out
}

// awsSummary sums up a view; nil when AWS is off for the pair.
func awsSummary(v *snapshot.AWSView) *AWSSummary {
	if v == nil {
		return nil
	}
	s := &AWSSummary{Mode: v.Mode, Known: v.Known, ActivePeer: v.ActivePeer, InGrace: v.InGrace,
		Checks: []AWSCheckCount{}, Failures: []AWSFailure{}}
	if !v.GraceUntil.IsZero() {
		g := v.GraceUntil
		s.GraceUntil = &g
	}
	if !v.Known {
		return s
	}
	counts := map[string]*AWSCheckCount{}
	for _, kind := range []string{CheckENIAttached, CheckSourceDestCheck, CheckSubnet, CheckRoute, CheckFloatingIP, CheckInstance} {
		s.Checks = append(s.Checks, AWSCheckCount{Check: kind})
	}
	for i := range s.Checks {
		counts[s.Checks[i].Check] = &s.Checks[i]
	}
	for _, c := range awsChecks(v) {
		n := counts[c.kind]
		switch c.result {
		case probe.Yes:
			n.Passing++
			s.Passing++
		case probe.No:
			n.Failing++
			s.Failing++
		default:
			n.Unknown++
			s.Unknown++
		}
	}
	s.Failures = awsFailures(v)
	return s
}

// FailoverSummary is the failover prediction of a pair for the page and
// the API: "yes", "no" or "unknown", the checks that fail or cannot be
// told, and what each route would do.
type FailoverSummary struct {
	Ready    string       `json:"ready"`
	Passive  string       `json:"passive,omitempty"`
	Problems []AWSFailure `json:"problems"`
	Routes   []string     `json:"routes"`
}

// failoverSummary summarizes a prediction; nil for none.
func failoverSummary(v *snapshot.FailoverView) *FailoverSummary {
	if v == nil {
		return nil
	}
	s := &FailoverSummary{Ready: v.Ready.String(), Passive: v.Passive, Problems: []AWSFailure{}, Routes: []string{}}
	for _, c := range v.Checks {
		if c.Result != probe.Yes && c.Problem != "" {
			s.Problems = append(s.Problems, AWSFailure{Check: c.Check, Subject: c.Item, Peer: c.Peer, Problem: c.Problem})
		}
	}
	for _, r := range v.Routes {
		s.Routes = append(s.Routes, r.Destination+" in "+r.RouteTable+": "+cmp.Or(r.AtFailover, r.Problem))
	}
	return s
}
