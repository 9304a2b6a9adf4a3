package alerts

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
)

// Paths of the files that must agree with the Go conditions.
var (
	rulesFile     = filepath.Join("..", "deploy", "prometheus", "hawatch-rules.yml")
	rulesTestFile = filepath.Join("..", "deploy", "prometheus", "hawatch-rules.test.yml")
	metricsDoc    = filepath.Join("..", "docs", "metrics.md")
)

// promRule is one alerting rule of the rules file.
type promRule struct {
	Alert         string            `yaml:"alert"`
	Expr          string            `yaml:"expr"`
	For           string            `yaml:"for"`
	KeepFiringFor string            `yaml:"keep_firing_for"`
	Labels        map[string]string `yaml:"labels"`
	Annotations   map[string]string `yaml:"annotations"`
}

// loadRules reads the rules file.
func loadRules(t *testing.T) []promRule {
	t.Helper()
	var doc struct {
		Groups []struct {
			Name  string     `yaml:"name"`
			Rules []promRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	readYAML(t, rulesFile, &doc)
	var out []promRule
	for _, g := range doc.Groups {
		out = append(out, g.Rules...)
	}
	return out
}

// readYAML decodes a YAML file strictly.
func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// duration parses a rule duration; empty is zero.
func duration(t *testing.T, rule, s string) time.Duration {
	t.Helper()
	if s == "" {
		return 0
	}
	d, err := model.ParseDuration(s)
	if err != nil {
		t.Fatalf("%s: duration %q: %v", rule, s, err)
	}
	return time.Duration(d)
}

// TestRulesMatchConditions keeps the PromQL rules and the Go conditions
// from drifting: same names, severities, holds, summaries and runbooks.
func TestRulesMatchConditions(t *testing.T) {
	rules := loadRules(t)
	byName := map[string][]promRule{}
	for _, r := range rules {
		byName[r.Alert] = append(byName[r.Alert], r)
	}
	conds := DefaultConditions()
	for _, c := range conds {
		rs := byName[c.Name]
		if len(rs) == 0 {
			t.Errorf("%s: no PromQL rule", c.Name)
			continue
		}
		var sevs []Severity
		for _, r := range rs {
			sevs = append(sevs, Severity(r.Labels[LabelSeverity]))
			if got := duration(t, r.Alert, r.For); got != c.For {
				t.Errorf("%s: for %v, condition %v", c.Name, got, c.For)
			}
			if got := duration(t, r.Alert, r.KeepFiringFor); got != c.KeepFiringFor {
				t.Errorf("%s: keep_firing_for %v, condition %v", c.Name, got, c.KeepFiringFor)
			}
			if got, want := r.Annotations[AnnotationRunbookURL], c.RunbookURL(DefaultRunbookBaseURL); got != want {
				t.Errorf("%s: runbook_url %q, want %q", c.Name, got, want)
			}
			if got := r.Annotations[AnnotationSummary]; got != c.Summary {
				t.Errorf("%s: summary\n rule %q\n Go   %q", c.Name, got, c.Summary)
			}
			if r.Annotations[AnnotationDescription] == "" {
				t.Errorf("%s: no description", c.Name)
			}
			if len(r.Labels) != 1 {
				t.Errorf("%s: labels %v, want severity only", c.Name, r.Labels)
			}
		}
		slices.Sort(sevs)
		want := c.AllSeverities()
		slices.Sort(want)
		if !slices.Equal(sevs, want) {
			t.Errorf("%s: rule severities %v, condition %v", c.Name, sevs, want)
		}
	}
	names := map[string]bool{}
	for _, c := range conds {
		names[c.Name] = true
	}
	for name := range byName {
		if !names[name] && !slices.Contains(PromQLOnly(), name) {
			t.Errorf("rule %s has no Go condition", name)
		}
	}
}

// TestRunbooksCoverEveryAlert checks that docs/runbooks.md has a section
// whose anchor is every alert's runbook anchor.
func TestRunbooksCoverEveryAlert(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "runbooks.md"))
	if err != nil {
		t.Fatal(err)
	}
	headings := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			headings[strings.ToLower(strings.TrimSpace(h))] = true
		}
	}
	for _, c := range DefaultConditions() {
		if !headings[c.Anchor()] {
			t.Errorf("docs/runbooks.md has no section %q for %s", "## "+c.Name, c.Name)
		}
	}
	for _, name := range PromQLOnly() {
		if !headings[strings.ToLower(name)] {
			t.Errorf("docs/runbooks.md has no section %q", "## "+name)
		}
	}
}

