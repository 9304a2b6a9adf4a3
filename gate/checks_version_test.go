package gate

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/snapshot"
)

func TestVersionsMatch(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "same build", check: CheckVersionsMatch, status: StatusPass,
		evidence: []string{"both run 10.2.3"},
	}, {
		name: "builds differ",
		mutate: func(p *snapshot.Pair) {
			setBuild(p.Peers[1], "10.2.9")
			p.Peers[1].HA.Compat["build"] = "Mismatch"
		},
		check: CheckVersionsMatch, status: StatusFail,
		evidence: []string{"fw-a runs 10.2.3, fw-b runs 10.2.9"}, exit: exitIs(1),
	}, {
		name: "builds differ as expected halfway",
		mutate: func(p *snapshot.Pair) {
			setBuild(p.Peers[1], "10.2.9")
			p.Peers[1].HA.Compat["build"] = "Mismatch"
			p.Peers[1].HA.Compat["vm_series"] = "Mismatch"
		},
		opts:  Options{ExpectVersion: map[string]string{"fw-b": "10.2.9"}},
		check: CheckVersionsMatch, status: StatusPass,
		evidence: []string{"fw-a runs 10.2.3 and fw-b runs 10.2.9, as expected halfway through an upgrade",
			"fw-b reports vm_series Mismatch, expected while the builds differ"},
		exit: exitIs(0),
	}, {
		name: "expecting both on the new build does not excuse a difference",
		mutate: func(p *snapshot.Pair) {
			setBuild(p.Peers[1], "10.2.9")
		},
		opts:  Options{ExpectVersion: map[string]string{AllPeers: "10.2.9"}},
		check: CheckVersionsMatch, status: StatusFail,
		evidence: []string{"fw-a runs 10.2.3, fw-b runs 10.2.9"},
	}, {
		name: "expected peer not on the expected build",
		mutate: func(p *snapshot.Pair) {
			setBuild(p.Peers[1], "10.2.8")
		},
		opts:  Options{ExpectVersion: map[string]string{"fw-b": "10.2.9"}},
		check: CheckVersionsMatch, status: StatusFail,
		evidence: []string{"fw-b runs 10.2.8"},
	}, {
		name: "content differs even halfway",
		mutate: func(p *snapshot.Pair) {
			setBuild(p.Peers[1], "10.2.9")
			p.Peers[1].HA.LocalVersions.Threat = "8705-8200"
			p.Peers[1].HA.Compat["threat"] = "Mismatch"
		},
		opts:  Options{ExpectVersion: map[string]string{"fw-b": "10.2.9"}},
		check: CheckVersionsMatch, status: StatusFail,
		evidence: []string{"threat content differs: fw-a has 8701-8140, fw-b has 8705-8200"},
	}, {
		name:   "matrix mismatch without values",
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.Compat["gpclient"] = "Mismatch" },
		check:  CheckVersionsMatch, status: StatusFail,
		evidence: []string{"fw-a reports gpclient Mismatch in its HA compatibility matrix"},
	}, {
		name:   "plugin mismatch outside an upgrade",
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.Compat["vm_series"] = "Mismatch" },
		check:  CheckVersionsMatch, status: StatusFail,
		evidence: []string{"fw-a reports vm_series Mismatch"},
	}, {
		name: "version from system info when HA has none",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].HA.LocalVersions.Build = ""
			p.Peers[0].System.SWVersion = "10.2.4"
		},
		check: CheckVersionsMatch, status: StatusFail,
		evidence: []string{"fw-a runs 10.2.4, fw-b runs 10.2.3"},
	}, {
		name: "no version at all",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].HA.LocalVersions.Build = ""
			p.Peers[0].System = nil
		},
		check: CheckVersionsMatch, status: StatusUnknown,
		evidence: []string{"fw-a reports no PAN-OS version"}, exit: exitIs(2),
	}})
}

