package gate

import (
	"errors"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/snapshot"
	"github.com/hawatch/hawatch/upgrade"
)

// target is the Options of a gate run with --target-version v.
func target(t *testing.T, v string) Options {
	t.Helper()
	tv, err := ParseTargetVersion(v)
	if err != nil {
		t.Fatal(err)
	}
	return Options{TargetVersion: tv}
}

func TestUpgradePath(t *testing.T) {
	// The healthy pair runs 10.2.3 on both peers.
	runCheckCases(t, []checkCase{{
		name: "next feature release", opts: target(t, "11.0.2-h3"),
		check: CheckUpgradePath, status: StatusPass,
		evidence: []string{"both peers: 10.2.3 → 11.0.0 base (download only) → 11.0.2-h3",
			"at most 1 feature release apart"},
		exit: exitIs(0),
	}, {
		name: "hotfix of the running release", opts: target(t, "10.2.3-h4"),
		check: CheckUpgradePath, status: StatusPass,
		evidence: []string{"both peers: 10.2.3 → 10.2.3-h4", "both peers stay in feature release 10.2"},
	}, {
		name: "halfway: one peer already on the target", opts: target(t, "11.0.2-h3"),
		mutate: func(p *snapshot.Pair) { setBuild(p.Peers[1], "11.0.2-h3") },
		check:  CheckUpgradePath, status: StatusPass,
		evidence: []string{"fw-a: 10.2.3 → 11.0.0 base (download only) → 11.0.2-h3", "fw-b: 11.0.2-h3 (already runs 11.0.2-h3)"},
	}, {
		name: "skip allowed for one box but not for the pair", opts: target(t, "11.1.2-h3"),
		check: CheckUpgradePath, status: StatusFail,
		evidence: []string{"one peer would run 10.2.3 beside 11.1.2-h3 on the other, 2 feature releases apart",
			"10.2.3 → 11.0.0 base (download only) → 11.0.x → 11.1.0 base (download only) → 11.1.2-h3"},
		exit: exitIs(1),
	}, {
		name: "skipped feature release", opts: target(t, "8.0.3"),
		mutate: func(p *snapshot.Pair) { setBuild(p.Peers[0], "7.0.1"); setBuild(p.Peers[1], "7.0.1") },
		check:  CheckUpgradePath, status: StatusFail,
		evidence: []string{"both peers on 7.0.1: 8.0.3 skips feature release 7.1",
			"path: 7.0.1 → 7.1.0 base (download only) → 7.1.x → 8.0.0 base (download only) → 8.0.3"},
		exit: exitIs(1),
	}, {
		name: "downgrade", opts: target(t, "10.1.6-h6"),
		check: CheckUpgradePath, status: StatusFail,
		evidence: []string{"10.1.6-h6 is older than the running 10.2.3: a downgrade"},
	}, {
		name: "peers on different versions, one refused", opts: target(t, "10.2.9"),
		mutate: func(p *snapshot.Pair) { setBuild(p.Peers[1], "10.0.11-h3") },
		check:  CheckUpgradePath, status: StatusFail,
		evidence: []string{"fw-b on 10.0.11-h3: 10.2.9 skips feature release 10.1"},
	}, {
		name: "a peer does not answer", opts: target(t, "11.0.2-h3"),
		mutate: func(p *snapshot.Pair) { p.Peers[1].Up, p.Peers[1].Err = false, errors.New("i/o timeout") },
		check:  CheckUpgradePath, status: StatusUnknown, evidence: []string{"fw-b did not answer"}, exit: exitIs(2),
	}, {
		name: "a peer reports no version", opts: target(t, "11.0.2-h3"),
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.LocalVersions.Build = ""; p.Peers[0].System = nil },
		check:  CheckUpgradePath, status: StatusUnknown, evidence: []string{"fw-a reports no PAN-OS version"}, exit: exitIs(2),
	}, {
		name: "a peer reports a version hawatch cannot read", opts: target(t, "11.0.2-h3"),
		mutate: func(p *snapshot.Pair) { setBuild(p.Peers[0], "10.2") },
		check:  CheckUpgradePath, status: StatusUnknown, evidence: []string{"fw-a runs a version hawatch cannot read"},
	}, {
		name: "target newer than the releases hawatch knows", opts: target(t, "13.1.0"),
		mutate: func(p *snapshot.Pair) { setBuild(p.Peers[0], "12.1.4"); setBuild(p.Peers[1], "12.1.4") },
		check:  CheckUpgradePath, status: StatusUnknown, evidence: []string{"outside the releases hawatch knows"},
	}})
}

func TestUpgradePathOnlyWhenAsked(t *testing.T) {
	r := Evaluate([]*snapshot.Pair{healthyPair()}, Options{})
	for _, c := range r.Pairs[0].Checks {
		if c.Name == CheckUpgradePath {
			t.Fatalf("upgrade-path ran without --target-version: %+v", c)
		}
	}
}

func TestParseTargetVersion(t *testing.T) {
	if v, err := ParseTargetVersion("  "); v != nil || err != nil {
		t.Errorf("ParseTargetVersion(blank) = %v, %v; want nil, nil", v, err)
	}
	v, err := ParseTargetVersion(" 11.0.2-h3 ")
	if err != nil || v == nil || v.Compare(upgrade.Version{Major: 11, Patch: 2, Hotfix: 3}) != 0 {
		t.Errorf("ParseTargetVersion(11.0.2-h3) = %v, %v", v, err)
	}
	if _, err := ParseTargetVersion("11.0"); err == nil || !strings.Contains(err.Error(), "--target-version") {
		t.Errorf("ParseTargetVersion(11.0) error = %v, want one naming the flag", err)
	}
}
