package kubernetes_test

import (
	"os"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// prometheusAlerting mirrors the part of monitoring.coreos.com/v1
// Prometheus that prometheus-operator/prometheus-alerting.yaml sets, with
// the CRD's JSON names (AlertmanagerEndpoints, RelabelConfig).
type prometheusAlerting struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Alerting struct {
			Alertmanagers []struct {
				Name             string             `json:"name"`
				Namespace        string             `json:"namespace,omitempty"`
				Port             intstr.IntOrString `json:"port"`
				APIVersion       string             `json:"apiVersion,omitempty"`
				AlertRelabelings []operatorRelabel  `json:"alertRelabelings,omitempty"`
			} `json:"alertmanagers"`
		} `json:"alerting"`
	} `json:"spec"`
}

// operatorRelabel mirrors the operator's RelabelConfig.
type operatorRelabel struct {
	SourceLabels []string `json:"sourceLabels,omitempty"`
	Separator    *string  `json:"separator,omitempty"`
	TargetLabel  string   `json:"targetLabel,omitempty"`
	Regex        string   `json:"regex,omitempty"`
	Replacement  *string  `json:"replacement,omitempty"`
	Action       string   `json:"action,omitempty"`
}

// prometheusConfig is what the operator writes into Prometheus's
// alert_relabel_configs: Prometheus's defaults where a field is unset.
func (r operatorRelabel) prometheusConfig(t *testing.T) *relabel.Config {
	t.Helper()
	c := relabel.DefaultRelabelConfig
	c.NameValidationScheme = model.UTF8Validation
	for _, l := range r.SourceLabels {
		c.SourceLabels = append(c.SourceLabels, model.LabelName(l))
	}
	if r.Separator != nil {
		c.Separator = *r.Separator
	}
	if r.Regex != "" {
		re, err := relabel.NewRegexp(r.Regex)
		if err != nil {
			t.Fatalf("regex %q: %v", r.Regex, err)
		}
		c.Regex = re
	}
	if r.Replacement != nil {
		c.Replacement = *r.Replacement
	}
	if r.Action != "" {
		if err := c.Action.UnmarshalYAML(func(v any) error { *v.(*string) = r.Action; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	c.TargetLabel = r.TargetLabel
	if err := c.Validate(model.UTF8Validation); err != nil {
		t.Fatalf("relabel config %+v: %v", r, err)
	}
	return &c
}

// TestOperatorExternalLabelsDroppedFromHawatchAlerts plays every alert of
// the rule file, as prometheus-operator's Prometheus would send it (with
// its external labels), through the example's alertRelabelings: the
// result must be the label set hawatch pushes itself, so that
// Alertmanager deduplicates the two, and other alerts must keep the
// external labels.
func TestOperatorExternalLabelsDroppedFromHawatchAlerts(t *testing.T) {
	data, err := os.ReadFile("prometheus-operator/prometheus-alerting.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var p prometheusAlerting
	if err := decodeStrict(data, &p); err != nil {
		t.Fatalf("prometheus-alerting.yaml: %v", err)
	}
	if p.Kind != "Prometheus" || p.APIVersion != "monitoring.coreos.com/v1" || len(p.Spec.Alerting.Alertmanagers) == 0 {
		t.Fatalf("want a monitoring.coreos.com/v1 Prometheus with alertmanagers, got %s %s", p.APIVersion, p.Kind)
	}
	raw, err := os.ReadFile(ruleFilePath)
	if err != nil {
		t.Fatal(err)
	}
	var rf ruleFile
	if err := decodeStrict(raw, &rf); err != nil {
		t.Fatal(err)
	}
	external := map[string]string{"prometheus": "monitoring/k8s", "prometheus_replica": "prometheus-k8s-0"}
	for _, am := range p.Spec.Alerting.Alertmanagers {
		var cfgs []*relabel.Config
		for _, r := range am.AlertRelabelings {
			cfgs = append(cfgs, r.prometheusConfig(t))
		}
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				if r.Alert == "" {
					continue
				}
				pushed := labels.FromMap(map[string]string{"alertname": r.Alert, "pair": "edge-eu", "peer": "fw-a", "severity": r.Labels["severity"]})
				sent := labels.NewBuilder(pushed)
				for k, v := range external {
					sent.Set(k, v)
				}
				keep := relabel.ProcessBuilder(sent, cfgs...)
				if got := sent.Labels(); !keep || !labels.Equal(got, pushed) {
					t.Errorf("alertmanager %s: %s arrives as %v, hawatch pushes %v: Alertmanager would not merge them", am.Name, r.Alert, got, pushed)
				}
			}
		}
		other := labels.FromMap(map[string]string{"alertname": "KubePodCrashLooping", "namespace": "x", "prometheus": "monitoring/k8s", "prometheus_replica": "prometheus-k8s-0"})
		lb := labels.NewBuilder(other)
		if relabel.ProcessBuilder(lb, cfgs...); !labels.Equal(lb.Labels(), other) {
			t.Errorf("alertmanager %s: alerts other than hawatch's lose labels: %v became %v", am.Name, other, lb.Labels())
		}
	}
}
