package kubernetes_test

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The prometheus-operator and kustomize types are not dependencies of
// hawatch. The structs below mirror the fields of their CRDs
// (monitoring.coreos.com/v1 ServiceMonitor and PrometheusRule,
// kustomize.config.k8s.io/v1beta1 Kustomization) that the manifests use,
// with the same JSON names and types, so that strict decoding rejects a
// misspelled or misplaced field as it would for the built-in kinds. A field
// the manifests start to use must be added here, after checking its name
// and type against the CRD. Metadata, label selectors and rule expressions
// are the apimachinery types the operator's Go types use.

// kustomization mirrors the fields of a Kustomization used here.
type kustomization struct {
	metav1.TypeMeta `json:",inline"`
	Namespace       string   `json:"namespace,omitempty"`
	Resources       []string `json:"resources,omitempty"`
}

// serviceMonitor mirrors monitoring.coreos.com/v1 ServiceMonitor.
type serviceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              serviceMonitorSpec `json:"spec"`
}

type serviceMonitorSpec struct {
	JobLabel          string               `json:"jobLabel,omitempty"`
	Selector          metav1.LabelSelector `json:"selector"`
	NamespaceSelector *namespaceSelector   `json:"namespaceSelector,omitempty"`
	Endpoints         []endpoint           `json:"endpoints"`
}

// namespaceSelector mirrors the operator's NamespaceSelector.
type namespaceSelector struct {
	Any        bool     `json:"any,omitempty"`
	MatchNames []string `json:"matchNames,omitempty"`
}

// endpoint mirrors the operator's Endpoint; durations are Prometheus
// duration strings.
type endpoint struct {
	Port          string `json:"port,omitempty"`
	Path          string `json:"path,omitempty"`
	Scheme        string `json:"scheme,omitempty"`
	Interval      string `json:"interval,omitempty"`
	ScrapeTimeout string `json:"scrapeTimeout,omitempty"`
	HonorLabels   bool   `json:"honorLabels,omitempty"`
}

// prometheusRule mirrors monitoring.coreos.com/v1 PrometheusRule.
type prometheusRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ruleFile `json:"spec"`
}

// ruleFile is both a Prometheus rule file and the spec of a PrometheusRule:
// the operator's RuleGroup and Rule use the rule file's field names.
type ruleFile struct {
	Groups []ruleGroup `json:"groups"`
}

// ruleGroup mirrors the operator's RuleGroup, a subset of the rule file's
// groups that Prometheus and the operator share.
type ruleGroup struct {
	Name        string            `json:"name"`
	Interval    string            `json:"interval,omitempty"`
	QueryOffset string            `json:"query_offset,omitempty"`
	Limit       *int              `json:"limit,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Rules       []rule            `json:"rules"`
}

// rule mirrors the operator's Rule.
type rule struct {
	Record        string             `json:"record,omitempty"`
	Alert         string             `json:"alert,omitempty"`
	Expr          intstr.IntOrString `json:"expr"`
	For           string             `json:"for,omitempty"`
	KeepFiringFor string             `json:"keep_firing_for,omitempty"`
	Labels        map[string]string  `json:"labels,omitempty"`
	Annotations   map[string]string  `json:"annotations,omitempty"`
}
