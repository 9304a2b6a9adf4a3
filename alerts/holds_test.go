package alerts

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/pkg/labels"
	"github.com/prometheus/common/model"
)

// Files the holds table is checked against.
var (
	runbooksDoc  = filepath.Join("..", "docs", "runbooks.md")
	amConfigYAML = filepath.Join("..", "deploy", "alertmanager", "alertmanager.yml")
)

// holdRow is one row of the holds table of docs/runbooks.md.
type holdRow struct {
	alert, severity, forHold, keep string
	inhibitors                     []string
}

// readHolds parses the table between the holds markers.
func readHolds(t *testing.T) map[string]holdRow {
	t.Helper()
	b, err := os.ReadFile(runbooksDoc)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<!-- holds:begin -->\n(.*?)<!-- holds:end -->`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s has no holds table between <!-- holds:begin --> and <!-- holds:end -->", runbooksDoc)
	}
	rows := map[string]holdRow{}
	for i, line := range strings.Split(strings.TrimSpace(string(m[1])), "\n") {
		if i < 2 {
			continue // header and rule
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 6 {
			t.Fatalf("holds table row %q has %d cells, want 6", line, len(cells))
		}
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		r := holdRow{alert: strings.Trim(cells[0], "`"), severity: cells[1], forHold: cells[2], keep: cells[3]}
		if cells[4] != "—" {
			for _, s := range strings.Split(cells[4], ",") {
				r.inhibitors = append(r.inhibitors, strings.Trim(strings.TrimSpace(s), "`"))
			}
		}
		if _, dup := rows[r.alert]; dup {
			t.Errorf("holds table lists %s twice", r.alert)
		}
		rows[r.alert] = r
	}
	return rows
}

// inhibitRule is one inhibit rule of the Alertmanager configuration.
type inhibitRule struct {
	Source []string `yaml:"source_matchers"`
	Target []string `yaml:"target_matchers"`
	Equal  []string `yaml:"equal"`
}

// readInhibitRules reads the example Alertmanager configuration's
// inhibit rules.
func readInhibitRules(t *testing.T) []inhibitRule {
	t.Helper()
	var doc struct {
		Rules []inhibitRule  `yaml:"inhibit_rules"`
		Rest  map[string]any `yaml:",inline"`
	}
	readYAML(t, amConfigYAML, &doc)
	return doc.Rules
}

// matchesAll reports whether every matcher matches ls.
func matchesAll(t *testing.T, ms []string, ls map[string]string) bool {
	t.Helper()
	for _, s := range ms {
		m, err := labels.ParseMatcher(s)
		if err != nil {
			t.Fatalf("%s: matcher %q: %v", amConfigYAML, s, err)
		}
		if !m.Matches(ls[m.Name]) {
			return false
		}
	}
	return true
}

// sampleLabels is a label set an alert of c with severity sev carries.
func sampleLabels(c Condition, sev Severity) map[string]string {
	ls := map[string]string{LabelAlertName: c.Name, LabelSeverity: string(sev), LabelPair: "p1"}
	for _, l := range c.Labels {
		ls[l] = "x"
	}
	return ls
}

// fmtHold writes a hold as the table does.
func fmtHold(d time.Duration) string { return model.Duration(d).String() }