// metricName matches a hawatch metric name in a rule.
var metricName = regexp.MustCompile(`\bhawatch_[a-z0-9_]+`)

// TestRulesUseDocumentedMetrics checks that every metric a rule reads is
// documented in docs/metrics.md.
func TestRulesUseDocumentedMetrics(t *testing.T) {
	doc, err := os.ReadFile(metricsDoc)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range loadRules(t) {
		for _, text := range append(slices.Collect(maps.Values(r.Annotations)), r.Expr) {
			for _, m := range metricName.FindAllString(text, -1) {
				if !strings.Contains(string(doc), "`"+m+"`") {
					t.Errorf("%s reads %s, which docs/metrics.md does not document", r.Alert, m)
				}
			}
		}
	}
}

// TestRuleTestsUseTheLabelContract checks the promtool tests: every alert
// is tested firing and not firing, and every expected label set is exactly
// pair, severity and the condition's item labels.
func TestRuleTestsUseTheLabelContract(t *testing.T) {
	var doc struct {
		RuleFiles          []string `yaml:"rule_files"`
		EvaluationInterval string   `yaml:"evaluation_interval"`
		Tests              []struct {
			Name        string           `yaml:"name"`
			Interval    string           `yaml:"interval"`
			InputSeries []map[string]any `yaml:"input_series"`
			Alerts      []struct {
				EvalTime  string `yaml:"eval_time"`
				AlertName string `yaml:"alertname"`
				ExpAlerts []struct {
					Labels      map[string]string `yaml:"exp_labels"`
					Annotations map[string]string `yaml:"exp_annotations"`
				} `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		} `yaml:"tests"`
	}
	readYAML(t, rulesTestFile, &doc)
	firing, silent := map[string]bool{}, map[string]bool{}
	conds := map[string]Condition{}
	for _, c := range DefaultConditions() {
		conds[c.Name] = c
	}
	for _, tc := range doc.Tests {
		for _, a := range tc.Alerts {
			c, ok := conds[a.AlertName]
			if !ok && slices.Contains(PromQLOnly(), a.AlertName) {
				continue
			}
			if !ok {
				t.Errorf("%s: unknown alert %s", tc.Name, a.AlertName)
				continue
			}
			if len(a.ExpAlerts) == 0 {
				silent[a.AlertName] = true
			}
			base := []string{LabelPair, LabelSeverity}
			if c.Self {
				base = []string{LabelSeverity}
			}
			want := slices.Sorted(slices.Values(append(base, c.Labels...)))
			for _, e := range a.ExpAlerts {
				firing[a.AlertName] = true
				if got := slices.Sorted(maps.Keys(e.Labels)); !slices.Equal(got, want) {
					t.Errorf("%s: %s expects labels %v, contract %v", tc.Name, a.AlertName, got, want)
				}
			}
		}
	}
	for name := range conds {
		if !firing[name] || !silent[name] {
			t.Errorf("%s: promtool tests firing=%v not-firing=%v", name, firing[name], silent[name])
		}
	}
}

// TestRulesWithPromtool runs promtool's own checks and the unit tests.
func TestRulesWithPromtool(t *testing.T) {
	t.Parallel()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not on PATH (scripts/install-test-deps.sh installs it); skipping promtool check/test rules")
	}
	for _, args := range [][]string{
		{"check", "rules", rulesFile},
		{"test", "rules", rulesTestFile},
	} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
