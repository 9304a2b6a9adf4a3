package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// incidentPair is the healthy pair with one data-plane address outside its
// ENI's subnet.
func incidentPair() *snapshot.Pair {
	p := healthyPair()
	p.AWSView.Interfaces[1] = snapshot.SubnetCheck{Peer: "fw-a", Interface: "ethernet1/2", ENI: "eni-a2",
		IP: "10.0.9.11/24", SubnetCIDR: "10.0.2.0/24", Match: probe.No,
		Problem: "ethernet1/2 of fw-a has 10.0.9.11/24, outside subnet subnet-2 10.0.2.0/24 of eni-a2"}
	return p
}

func TestWriteTable(t *testing.T) {
	r := Evaluate([]*snapshot.Pair{incidentPair()}, Options{ExpectActive: "fw-a"})
	var buf bytes.Buffer
	if err := r.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if lines[0] != "pair prod: NOT READY (17 passed, 1 failed, 0 unknown)" {
		t.Errorf("first line = %q", lines[0])
	}
	// The cause comes before the table: the incident's subnet mismatch.
	if want := "cause: ethernet1/2 of fw-a has 10.0.9.11/24, outside subnet subnet-2 10.0.2.0/24 of eni-a2"; lines[1] != want {
		t.Errorf("second line = %q, want %q", lines[1], want)
	}
	// Under it the evidence, as the status page shows it: first the
	// address and the subnet it is outside of.
	if want := "  - fw-a ethernet1/2 10.0.9.11/24 — ENI eni-a2 subnet 10.0.2.0/24"; len(lines) < 3 || lines[2] != want {
		t.Errorf("third line = %q, want %q", lines[2], want)
	}
	n := 0
	for _, l := range lines[2:] {
		if !strings.HasPrefix(l, "  - ") {
			break
		}
		n++
	}
	if n != len(r.Pairs[0].Evidence) || n == 0 || n > snapshot.MaxEvidence {
		t.Errorf("%d evidence lines, want %d (1 to %d)", n, len(r.Pairs[0].Evidence), snapshot.MaxEvidence)
	}
	lines = append(lines[:1], lines[2+n:]...)
	if got := lines[len(lines)-1]; got != "result: NOT READY (exit 1)" {
		t.Errorf("last line = %q", got)
	}
	for _, re := range []string{
		`(?m)^STATUS +CHECK +EVIDENCE$`,
		`(?m)^PASS +ha-states +fw-a active, fw-b passive$`,
		`(?m)^PASS +expected-active +fw-a is active, as expected$`,
		`(?m)^FAIL +aws-interface-subnets +ethernet1/2 of fw-a has 10\.0\.9\.11/24, outside subnet subnet-2 10\.0\.2\.0/24 of eni-a2$`,
		`(?m)^PASS +aws-routes +0\.0\.0\.0/0 in rtb-1 -> eni-a2 \(fw-a\)$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("table does not match %s:\n%s", re, out)
		}
	}
	// One line per check, the evidence column aligned.
	col := strings.Index(lines[1], "EVIDENCE")
	checks := 0
	for _, l := range lines[2:] {
		if l == "" {
			break
		}
		checks++
		if !regexp.MustCompile(`^(PASS|FAIL|UNKNOWN) `).MatchString(l) {
			t.Errorf("check line %q has no status", l)
		}
		if l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("evidence of %q does not start at column %d", l, col)
		}
	}
	if checks != len(r.Pairs[0].Checks) {
		t.Errorf("%d check lines, want %d", checks, len(r.Pairs[0].Checks))
	}
}

func TestWriteTableSeveralPairs(t *testing.T) {
	dark := healthyPair()
	dark.Name = "dr"
	dark.Peers[0].Up, dark.Peers[0].Err = false, errors.New("i/o timeout")
	r := Evaluate([]*snapshot.Pair{healthyPair(), dark}, Options{})
	var buf bytes.Buffer
	if err := r.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"pair prod: READY (17 passed, 0 failed, 0 unknown)\n",
		"\n\npair dr: CANNOT TELL (",
		"UNKNOWN  peers-reachable        fw-a did not answer (i/o timeout)\n",
		"\nresult: CANNOT TELL (exit 2)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteTableNoPair(t *testing.T) {
	var buf bytes.Buffer
	if err := Evaluate(nil, Options{}).WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	if want := "no pair to check\n\nresult: CANNOT TELL (exit 2)\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestWriteJSON(t *testing.T) {
	r := Evaluate([]*snapshot.Pair{incidentPair()}, Options{ExpectVersion: map[string]string{AllPeers: "10.2.3"}})
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"evidence": "0.0.0.0/0 in rtb-1 -> eni-a2 (fw-a)"`) {
		t.Errorf("JSON escapes or loses evidence:\n%s", buf.String())
	}
	var got struct {
		Verdict  string `json:"verdict"`
		ExitCode int    `json:"exit_code"`
		Pairs    []struct {
			Pair       string  `json:"pair"`
			Verdict    string  `json:"verdict"`
			Ready      bool    `json:"ready"`
			CannotTell bool    `json:"cannot_tell"`
			Checks     []Check `json:"checks"`
		} `json:"pairs"`
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Verdict != VerdictNotReady || got.ExitCode != 1 || len(got.Pairs) != 1 {
		t.Fatalf("top level = %+v", got)
	}
	p := got.Pairs[0]
	if p.Pair != "prod" || p.Verdict != VerdictNotReady || p.Ready || p.CannotTell {
		t.Errorf("pair = %+v", p)
	}
	if len(p.Checks) != len(r.Pairs[0].Checks) {
		t.Fatalf("%d checks, want %d", len(p.Checks), len(r.Pairs[0].Checks))
	}
	for i, c := range p.Checks {
		if c != r.Pairs[0].Checks[i] {
			t.Errorf("check %d = %+v, want %+v", i, c, r.Pairs[0].Checks[i])
		}
	}
	failed := 0
	for _, c := range p.Checks {
		if c.Status == StatusFail {
			failed++
			if c.Name != CheckAWSSubnets {
				t.Errorf("unexpected failure %+v", c)
			}
		}
	}
	if failed != 1 {
		t.Errorf("%d failed checks, want 1", failed)
	}
}

func TestWriteJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	r := Report{Pairs: []PairReport{{Pair: "x", CannotTell: true}}, ExitCode: ExitCannotTell}
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"checks": []`) || !strings.Contains(buf.String(), `"verdict": "cannot-tell"`) {
		t.Errorf("got %s", buf.String())
	}
	buf.Reset()
	if err := Evaluate(nil, Options{}).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"verdict\": \"cannot-tell\",\n  \"exit_code\": 2,\n  \"pairs\": []\n}\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	r := Evaluate([]*snapshot.Pair{healthyPair()}, Options{})
	if err := r.WriteTable(failWriter{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteTable error = %v", err)
	}
	if err := r.WriteJSON(failWriter{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteJSON error = %v", err)
	}
}
