package gate

import (
	"strings"
	"testing"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

func TestFailoverReady(t *testing.T) {
	mismatch := "ethernet1/2 of fw-b is configured with 10.0.9.11/24, outside subnet 10.0.2.0/24 of eni-a2, which it would receive at failover"
	runCheckCases(t, []checkCase{{
		name: "ready", check: CheckFailoverReady, status: StatusPass,
		evidence: []string{"a failover from fw-a to fw-b would work: 3 check(s) pass (mode interface-move)",
			"route 0.0.0.0/0 in rtb-1: follows eni-a2 (ethernet1/2) to fw-b"},
	}, {
		name: "the latent incident",
		mutate: func(p *snapshot.Pair) {
			p.Failover.Ready = probe.No
			p.Failover.Checks[1] = snapshot.FailoverCheck{Check: snapshot.FailoverCheckInterfaceAddress, Item: "ethernet1/2",
				Peer: "fw-b", Result: probe.No, Problem: mismatch}
		},
		check: CheckFailoverReady, status: StatusFail, evidence: []string{mismatch}, exit: exitIs(ExitNotReady),
	}, {
		name: "a warning does not fail the gate",
		mutate: func(p *snapshot.Pair) {
			p.Failover.Checks = append(p.Failover.Checks, snapshot.FailoverCheck{Check: snapshot.FailoverCheckENIDetachable,
				Item: "eni-a2", Peer: "fw-a", Result: probe.No, Warning: true, Problem: "eni-a2 is deleted with fw-a's instance"})
		},
		check: CheckFailoverReady, status: StatusPass, evidence: []string{"warning: eni-a2 is deleted with fw-a's instance"},
	}, {
		name: "IAM could not be asked",
		mutate: func(p *snapshot.Pair) {
			p.Failover.Ready = probe.Unknown
			p.Failover.Checks = append(p.Failover.Checks, snapshot.FailoverCheck{Check: snapshot.FailoverCheckIAMAction,
				Item: "ec2:AttachNetworkInterface", Peer: "fw-b", Result: probe.Unknown, Problem: "iam:SimulatePrincipalPolicy was denied"})
		},
		check: CheckFailoverReady, status: StatusUnknown, evidence: []string{"iam:SimulatePrincipalPolicy was denied"}, exit: exitIs(ExitCannotTell),
	}, {
		name:   "no prediction yet",
		mutate: func(p *snapshot.Pair) { p.Failover = nil },
		check:  CheckFailoverReady, status: StatusUnknown, evidence: []string{"no failover prediction"},
	}})
}

// TestFailoverReadyWarningDoesNotHideFailure: a warning and a failure of
// the same check on the same peer are told apart; the failure fails.
func TestFailoverReadyWarningDoesNotHideFailure(t *testing.T) {
	p := healthyPair()
	p.Failover.Ready = probe.No
	p.Failover.Checks = append(p.Failover.Checks,
		snapshot.FailoverCheck{Check: snapshot.FailoverCheckENIDetachable, Item: "eni-a2", Peer: "fw-a", Result: probe.No,
			Warning: true, Problem: "eni-a2 is deleted with fw-a's instance"},
		snapshot.FailoverCheck{Check: snapshot.FailoverCheckENIDetachable, Item: "eni-a0", Peer: "fw-a", Result: probe.No,
			Problem: "eni-a0 is fw-a's primary ENI and cannot move"})
	c := findCheck(t, Evaluate([]*snapshot.Pair{p}, Options{}), CheckFailoverReady)
	if c.Status != StatusFail || !strings.Contains(c.Evidence, "eni-a0 is fw-a's primary ENI") {
		t.Errorf("%s: %s", c.Status, c.Evidence)
	}
}
