package snapshot

import (
	"slices"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/probe"
)

// bothModes runs the cases in interface-move and in secondary-ip mode.
func bothModes(t *testing.T, cases func(mode string) []failoverCase) {
	t.Run(probe.AWSModeInterfaceMove, func(t *testing.T) {
		runFailoverCases(t, probe.AWSModeInterfaceMove, interfaceMoveWorld, cases(probe.AWSModeInterfaceMove))
	})
	t.Run(probe.AWSModeSecondaryIP, func(t *testing.T) {
		runFailoverCases(t, probe.AWSModeSecondaryIP, secondaryIPWorld, cases(probe.AWSModeSecondaryIP))
	})
}

func TestPredictFailoverIAM(t *testing.T) {
	bothModes(t, func(mode string) []failoverCase {
		// The action only this mode needs, or one both need.
		action := "ec2:AttachNetworkInterface"
		if mode == probe.AWSModeSecondaryIP {
			action = "ec2:AssignPrivateIpAddresses"
		}
		return []failoverCase{
			{name: "profile", check: FailoverCheckInstanceProfile, item: "i-b", peer: "fw-b", want: probe.Yes, ready: probe.Yes},
			{name: "no profile",
				setup: func(w *world, _ map[string]IAMFindings) { w.instance("i-b").IAMProfileARN = "" },
				check: FailoverCheckInstanceProfile, item: "i-b", peer: "fw-b", want: probe.No,
				fragments: []string{"i-b of fw-b has no IAM instance profile"}, ready: probe.No},
			{name: "profile with DescribeInstances failed",
				setup: func(w *world, iam map[string]IAMFindings) {
					w.aws.Errors = map[string]error{probe.OpDescribeInstances: errThrottle}
					delete(iam, "fw-b")
				},
				check: FailoverCheckInstanceProfile, item: "i-b", peer: "fw-b", want: probe.Unknown,
				fragments: []string{"DescribeInstances failed"}, ready: probe.Unknown},
			{name: "no profile as the IAM check found",
				setup: func(w *world, iam map[string]IAMFindings) {
					w.aws.Errors = map[string]error{probe.OpDescribeInstances: errThrottle}
					f := iam["fw-b"]
					f.Profile = probe.No
					iam["fw-b"] = f
				},
				check: FailoverCheckInstanceProfile, item: "i-b", peer: "fw-b", want: probe.No, ready: probe.No},

			{name: "action allowed", check: FailoverCheckIAMAction, item: action, peer: "fw-b", want: probe.Yes, ready: probe.Yes},
			{name: "action denied",
				setup: func(_ *world, iam map[string]IAMFindings) { iam["fw-b"].Actions[action] = probe.No },
				check: FailoverCheckIAMAction, item: action, peer: "fw-b", want: probe.No,
				fragments: []string{"denied " + action, testProfile}, ready: probe.No},
			{name: "action not asked",
				setup: func(_ *world, iam map[string]IAMFindings) { delete(iam["fw-a"].Actions, action) },
				check: FailoverCheckIAMAction, item: action, peer: "fw-a", want: probe.Unknown, ready: probe.Unknown},
			{name: "IAM not checked",
				setup: func(_ *world, iam map[string]IAMFindings) {
					iam["fw-b"] = IAMFindings{Reason: "iam:SimulatePrincipalPolicy was denied"}
				},
				check: FailoverCheckIAMAction, item: action, peer: "fw-b", want: probe.Unknown,
				fragments: []string{"iam:SimulatePrincipalPolicy was denied"}, ready: probe.Unknown},
		}
	})
}

func TestPredictFailoverPANOS(t *testing.T) {
	bothModes(t, func(string) []failoverCase {
		return []failoverCase{
			{name: "ports match", check: FailoverCheckInterfacesMatch, item: "ethernet1/3", peer: "fw-b",
				want: probe.Yes, ready: probe.Yes},
			{name: "zone differs",
				setup: func(w *world, _ map[string]IAMFindings) {
					w.setLogical("fw-b", "ethernet1/3", func(l *probe.LogicalInterface) { l.Zone = "dmz" })
				},
				check: FailoverCheckInterfacesMatch, item: "ethernet1/3", peer: "fw-b", want: probe.No,
				fragments: []string{"zone trust, vr:default on active peer fw-a", "zone dmz, vr:default on passive fw-b"},
				ready:     probe.No},
			{name: "virtual router differs",
				setup: func(w *world, _ map[string]IAMFindings) {
					w.setLogical("fw-b", "ethernet1/2", func(l *probe.LogicalInterface) { l.Forwarding = "vr:other" })
				},
				check: FailoverCheckInterfacesMatch, item: "ethernet1/2", peer: "fw-b", want: probe.No,
				fragments: []string{"vr:other"}, ready: probe.No},
			{name: "port missing on passive",
				setup: func(w *world, _ map[string]IAMFindings) { w.dropInterface("fw-b", "ethernet1/3") },
				check: FailoverCheckInterfacesMatch, item: "ethernet1/3", peer: "fw-b", want: probe.No,
				fragments: []string{"not on passive fw-b"}, ready: probe.No},
			{name: "passive unreachable",
				setup: func(w *world, _ map[string]IAMFindings) { w.peer("fw-b").Up = false },
				check: FailoverCheckInterfacesMatch, item: "data-plane ports", peer: "fw-b", want: probe.Unknown,
				fragments: []string{"fw-b gave no interface reply"}, ready: probe.Unknown},

			{name: "no data-plane ports",
				setup: func(w *world, _ map[string]IAMFindings) {
					for _, p := range w.peers {
						p.Interfaces = &probe.Interfaces{}
					}
				},
				check: FailoverCheckInterfacesMatch, item: "data-plane ports", peer: "fw-b", want: probe.Unknown,
				fragments: []string{"neither peer reports a data-plane port"}, ready: probe.No},

			{name: "config synchronized", check: FailoverCheckConfigSync, item: "running config", peer: "fw-b",
				want: probe.Yes, ready: probe.Yes},
			{name: "config not synchronized",
				setup: func(w *world, _ map[string]IAMFindings) {
					for _, p := range w.peers {
						p.HA.RunningSync, p.HA.ConfigSynchronized = "not synchronized", false
					}
				},
				check: FailoverCheckConfigSync, item: "running config", peer: "fw-b", want: probe.No,
				fragments: []string{`"not synchronized"`}, ready: probe.No},
			{name: "config sync disabled",
				setup: func(w *world, _ map[string]IAMFindings) {
					for _, p := range w.peers {
						p.HA.RunningSyncEnabled = false
					}
				},
				check: FailoverCheckConfigSync, item: "running config", peer: "fw-b", want: probe.No,
				fragments: []string{"synchronization is disabled"}, ready: probe.No},
			{name: "config sync in progress",
				setup: func(w *world, _ map[string]IAMFindings) {
					for _, p := range w.peers {
						p.HA.RunningSync, p.HA.ConfigSynchronized = "synchronization in progress", false
					}
				},
				check: FailoverCheckConfigSync, item: "running config", peer: "fw-b", want: probe.Unknown, ready: probe.Unknown},
		}
	})
}

