// Package gate answers the question an operator asks between two steps of
// HA maintenance: is this pair ready for the next step? It judges one
// snapshot per pair with a fixed list of named checks (peers reachable, HA
// healthy, versions, expectations, AWS data plane, traffic), each with a
// status and the evidence behind it. Evaluate is a pure function of the
// snapshots and the options; `hawatch check` polls once and prints the
// report.
//
// A check is pass, fail or unknown. A pair is ready when every check passes.
// A pair cannot be judged (CannotTell) when any check is unknown: a peer did
// not answer or refused the credentials, a command failed, or AWS could not
// be read. Failed checks are still reported for such a pair.
//
// The exit code of a report is 0 when every pair is ready, 2 when any pair
// cannot be judged (the answer is incomplete, whatever the other pairs say),
// and 1 otherwise (every pair was judged and at least one is not ready). A
// report with no pair at all exits 2.
package gate

import (
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
	"github.com/hawatch/hawatch/upgrade"
)

// Statuses of a Check.
const (
	StatusPass    = "pass"
	StatusFail    = "fail"
	StatusUnknown = "unknown"
)

// Exit codes of a Report.
const (
	ExitReady      = 0
	ExitNotReady   = 1
	ExitCannotTell = 2
)

// Names of the checks, in the order they are reported. The expectation
// and upgrade-path checks appear only when the matching option is set,
// the AWS checks only for pairs with AWS monitoring on.
const (
	CheckReachable       = "peers-reachable"
	CheckHAEnabled       = "ha-enabled"
	CheckHAStates        = "ha-states"
	CheckHALinks         = "ha-links"
	CheckDataPlaneLinks  = "data-plane-links"
	CheckPeersConnected  = "peers-connected"
	CheckConfigSync      = "config-sync"
	CheckSessionSync     = "session-sync"
	CheckVersionsMatch   = "versions-match"
	CheckExpectedActive  = "expected-active"
	CheckExpectedVersion = "expected-version"
	CheckUpgradePath     = "upgrade-path"
	CheckAWSInstances    = "aws-instances"
	CheckAWSENIs         = "aws-enis"
	CheckAWSSourceDest   = "aws-source-dest-check"
	CheckAWSSubnets      = "aws-interface-subnets"
	CheckAWSRoutes       = "aws-routes"
	CheckAWSFloatingIPs  = "aws-floating-ips"
	CheckFailoverReady   = "failover-ready"
	CheckTraffic         = "traffic"
)

// AllPeers is the ExpectVersion key that applies to both peers.
const AllPeers = "*"

// Options are the operator's expectations for the step being gated.
type Options struct {
	// ExpectActive is the label of the peer that must be active; "" accepts
	// either.
	ExpectActive string
	// ExpectVersion maps a peer label to the PAN-OS version it must run;
	// the key AllPeers applies to every peer without a key of its own.
	ExpectVersion map[string]string
	// TargetVersion is the PAN-OS version the pair is to be upgraded to
	// (--target-version); nil when none is given. The upgrade-path check
	// runs only when it is set.
	TargetVersion *upgrade.Version
	// Readiness tunes the upgrade-readiness checks.
	Readiness ReadinessOptions
	// Ops holds each pair's on-demand replies (by pair name, in peer
	// order); the readiness checks run on the pairs it has.
	Ops map[string][]*probe.Ops
	// Checks, when set, names the only checks to report; Skip names checks
	// not to report (see CheckNames).
	Checks, Skip []string
}

// Check is the outcome of one named check of one pair.
type Check struct {
	Name     string `json:"name"`
	Status   string `json:"status"` // StatusPass, StatusFail or StatusUnknown
	Evidence string `json:"evidence"`
}

// PairReport is the verdict on one pair.
type PairReport struct {
	Pair string `json:"pair"`
	// Ready is true when every check passed.
	Ready bool `json:"ready"`
	// CannotTell is true when at least one check could not be evaluated.
	CannotTell bool `json:"cannot_tell"`
	// Cause is hawatch's one sentence on what is wrong with the pair (see
	// snapshot.Cause); empty when nothing is.
	Cause string `json:"cause,omitempty"`
	// Evidence is the digest of facts under the cause (snapshot.Evidence).
	Evidence []string `json:"evidence,omitempty"`
	Checks   []Check  `json:"checks"`
}

// Verdicts of a pair and of a report, as the outputs name them.
const (
	VerdictReady      = "ready"
	VerdictNotReady   = "not-ready"
	VerdictCannotTell = "cannot-tell"
)

// Verdict is VerdictReady, VerdictNotReady or VerdictCannotTell.
func (p PairReport) Verdict() string {
	switch {
	case p.CannotTell:
		return VerdictCannotTell
	case p.Ready:
		return VerdictReady
	}
	return VerdictNotReady
}

// Count returns how many checks have the given status.
func (p PairReport) Count(status string) int {
	n := 0
	for _, c := range p.Checks {
		if c.Status == status {
			n++
		}
	}
	return n
}

// Report is the verdict on every pair checked.
type Report struct {
	Pairs    []PairReport `json:"pairs"`
	ExitCode int          `json:"exit_code"`
}

// Verdict is the verdict the exit code stands for.
func (r Report) Verdict() string {
	switch r.ExitCode {
	case ExitReady:
		return VerdictReady
	case ExitNotReady:
		return VerdictNotReady
	}
	return VerdictCannotTell
}

// Evaluate judges each pair's snapshot against the options. Nil snapshots
// are skipped.
func Evaluate(snaps []*snapshot.Pair, o Options) Report {
	var r Report
	for _, p := range snaps {
		if p != nil {
			r.Pairs = append(r.Pairs, evaluatePair(p, o))
		}
	}
	r.ExitCode = exitCode(r.Pairs)
	return r
}

// evaluatePair runs every check on one pair.
func evaluatePair(p *snapshot.Pair, o Options) PairReport {
	checks := []Check{
		checkReachable(p),
		checkHAEnabled(p),
		checkHAStates(p),
		checkHALinks(p),
		checkDataPlaneLinks(p),
		checkPeersConnected(p),
		checkConfigSync(p),
		checkSessionSync(p),
		checkVersionsMatch(p, o),
	}
	if o.ExpectActive != "" {
		checks = append(checks, checkExpectedActive(p, o.ExpectActive))
	}
	if len(o.ExpectVersion) > 0 {
		checks = append(checks, checkExpectedVersion(p, o.ExpectVersion))
	}
	if o.TargetVersion != nil {
		checks = append(checks, checkUpgradePath(p, *o.TargetVersion))
	}
	checks = append(checks, awsChecks(p)...)
	if p.AWSOn() {
		checks = append(checks, checkFailoverReady(p))
	}
	checks = append(checks, checkTraffic(p))
	checks = o.filter(append(checks, readinessChecks(p, o)...))

	pr := PairReport{Pair: p.Name, Ready: true, Cause: snapshot.Cause(p), Evidence: snapshot.Evidence(p), Checks: checks}
	for _, c := range checks {
		if c.Status != StatusPass {
			pr.Ready = false
		}
		if c.Status == StatusUnknown {
			pr.CannotTell = true
		}
	}
	return pr
}

// exitCode folds the pair verdicts: any pair that cannot be judged makes the
// whole answer "cannot tell".
func exitCode(pairs []PairReport) int {
	if len(pairs) == 0 {
		return ExitCannotTell
	}
	code := ExitReady
	for _, p := range pairs {
		switch {
		case p.CannotTell:
			return ExitCannotTell
		case !p.Ready:
			code = ExitNotReady
		}
	}
	return code
}
