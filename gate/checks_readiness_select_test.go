package gate

import (
	"slices"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

func TestValidateSelection(t *testing.T) {
	if err := ValidateSelection([]string{CheckNTPSync, CheckHAStates}, []string{CheckUpgradePath}); err != nil {
		t.Errorf("valid names refused: %v", err)
	}
	err := ValidateSelection([]string{"ntp"}, []string{"bogus"})
	if err == nil || !strings.Contains(err.Error(), "ntp, bogus") || !strings.Contains(err.Error(), CheckJobsIdle) {
		t.Errorf("err = %v, want both bad names and the valid list", err)
	}
	if err := (Options{Readiness: ReadinessOptions{ARP: []string{"10.0.0.300"}}}).Validate(); err == nil {
		t.Error("a bad --arp address was accepted")
	}
	if err := (Options{Readiness: ReadinessOptions{MinContentVersion: "latest"}}).Validate(); err == nil {
		t.Error("a bad --min-content-version was accepted")
	}
}

// TestReadinessCommands: only the commands of the selected checks are
// fetched, and none when no readiness check is selected.
func TestReadinessCommands(t *testing.T) {
	all := ReadinessCommands(Options{})
	for _, c := range []probe.Command{probe.CmdARP, probe.CmdSoftware} {
		if slices.Contains(all, c) {
			t.Errorf("%s fetched without --arp or --target-version", c)
		}
	}
	if !slices.Contains(all, probe.CmdLicenses) || !slices.Contains(all, probe.CmdCert) {
		t.Errorf("default commands %v lack licenses or cert", all)
	}
	got := ReadinessCommands(Options{Checks: []string{CheckNTPSync, CheckHAStates}})
	if !slices.Equal(got, []probe.Command{probe.CmdNTP}) {
		t.Errorf("--checks ntp-sync,ha-states fetches %v, want [ntp]", got)
	}
	if got := ReadinessCommands(Options{Checks: []string{CheckHAStates}}); len(got) != 0 {
		t.Errorf("no readiness check selected, yet fetches %v", got)
	}
	got = ReadinessCommands(Options{Skip: ReadinessChecks})
	if len(got) != 0 {
		t.Errorf("every readiness check skipped, yet fetches %v", got)
	}
}

// TestSelectionFiltersReport: --checks and --skip apply to every check,
// and a pair without on-demand replies gets no readiness check.
func TestSelectionFiltersReport(t *testing.T) {
	p := healthyPair()
	r := evaluateOne(p, Options{Skip: []string{CheckTraffic, CheckHAStates}})
	for _, c := range r.Checks {
		if c.Name == CheckTraffic || c.Name == CheckHAStates || slices.Contains(ReadinessChecks, c.Name) {
			t.Errorf("check %s reported", c.Name)
		}
	}
	r = evaluateOne(p, Options{Checks: []string{CheckHAStates}})
	if len(r.Checks) != 1 || r.Checks[0].Name != CheckHAStates {
		t.Errorf("--checks ha-states reports %+v", r.Checks)
	}
}

func evaluateOne(p *snapshot.Pair, o Options) PairReport { return evaluatePair(p, o) }
