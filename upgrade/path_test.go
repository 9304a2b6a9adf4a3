package upgrade

import (
	"fmt"
	"strings"
	"testing"
)

// planCase is one running version, one target and what the rules say.
type planCase struct {
	running, target string
	verdict         Verdict
	downgrade       bool
	path            string // Plan.Path(); "" when not asserted
	stepwise        string // Plan.StepwisePath(); "" when not asserted
	reason          string // substring of Plan.Reason
}

func TestPlanUpgrade(t *testing.T) {
	runPlanCases(t, []planCase{
		// Every next feature release along the train, real version strings.
		{running: "7.0.1", target: "7.1.0", verdict: Supported, path: "7.0.1 → 7.1.0"},
		{running: "7.0.1", target: "7.1.9", verdict: Supported, path: "7.0.1 → 7.1.0 base (download only) → 7.1.9"},
		{running: "7.1.9", target: "8.0.0", verdict: Supported, path: "7.1.9 → 8.0.0"},
		{running: "8.0.3", target: "8.1.23-h1", verdict: Supported, path: "8.0.3 → 8.1.0 base (download only) → 8.1.23-h1"},
		{running: "8.1.23-h1", target: "9.0.16-h3", verdict: Supported, path: "8.1.23-h1 → 9.0.0 base (download only) → 9.0.16-h3"},
		{running: "9.0.16-h3", target: "9.1.13-h1", verdict: Supported, path: "9.0.16-h3 → 9.1.0 base (download only) → 9.1.13-h1"},
		{running: "9.1.13-h1", target: "10.0.11-h3", verdict: Supported, path: "9.1.13-h1 → 10.0.0 base (download only) → 10.0.11-h3"},
		{running: "10.0.11-h3", target: "10.1.6-h6", verdict: Supported, path: "10.0.11-h3 → 10.1.0 base (download only) → 10.1.6-h6"},
		{running: "10.1.6-h6", target: "10.2.4-h2", verdict: Supported, path: "10.1.6-h6 → 10.2.0 base (download only) → 10.2.4-h2"},
		{running: "10.2.4-h2", target: "11.0.2-h3", verdict: Supported, path: "10.2.4-h2 → 11.0.0 base (download only) → 11.0.2-h3"},
		{running: "11.0.2-h3", target: "11.1.2-h3", verdict: Supported, path: "11.0.2-h3 → 11.1.0 base (download only) → 11.1.2-h3"},
		{running: "11.1.2-h3", target: "11.2.4", verdict: Supported, path: "11.1.2-h3 → 11.2.0 base (download only) → 11.2.4"},
		{running: "11.2.4", target: "12.1.4", verdict: Supported, path: "11.2.4 → 12.1.2 base (download only) → 12.1.4"},
		{running: "6.1.9", target: "7.0.4", verdict: Supported, path: "6.1.9 → 7.0.1 base (download only) → 7.0.4"},
		{running: "9.0.3.xfr", target: "9.1.2", verdict: Supported, path: "9.0.3.xfr → 9.1.0 base (download only) → 9.1.2"},
		// Within a feature release, hotfixes included.
		{running: "10.1.9", target: "10.1.11-h1", verdict: Supported, path: "10.1.9 → 10.1.11-h1", reason: "maintenance release"},
		{running: "10.2.4", target: "10.2.4-h2", verdict: Supported, path: "10.2.4 → 10.2.4-h2"},
		{running: "10.1.9", target: "10.1.9", verdict: Supported, path: "10.1.9", reason: "already runs"},
		// A skipped feature release is refused before 10.1: the incident's 7.0 → 8.0.
		{
			running: "7.0.1", target: "8.0.3", verdict: Refused,
			path:   "7.0.1 → 7.1.0 base (download only) → 7.1.x → 8.0.0 base (download only) → 8.0.3",
			reason: "8.0.3 skips feature release 7.1",
		},
		{running: "9.1.13-h1", target: "10.1.6-h6", verdict: Refused, reason: "skips feature release 10.0"},
		{running: "10.0.11-h3", target: "10.2.4-h2", verdict: Refused, reason: "no release before 10.1 may skip"},
		// From 10.1 on, a skip rule allows a jump.
		{
			running: "10.1.6-h6", target: "11.0.2-h3", verdict: Supported,
			path:     "10.1.6-h6 → 10.2.0 base (download only) → 11.0.0 base (download only) → 11.0.2-h3",
			stepwise: "10.1.6-h6 → 10.2.0 base (download only) → 10.2.x → 11.0.0 base (download only) → 11.0.2-h3",
			reason:   "skips feature release 10.2, within the 2",
		},
		{running: "10.1.9", target: "11.1.2-h3", verdict: Supported, reason: "skips feature release 10.2, 11.0"},
		{running: "10.1.9", target: "11.2.4", verdict: Refused, reason: "more than the 2 a firewall running 10.1 may skip"},
		{running: "10.2.4-h2", target: "12.1.4", verdict: Refused, reason: "more than the 2"},
		{running: "11.0.2-h3", target: "12.1.4", verdict: Supported, reason: "within the 3 a firewall running 11.0"},
		// Downgrades are flagged.
		{running: "10.2.4-h2", target: "10.2.4", verdict: Refused, downgrade: true, reason: "a downgrade"},
		{running: "10.2.4", target: "10.1.6-h6", verdict: Refused, downgrade: true},
		{running: "11.1.2-h3", target: "9.1.13-h1", verdict: Refused, downgrade: true},
		// Versions that do not exist, or that hawatch has no rules for.
		{running: "10.2.4", target: "10.3.0", verdict: Refused, reason: "no PAN-OS feature release 10.3"},
		{running: "11.2.4", target: "12.0.1", verdict: Refused, reason: "no PAN-OS feature release 12.0"},
		{running: "6.1.9", target: "7.0.0", verdict: Refused, reason: "the first release of 7.0 is 7.0.1"},
		{running: "11.2.4", target: "12.1.0", verdict: Refused, reason: "the first release of 12.1 is 12.1.2"},
		{running: "12.1.4", target: "13.1.0", verdict: Unknown, reason: "outside the releases hawatch knows"},
		{running: "5.0.1", target: "6.0.0", verdict: Unknown, reason: "running version 5.0.1"},
	})
}

