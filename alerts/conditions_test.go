package alerts

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// TestConditionsOneSnapshot evaluates single snapshots and checks exactly
// which alerts they raise (pending, or firing for a zero hold).
func TestConditionsOneSnapshot(t *testing.T) {
	A, P := probe.StateActive, probe.StatePassive
	tests := []struct {
		name string
		snap *snapshot.Pair
		want []string
	}{
		{"healthy pair", healthy(), nil},
		{"standalone firewalls raise nothing", mkPair(
			okPeer("a", A, standalonePeer, dataPlaneDown), okPeer("b", A, standalonePeer, dataPlaneDown)), nil},
		{"standalone with a peer down raises nothing", mkPair(
			okPeer("a", A, standalonePeer), downPeer("b")), nil},
		{"neither peer answers: blind, said once for the pair, never links down", mkPair(downPeer("a"), downPeer("b")), []string{
			"HAMonitoringBlind{severity=critical}:pending",
		}},
		{"one peer down, the other has lost its data plane", mkPair(
			okPeer("a", A, dataPlaneDown), downPeer("b")), []string{
			"HAPairLinksDown{severity=critical}:pending",
			"HAPeerUnreachable{peer=b,severity=warning}:pending",
		}},
		{"one peer down takes the HA links with it: the cause alone, not the links", mkPair(
			okPeer("a", A, haLinksDown), downPeer("b")), []string{
			"HAPeerUnreachable{peer=b,severity=warning}:pending",
		}},
		{"data plane down on both peers", mkPair(
			okPeer("a", A, dataPlaneDown), okPeer("b", P, dataPlaneDown)), []string{
			"HAPairLinksDown{severity=critical}:pending",
		}},
		{"data plane down on one peer only", mkPair(okPeer("a", A, dataPlaneDown), okPeer("b", P)), nil},
		{"every HA link down on both peers", mkPair(
			okPeer("a", A, haLinksDown), okPeer("b", P, haLinksDown)), []string{
			"HALinkDown{link=ha1,peer=a,severity=warning}:pending",
			"HALinkDown{link=ha1,peer=b,severity=warning}:pending",
			"HALinkDown{link=ha2,peer=a,severity=warning}:pending",
			"HALinkDown{link=ha2,peer=b,severity=warning}:pending",
			"HAPairLinksDown{severity=critical}:pending",
		}},
		{"one HA link down", mkPair(okPeer("a", A), okPeer("b", P, withHA(func(h *probe.HAInfo) {
			h.Links[1].Up, h.Links[1].Status = false, "down"
		}))), []string{"HALinkDown{link=ha2,peer=b,severity=warning}:pending"}},
		{"no active peer", mkPair(
			okPeer("a", P, withHA(func(h *probe.HAInfo) { h.PeerState = P })),
			okPeer("b", P, withHA(func(h *probe.HAInfo) { h.PeerState = P }))), []string{
			"HAPairNoActivePeer{severity=critical}:pending",
		}},
		{"unreachable peer seen active by its HA peer", mkPair(downPeer("a"), okPeer("b", P)), []string{
			"HAPeerUnreachable{peer=a,severity=warning}:pending",
		}},
		{"unreachable peer, HA peer disconnected: unknown is not active", mkPair(downPeer("a"),
			okPeer("b", P, withHA(func(h *probe.HAInfo) { h.PeerConnected, h.PeerState = false, probe.StateUnknown }))), []string{
			"HAPairNoActivePeer{severity=critical}:pending",
			"HAPeerUnreachable{peer=a,severity=warning}:pending",
		}},
		{"split brain", mkPair(okPeer("a", A), okPeer("b", A)), []string{
			"HAPairSplitBrain{severity=critical}:pending",
		}},
		{"active/active is not split brain", mkPair(
			okPeer("a", A, withHA(func(h *probe.HAInfo) { h.Mode = "active-active" })),
			okPeer("b", A, withHA(func(h *probe.HAInfo) { h.Mode = "active-active" }))), nil},
		{"non-functional peer", mkPair(okPeer("a", A), okPeer("b", probe.StateNonFunctional)), []string{
			"HAPeerNonFunctional{peer=b,severity=warning}:pending",
		}},
		{"suspended by an operator", mkPair(okPeer("a", A), okPeer("b", probe.StateSuspended,
			withHA(func(h *probe.HAInfo) { h.LastErrorReason = "User requested" }))), []string{
			"HAPeerSuspended{peer=b,severity=info}:pending",
		}},
		{"suspended by an operator, as its HA peer reports it", mkPair(
			okPeer("a", A, withHA(func(h *probe.HAInfo) { h.PeerLastErrorReason = "User requested" })),
			okPeer("b", probe.StateSuspended)), []string{
			"HAPeerSuspended{peer=b,severity=info}:pending",
		}},
		{"suspended automatically", mkPair(okPeer("a", A), okPeer("b", probe.StateSuspended,
			withHA(func(h *probe.HAInfo) { h.LastErrorReason = "Preemption flap" }))), []string{
			"HAPeerSuspended{peer=b,severity=warning}:pending",
		}},
		{"unknown state of a peer that answers is not active", mkPair(
			okPeer("a", "garbage", withHA(func(h *probe.HAInfo) { h.PeerState = P })),
			okPeer("b", P, withHA(func(h *probe.HAInfo) { h.PeerState = probe.StateUnknown }))), []string{
			"HAPairNoActivePeer{severity=critical}:pending",
		}},
		{"config not synchronized", mkPair(okPeer("a", A), okPeer("b", P, withHA(func(h *probe.HAInfo) {
			h.ConfigSynchronized = false
		}))), []string{"HAConfigNotSynchronized{severity=warning}:pending"}},
		{"config sync disabled", mkPair(okPeer("a", A), okPeer("b", P, withHA(func(h *probe.HAInfo) {
			h.RunningSyncEnabled, h.ConfigSynchronized = false, false
		}))), nil},
		{"version mismatch", mkPair(okPeer("a", A, withHA(func(h *probe.HAInfo) {
			h.Compat["app"], h.Compat["build"] = "Mismatch", "mismatch"
		})), okPeer("b", P)), []string{"HAVersionMismatch{severity=warning}:pending"}},
		{"stuck initial", mkPair(okPeer("a", A), okPeer("b", probe.StateInitial, withHA(func(h *probe.HAInfo) {
			h.LocalStateDuration = 5 * time.Minute
		}))), []string{"HAPeerStuckTransitional{peer=b,severity=warning}:firing"}},
		{"briefly tentative", mkPair(okPeer("a", A), okPeer("b", probe.StateTentative, withHA(func(h *probe.HAInfo) {
			h.LocalStateDuration = 30 * time.Second
		}))), nil},
		{"session sync incomplete on the passive", mkPair(okPeer("a", A), okPeer("b", P, withHA(func(h *probe.HAInfo) {
			h.StateSync = "Incomplete"
		}))), []string{"HASessionSyncIncomplete{peer=b,severity=warning}:pending"}},
		{"session sync is only judged on the passive", mkPair(okPeer("a", A, withHA(func(h *probe.HAInfo) {
			h.StateSync = "Incomplete"
		})), okPeer("b", P, withHA(func(h *probe.HAInfo) { h.StateSync = "" }))), nil},
		{"link and path monitor groups", mkPair(okPeer("a", A, withHA(func(h *probe.HAInfo) {
			h.LinkMonitoring = probe.Monitoring{Enabled: true, Groups: []probe.MonitorGroup{
				{Name: "uplinks", Enabled: true, FailureCondition: "any", Failed: true,
					Members: []probe.MonitorMember{{Name: "ethernet1/1"}}},
				{Name: "off", Enabled: false, Failed: true},
			}}
			h.PathMonitoring = probe.Monitoring{Enabled: true, Groups: []probe.MonitorGroup{
				{Name: "gw", Enabled: true, Failed: true},
			}}
		})), okPeer("b", P, withHA(func(h *probe.HAInfo) {
			h.LinkMonitoring = probe.Monitoring{Enabled: false, Groups: []probe.MonitorGroup{{Name: "x", Enabled: true, Failed: true}}}
		}))), []string{
			"HALinkMonitorFailed{group=uplinks,peer=a,severity=warning}:pending",
			"HAPathMonitorFailed{group=gw,peer=a,severity=warning}:pending",
		}},
		{"max-flaps reached", mkPair(okPeer("a", A), okPeer("b", P, withHA(func(h *probe.HAInfo) {
			h.NonfuncFlapCount, h.MaxFlaps = 3, 3
		}))), []string{"HAPairFlapping{severity=warning}:firing"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := evalOnce(tc.snap)
			if !slices.Equal(got, tc.want) {
				t.Errorf("alerts:\n got  %q\n want %q", got, tc.want)
			}
		})
	}
}