func TestExpectedActive(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "as expected", opts: Options{ExpectActive: "fw-a"},
		check: CheckExpectedActive, status: StatusPass, evidence: []string{"fw-a is active, as expected"}, exit: exitIs(0),
	}, {
		name: "the other one", opts: Options{ExpectActive: "fw-b"},
		check: CheckExpectedActive, status: StatusFail, evidence: []string{"fw-a active; expected fw-b"}, exit: exitIs(1),
	}, {
		name: "after failover", opts: Options{ExpectActive: "fw-b"}, mutate: failover,
		check: CheckExpectedActive, status: StatusPass, evidence: []string{"fw-b is active"}, exit: exitIs(0),
	}, {
		name: "none active", opts: Options{ExpectActive: "fw-b"},
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.LocalState = "passive" },
		check:  CheckExpectedActive, status: StatusFail, evidence: []string{"no peer is active; expected fw-b"},
	}, {
		name: "unknown label", opts: Options{ExpectActive: "fw-c"},
		check: CheckExpectedActive, status: StatusFail, evidence: []string{`no peer "fw-c" in pair prod (peers: fw-a, fw-b)`},
	}, {
		name: "a peer does not answer", opts: Options{ExpectActive: "fw-a"},
		mutate: func(p *snapshot.Pair) { p.Peers[1].Up, p.Peers[1].Err = false, errors.New("i/o timeout") },
		check:  CheckExpectedActive, status: StatusUnknown, evidence: []string{"fw-b did not answer"}, exit: exitIs(2),
	}})
}

func TestExpectedVersion(t *testing.T) {
	upgradedB := func(p *snapshot.Pair) { setBuild(p.Peers[1], "10.2.9") }
	runCheckCases(t, []checkCase{{
		name: "both peers, before the upgrade", opts: Options{ExpectVersion: map[string]string{AllPeers: "10.2.3"}},
		check: CheckExpectedVersion, status: StatusPass, evidence: []string{"fw-a runs 10.2.3", "fw-b runs 10.2.3"}, exit: exitIs(0),
	}, {
		name: "both peers, one behind", opts: Options{ExpectVersion: map[string]string{AllPeers: "10.2.9"}}, mutate: upgradedB,
		check: CheckExpectedVersion, status: StatusFail, evidence: []string{"fw-a runs 10.2.3, expected 10.2.9"}, exit: exitIs(1),
	}, {
		name: "per peer, halfway", opts: Options{ExpectVersion: map[string]string{"fw-b": "10.2.9"}}, mutate: upgradedB,
		check: CheckExpectedVersion, status: StatusPass, evidence: []string{"fw-b runs 10.2.9"}, exit: exitIs(0),
	}, {
		name: "per peer overrides both", opts: Options{ExpectVersion: map[string]string{AllPeers: "10.2.3", "fw-b": "10.2.9"}},
		mutate: upgradedB,
		check:  CheckExpectedVersion, status: StatusPass, evidence: []string{"fw-a runs 10.2.3", "fw-b runs 10.2.9"}, exit: exitIs(0),
	}, {
		name: "per peer, upgrade did not take", opts: Options{ExpectVersion: map[string]string{"fw-b": "10.2.9"}},
		check: CheckExpectedVersion, status: StatusFail, evidence: []string{"fw-b runs 10.2.3, expected 10.2.9"}, exit: exitIs(1),
	}, {
		name: "hotfix accepted when none is expected", opts: Options{ExpectVersion: map[string]string{"fw-b": "10.2.9"}},
		mutate: func(p *snapshot.Pair) { setBuild(p.Peers[1], "10.2.9-h1") },
		check:  CheckExpectedVersion, status: StatusPass, evidence: []string{"fw-b runs 10.2.9-h1, a hotfix of the expected 10.2.9"},
	}, {
		name: "expected hotfix must be exact", opts: Options{ExpectVersion: map[string]string{"fw-b": "10.2.9-h1"}},
		mutate: func(p *snapshot.Pair) { setBuild(p.Peers[1], "10.2.9-h3") },
		check:  CheckExpectedVersion, status: StatusFail, evidence: []string{"fw-b runs 10.2.9-h3, expected 10.2.9-h1"},
	}, {
		name: "unknown peer", opts: Options{ExpectVersion: map[string]string{"fw-x": "10.2.9"}},
		check: CheckExpectedVersion, status: StatusFail, evidence: []string{`--expect-version names "fw-x", which is no peer of pair prod`},
	}, {
		name: "peer does not answer", opts: Options{ExpectVersion: map[string]string{"fw-b": "10.2.9"}},
		mutate: func(p *snapshot.Pair) { p.Peers[1].Up, p.Peers[1].Err = false, errors.New("connection refused") },
		check:  CheckExpectedVersion, status: StatusUnknown, evidence: []string{"fw-b did not answer"}, exit: exitIs(2),
	}})
}