// TestEveryNextStep walks the whole train: the next feature release is
// accepted from any maintenance release, the one after it is refused
// unless a skip rule covers the running release.
func TestEveryNextStep(t *testing.T) {
	var cases []planCase
	rs := Releases()
	for i := 0; i+1 < len(rs); i++ {
		from := fmt.Sprintf("%s.7-h1", rs[i].Feature)
		cases = append(cases, planCase{running: from, target: fmt.Sprintf("%s.5", rs[i+1].Feature), verdict: Supported})
		if i+2 < len(rs) {
			want := Refused
			if rs[i].Feature.Compare(Feature{10, 1}) >= 0 {
				want = Supported
			}
			cases = append(cases, planCase{running: from, target: fmt.Sprintf("%s.5", rs[i+2].Feature), verdict: want})
		}
	}
	runPlanCases(t, cases)
}

func runPlanCases(t *testing.T, cases []planCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.running+"→"+tc.target, func(t *testing.T) {
			running, err := Parse(tc.running)
			if err != nil {
				t.Fatal(err)
			}
			target, err := Parse(tc.target)
			if err != nil {
				t.Fatal(err)
			}
			p := PlanUpgrade(running, target)
			if p.Verdict != tc.verdict || p.Downgrade != tc.downgrade {
				t.Errorf("verdict %d, downgrade %v; want %d, %v (%s)", p.Verdict, p.Downgrade, tc.verdict, tc.downgrade, p.Reason)
			}
			if tc.path != "" && p.Path() != tc.path {
				t.Errorf("path %q\nwant %q", p.Path(), tc.path)
			}
			if tc.stepwise != "" && p.StepwisePath() != tc.stepwise {
				t.Errorf("stepwise path %q\nwant %q", p.StepwisePath(), tc.stepwise)
			}
			if !strings.Contains(p.Reason, tc.reason) {
				t.Errorf("reason %q lacks %q", p.Reason, tc.reason)
			}
		})
	}
}

func TestPairGap(t *testing.T) {
	for _, tc := range []struct {
		a, b, target string
		known, syncs bool
		apart        int
		reason       string
	}{
		{"10.1.9", "10.1.9", "10.1.11-h1", true, true, 0, "stay in feature release 10.1"},
		{"10.1.9", "10.1.9", "10.2.4", true, true, 1, "HA keeps syncing"},
		{"10.1.9", "10.2.4", "10.2.4", true, true, 1, "10.1.9 beside 10.2.4"},
		{"10.1.9", "10.1.9", "11.0.2-h3", true, false, 2, "one peer would run 10.1.9 beside 11.0.2-h3 on the other, 2 feature releases apart"},
		{"10.1.9", "10.2.4", "11.0.2", true, false, 2, "10.1.9 beside 11.0.2"},
		{"7.0.1", "7.1.9", "8.0.3", true, false, 2, "7.0.1 beside 8.0.3"},
		{"10.1.9", "10.1.9", "11.1.2-h3", true, false, 3, "3 feature releases apart"},
		{"12.1.4", "12.1.4", "13.1.0", false, false, 0, "cannot tell"},
	} {
		a, b, target := mustParse(t, tc.a), mustParse(t, tc.b), mustParse(t, tc.target)
		g := PairGap(a, b, target)
		if g.Known != tc.known || g.Syncs != tc.syncs || g.Apart != tc.apart {
			t.Errorf("PairGap(%s, %s, %s) = known %v syncs %v apart %d; want %v %v %d (%s)",
				tc.a, tc.b, tc.target, g.Known, g.Syncs, g.Apart, tc.known, tc.syncs, tc.apart, g.Reason)
		}
		if !strings.Contains(g.Reason, tc.reason) {
			t.Errorf("PairGap(%s, %s, %s) reason %q lacks %q", tc.a, tc.b, tc.target, g.Reason, tc.reason)
		}
	}
}

func mustParse(t *testing.T, s string) Version {
	t.Helper()
	v, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