// TestVersionMismatchDescription checks that the description lists every
// mismatched compatibility item.
func TestVersionMismatchDescription(t *testing.T) {
	e := NewEngine(EngineOptions{})
	e.Eval(t0, mkPair(okPeer("a", probe.StateActive, withHA(func(h *probe.HAInfo) {
		h.Compat["threat"], h.Compat["gpclient"], h.Compat["plugin:vm_series"] = "Mismatch", "Mismatch", "Mismatch"
	})), okPeer("b", probe.StatePassive)))
	as := e.Alerts()
	if len(as) != 1 {
		t.Fatalf("alerts = %v", alertIDs(as))
	}
	want := "gpclient, plugin:vm_series, threat"
	if d := as[0].Annotations[AnnotationDescription]; !strings.Contains(d, want) {
		t.Errorf("description %q does not list %q", d, want)
	}
}

// TestConditionContract checks the static contract of every condition:
// unique names, a runbook anchor, known severities and item labels.
func TestConditionContract(t *testing.T) {
	known := map[Severity]bool{SeverityCritical: true, SeverityWarning: true, SeverityInfo: true}
	seen := map[string]bool{}
	for _, c := range DefaultConditions() {
		if seen[c.Name] {
			t.Errorf("%s defined twice", c.Name)
		}
		seen[c.Name] = true
		for _, s := range c.AllSeverities() {
			if !known[s] {
				t.Errorf("%s: severity %q", c.Name, s)
			}
		}
		for _, l := range c.Labels {
			if l == LabelAlertName || l == LabelPair || l == LabelSeverity || l == "state" {
				t.Errorf("%s: reserved item label %q", c.Name, l)
			}
		}
		if got := c.RunbookURL(DefaultRunbookBaseURL); got != DefaultRunbookBaseURL+"#"+strings.ToLower(c.Name) {
			t.Errorf("%s: runbook %s", c.Name, got)
		}
		if (c.Eval == nil) != c.Self || c.Summary == "" || c.Description == "" {
			t.Errorf("%s: incomplete", c.Name)
		}
	}
}