func TestVersionMatches(t *testing.T) {
	tests := []struct {
		running, want string
		ok, hotfix    bool
	}{
		{"10.2.9", "10.2.9", true, false},
		{"10.2.9-h1", "10.2.9", true, true},
		{"10.2.9-h12", "10.2.9", true, true},
		{"10.2.9-h1", "10.2.9-h1", true, false},
		{"10.2.9-h3", "10.2.9-h1", false, false},
		{"10.2.9", "10.2.9-h1", false, false},
		{"10.2.90", "10.2.9", false, false},
		{"10.2.9-h", "10.2.9", false, false},
		{"10.2.9-hx", "10.2.9", false, false},
		{"10.2.9-c1", "10.2.9", false, false},
		{"", "10.2.9", false, false},
	}
	for _, tc := range tests {
		ok, hotfix := versionMatches(tc.running, tc.want)
		if ok != tc.ok || hotfix != tc.hotfix {
			t.Errorf("versionMatches(%q, %q) = %v, %v; want %v, %v", tc.running, tc.want, ok, hotfix, tc.ok, tc.hotfix)
		}
	}
}

func TestParseExpectVersion(t *testing.T) {
	tests := []struct {
		name    string
		values  []string
		want    map[string]string
		wantErr string
	}{
		{"none", nil, map[string]string{}, ""},
		{"both peers", []string{"10.2.9"}, map[string]string{AllPeers: "10.2.9"}, ""},
		{"per peer", []string{"fw-b=10.2.9"}, map[string]string{"fw-b": "10.2.9"}, ""},
		{"repeated", []string{"fw-a=10.2.3", "fw-b=10.2.9-h1"}, map[string]string{"fw-a": "10.2.3", "fw-b": "10.2.9-h1"}, ""},
		{"both and one", []string{"10.2.9", "fw-a=10.2.3"}, map[string]string{AllPeers: "10.2.9", "fw-a": "10.2.3"}, ""},
		{"same twice", []string{"fw-b=10.2.9", "fw-b=10.2.9"}, map[string]string{"fw-b": "10.2.9"}, ""},
		{"address label", []string{"10.0.0.11:443=10.2.9"}, map[string]string{"10.0.0.11:443": "10.2.9"}, ""},
		{"spaces trimmed", []string{" fw-b = 10.2.9 "}, map[string]string{"fw-b": "10.2.9"}, ""},
		{"conflict", []string{"fw-b=10.2.9", "fw-b=10.2.8"}, nil, "peer fw-b is already expected to run 10.2.9"},
		{"conflict on both", []string{"10.2.9", "10.2.8"}, nil, "both peers are already expected to run 10.2.9"},
		{"empty", []string{""}, nil, "empty version"},
		{"empty version", []string{"fw-b="}, nil, "empty version"},
		{"empty peer", []string{"=10.2.9"}, nil, "empty peer name"},
		{"not a version", []string{"latest"}, nil, `does not start with a digit`},
		{"bad character", []string{"10.2.9;rm"}, nil, `holds ';'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseExpectVersion(tc.values)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "--expect-version ") {
					t.Errorf("err %q does not name the flag", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
