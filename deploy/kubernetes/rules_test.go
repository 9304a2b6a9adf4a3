package kubernetes_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
	"sigs.k8s.io/yaml"
)

// ruleFilePath is the Prometheus rule file the PrometheusRule is generated
// from.
const ruleFilePath = "../prometheus/hawatch-rules.yml"

const regenerate = "regenerate prometheusrule.yaml with: go generate ./deploy/kubernetes"

// TestPrometheusRuleMatchesRuleFile wants the PrometheusRule's groups to be
// exactly the rule file's, compared twice: as decoded into the CRD's types
// (which also checks that the rule file uses no field the CRD lacks) and as
// plain YAML trees (which misses nothing the types might drop).
func TestPrometheusRuleMatchesRuleFile(t *testing.T) {
	m := mustLoad(t)
	pr := only(t, "PrometheusRule", m.prometheusRules)
	data, err := os.ReadFile(ruleFilePath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s does not exist yet, nothing to compare the PrometheusRule with; once it does, %s", ruleFilePath, regenerate)
	}
	if err != nil {
		t.Fatal(err)
	}
	var rf ruleFile
	if err := decodeStrict(data, &rf); err != nil {
		t.Fatalf("%s does not decode into the PrometheusRule's rule groups: %v", ruleFilePath, err)
	}
	if len(rf.Groups) == 0 {
		t.Fatalf("%s has no rule groups", ruleFilePath)
	}
	if !reflect.DeepEqual(pr.Spec.Groups, rf.Groups) {
		t.Fatalf("PrometheusRule groups differ from %s (%s); %s", ruleFilePath, firstDifference(pr.Spec.Groups, rf.Groups), regenerate)
	}

	var want map[string]any
	if err := yaml.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("prometheusrule.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Spec map[string]any `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Spec, want) {
		t.Errorf("PrometheusRule spec is not exactly %s; %s", ruleFilePath, regenerate)
	}

	p := parser.NewParser(parser.Options{})
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			if _, err := p.ParseExpr(r.Expr.String()); err != nil {
				t.Errorf("group %s rule %s%s: %v", g.Name, r.Alert, r.Record, err)
			}
		}
	}
}

// firstDifference names the first group or rule where got and want differ.
func firstDifference(got, want []ruleGroup) string {
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Sprintf("group %q missing", want[i].Name)
		case i >= len(want):
			return fmt.Sprintf("group %q extra", got[i].Name)
		}
		g, w := got[i], want[i]
		for j := range max(len(g.Rules), len(w.Rules)) {
			switch {
			case j >= len(g.Rules):
				return fmt.Sprintf("group %q: rule %s%s missing", w.Name, w.Rules[j].Alert, w.Rules[j].Record)
			case j >= len(w.Rules):
				return fmt.Sprintf("group %q: rule %s%s extra", g.Name, g.Rules[j].Alert, g.Rules[j].Record)
			case !reflect.DeepEqual(g.Rules[j], w.Rules[j]):
				return fmt.Sprintf("group %q: rule %s%s", w.Name, w.Rules[j].Alert, w.Rules[j].Record)
			}
		}
		if !reflect.DeepEqual(g, w) {
			return fmt.Sprintf("group %q settings", w.Name)
		}
	}
	return "no difference found"
}