// TestHoldsTableMatchesCode keeps the holds table of docs/runbooks.md
// equal to the conditions (severities, for, keep_firing_for), and checks
// each inhibitor it names: an inhibit rule of the example Alertmanager
// configuration holds the alert's warnings back while the inhibitor
// fires, and the inhibitor fires no later than the alert and is kept
// firing no shorter, so that the alert never reaches a receiver before
// its cause nor outlives it.
func TestHoldsTableMatchesCode(t *testing.T) {
	rows := readHolds(t)
	conds := map[string]Condition{}
	for _, c := range DefaultConditions() {
		conds[c.Name] = c
	}
	for _, name := range PromQLOnly() {
		if _, ok := rows[name]; !ok {
			t.Errorf("holds table lacks %s", name)
		}
	}
	inhibit := readInhibitRules(t)
	for name, c := range conds {
		r, ok := rows[name]
		if !ok {
			t.Errorf("holds table lacks %s", name)
			continue
		}
		var sevs []string
		for _, s := range c.AllSeverities() {
			sevs = append(sevs, string(s))
		}
		if want := strings.Join(sevs, " / "); r.severity != want {
			t.Errorf("%s: table says severity %q, code %q", name, r.severity, want)
		}
		if want := fmtHold(c.For); r.forHold != want {
			t.Errorf("%s: table says for %s, code %s", name, r.forHold, want)
		}
		if want := fmtHold(c.KeepFiringFor); r.keep != want {
			t.Errorf("%s: table says keep_firing_for %s, code %s", name, r.keep, want)
		}
		for _, src := range r.inhibitors {
			s, ok := conds[src]
			if !ok {
				t.Errorf("%s: inhibitor %s is not an alert", name, src)
				continue
			}
			checkInhibits(t, inhibit, s, c)
		}
	}
	for name := range rows {
		if _, ok := conds[name]; !ok && !slices.Contains(PromQLOnly(), name) {
			t.Errorf("holds table lists %s, which is no alert", name)
		}
	}
}

// checkInhibits checks that some inhibit rule lets src hold back the
// warnings of target, and that their holds allow it.
func checkInhibits(t *testing.T, rules []inhibitRule, src, target Condition) {
	t.Helper()
	tl := sampleLabels(target, SeverityWarning)
	if !slices.Contains(target.AllSeverities(), SeverityWarning) {
		tl = sampleLabels(target, target.Severity)
	}
	covered := false
	for _, ir := range rules {
		if !slices.Contains(ir.Equal, LabelPair) || !matchesAll(t, ir.Target, tl) {
			continue
		}
		for _, sev := range src.AllSeverities() {
			if matchesAll(t, ir.Source, sampleLabels(src, sev)) {
				covered = true
			}
		}
	}
	if !covered {
		t.Errorf("%s: no inhibit rule of %s lets %s hold it back", target.Name, amConfigYAML, src.Name)
	}
	if src.For > target.For {
		t.Errorf("%s waits %v, less than its inhibitor %s (%v): it would reach a receiver first", target.Name, target.For, src.Name, src.For)
	}
	if src.KeepFiringFor < target.KeepFiringFor {
		t.Errorf("%s is kept firing %v, longer than its inhibitor %s (%v): it would page once its cause resolved",
			target.Name, target.KeepFiringFor, src.Name, src.KeepFiringFor)
	}
}

// TestMaintenanceInhibitList keeps the maintenance inhibit rule of the
// example Alertmanager configuration equal to MaintenanceExpected, and
// checks that no critical is among them.
func TestMaintenanceInhibitList(t *testing.T) {
	conds := map[string]Condition{}
	for _, c := range DefaultConditions() {
		conds[c.Name] = c
	}
	var rule *inhibitRule
	for _, ir := range readInhibitRules(t) {
		if matchesAll(t, ir.Source, map[string]string{LabelAlertName: "HAPairMaintenance", LabelSeverity: "info"}) {
			rule = &ir
		}
	}
	if rule == nil {
		t.Fatalf("%s has no inhibit rule with HAPairMaintenance as its source", amConfigYAML)
	}
	for name, c := range conds {
		held := false
		for _, sev := range c.AllSeverities() {
			ls := sampleLabels(c, sev)
			if matchesAll(t, rule.Target, ls) {
				held = true
				if sev == SeverityCritical {
					t.Errorf("maintenance holds back the critical %s", name)
				}
			}
		}
		if want := slices.Contains(MaintenanceExpected(), name); held != want {
			t.Errorf("%s: held back in maintenance %v, MaintenanceExpected says %v", name, held, want)
		}
	}
}