// TestAlertLabelsMatchContract runs the scenarios of this file and checks
// that every alert carries exactly alertname, pair, severity and its
// condition's item labels.
func TestAlertLabelsMatchContract(t *testing.T) {
	conds := map[string]Condition{}
	for _, c := range DefaultConditions() {
		conds[c.Name] = c
	}
	e := NewEngine(EngineOptions{})
	for i, snap := range []*snapshot.Pair{
		mkPair(downPeer("a"), downPeer("b")),
		mkPair(okPeer("a", probe.StateActive, dataPlaneDown, haLinksDown), downPeer("b")),
		awsPair(awsBroken(false)),
	} {
		snap.Name = string(rune('a' + i))
		e.Eval(t0, snap)
	}
	for _, a := range e.Alerts() {
		c := conds[a.Name()]
		want := append([]string{LabelAlertName, LabelPair, LabelSeverity}, c.Labels...)
		slices.Sort(want)
		if got := slices.Sorted(maps.Keys(a.Labels)); !slices.Equal(got, want) {
			t.Errorf("%s labels %v, want %v", a.Name(), got, want)
		}
		if a.Annotations[AnnotationRunbookURL] != c.RunbookURL(DefaultRunbookBaseURL) {
			t.Errorf("%s runbook %q", a.Name(), a.Annotations[AnnotationRunbookURL])
		}
		if strings.Contains(a.Annotations[AnnotationSummary], "<") {
			t.Errorf("%s summary %q", a.Name(), a.Annotations[AnnotationSummary])
		}
		// Values left empty must not leave holes in the text.
		if d := a.Annotations[AnnotationDescription]; strings.ContainsAny(d, "<{") ||
			strings.Contains(d, ": .") || strings.Contains(d, "  ") || strings.Contains(d, "is :") {
			t.Errorf("%s description %q", a.Name(), d)
		}
	}
}

// TestScaleHolds: scaled holds are shorter and the defaults untouched.
func TestScaleHolds(t *testing.T) {
	def := DefaultConditions()
	scaled := ScaleHolds(def, 0.1)
	for i := range def {
		if scaled[i].For != def[i].For/10 || scaled[i].KeepFiringFor != def[i].KeepFiringFor/10 {
			t.Errorf("%s: for %s keep %s, want a tenth of %s and %s",
				def[i].Name, scaled[i].For, scaled[i].KeepFiringFor, def[i].For, def[i].KeepFiringFor)
		}
	}
	if again := DefaultConditions(); again[0].For != def[0].For {
		t.Error("scaling changed the defaults")
	}
}