// TestPredictFailoverNeverPassesBlind covers the states in which a
// failover cannot be predicted: the checks that need what is missing are
// Unknown and the pair is never Ready.
func TestPredictFailoverNeverPassesBlind(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(w *world)
		reason string
	}{
		{"both active", func(w *world) { w.peer("fw-b").HA.LocalState = probe.StateActive }, "no single active peer"},
		{"no active", func(w *world) {
			for _, p := range w.peers {
				p.HA.LocalState = probe.StatePassive
			}
		}, "no peer is known to be active"},
		{"AWS not polled", func(w *world) { w.aws = nil }, "AWS side of the pair could not be read"},
		{"AWS poll failed", func(w *world) {
			w.aws = &probe.AWSStatus{Errors: map[string]error{
				probe.OpDescribeInstances: errThrottle, probe.OpDescribeNetworkInterfaces: errThrottle,
				probe.OpDescribeInstanceStatus: errThrottle, probe.OpDescribeSubnets: errThrottle,
				probe.OpDescribeRouteTables: errThrottle, probe.OpDescribeAddresses: errThrottle,
			}}
		}, "AWS side of the pair could not be read"},
		{"mode unknown", func(w *world) { w.in.Mode = probe.AWSModeAuto; w.aws.ENIs = w.aws.ENIs[:2] }, "AWS HA mode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := readyFor(interfaceMoveWorld(), probe.AWSModeInterfaceMove)
			tc.setup(w)
			v := w.predict(allowAll(probe.AWSModeInterfaceMove))
			if v.Ready == probe.Yes || !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("ready %v, reason %q, want it to name %q:\n%s", v.Ready, v.Reason, tc.reason, dumpChecks(v))
			}
			for _, c := range v.Checks {
				if c.Result == probe.Unknown && c.Problem == "" {
					t.Errorf("%s %s unknown without a reason", c.Check, c.Item)
				}
			}
		})
	}
}

func TestRequiredHAActions(t *testing.T) {
	move := []string{"ec2:AttachNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DetachNetworkInterface",
		"ec2:DescribeInstances"}
	secondary := append(slices.Clone(move), "ec2:AssociateAddress", "ec2:AssignPrivateIpAddresses",
		"ec2:DescribeRouteTables", "ec2:ReplaceRoute")
	if got := RequiredHAActions(probe.AWSModeInterfaceMove); !slices.Equal(got, move) {
		t.Errorf("interface-move: %q", got)
	}
	if got := RequiredHAActions(probe.AWSModeSecondaryIP); !slices.Equal(got, secondary) {
		t.Errorf("secondary-ip: %q", got)
	}
	if got := RequiredHAActions(probe.AWSModeAuto); got != nil {
		t.Errorf("auto: %q", got)
	}
	got := RequiredHAActions(probe.AWSModeInterfaceMove)
	got[0] = "changed"
	if RequiredHAActions(probe.AWSModeInterfaceMove)[0] != move[0] {
		t.Error("the caller's slice is shared")
	}
}

// TestJudgedActionsAreAsked: in every mode the IAM check asks about each
// action the prediction judges, so that none is unknown for want of asking.
func TestJudgedActionsAreAsked(t *testing.T) {
	for _, mode := range []string{probe.AWSModeInterfaceMove, probe.AWSModeSecondaryIP, probe.AWSModeAuto, ""} {
		asked := probe.VMSeriesHAActions(mode)
		for _, a := range actionsFor(mode) {
			if !slices.Contains(asked, a.name) {
				t.Errorf("mode %q: %s is judged but not asked (asked %v)", mode, a.name, asked)
			}
		}
	}
}
