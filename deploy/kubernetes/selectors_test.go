package kubernetes_test

import (
	"errors"
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// selects reports whether a label selector of a workload, ServiceMonitor
// or NetworkPolicy selects the labels. A nil or empty selector is an
// error: it would select every object, not the ones the manifests mean.
func selects(sel *metav1.LabelSelector, set map[string]string) error {
	if sel == nil {
		return errors.New("no selector")
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return fmt.Errorf("selector %s: %w", sel, err)
	}
	if s.Empty() {
		return errors.New("empty selector")
	}
	if !s.Matches(labels.Set(set)) {
		return fmt.Errorf("selector %q does not select %v", s, set)
	}
	return nil
}

// restricts reports whether sel is a valid selector that does not select
// everything.
func restricts(sel *metav1.LabelSelector) bool {
	if sel == nil {
		return false
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && !s.Empty()
}

// selectsMap is selects for the plain label map of a Service selector.
func selectsMap(sel, set map[string]string) error {
	return selects(&metav1.LabelSelector{MatchLabels: sel}, set)
}

// resolvePort returns the number of a port given by number or by the
// name of a container port.
func resolvePort(p intstr.IntOrString, named map[string]int32) (int32, error) {
	if p.Type == intstr.Int {
		return p.IntVal, nil
	}
	n, ok := named[p.StrVal]
	if !ok {
		return 0, fmt.Errorf("no container port named %q", p.StrVal)
	}
	return n, nil
}

// protocolOf returns the protocol of a port, TCP when none is given, as
// the API server defaults it.
func protocolOf(p *corev1.Protocol) corev1.Protocol {
	if p == nil || *p == "" {
		return corev1.ProtocolTCP
	}
	return *p
}

func TestSelects(t *testing.T) {
	pod := map[string]string{"app": "hawatch", "tier": "monitor"}
	for _, tc := range []struct {
		name string
		sel  *metav1.LabelSelector
		ok   bool
	}{
		{"match labels", &metav1.LabelSelector{MatchLabels: map[string]string{"app": "hawatch"}}, true},
		{"other value", &metav1.LabelSelector{MatchLabels: map[string]string{"app": "other"}}, false},
		{"expression in", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"monitor", "web"}},
		}}, true},
		{"expression excludes", &metav1.LabelSelector{
			MatchLabels: map[string]string{"app": "hawatch"},
			MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"monitor"}},
			},
		}, false},
		{"invalid operator", &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "tier", Operator: "Like", Values: []string{"mon*"}},
		}}, false},
		{"empty", &metav1.LabelSelector{}, false},
		{"nil", nil, false},
	} {
		if err := selects(tc.sel, pod); (err == nil) != tc.ok {
			t.Errorf("%s: selects = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
	if err := selectsMap(nil, pod); err == nil {
		t.Error("an empty Service selector selects the pods")
	}
}

func TestResolvePort(t *testing.T) {
	named := map[string]int32{"http": 10869}
	if p, err := resolvePort(intstr.FromString("http"), named); err != nil || p != 10869 {
		t.Errorf("named port http: %d, %v; want 10869", p, err)
	}
	if p, err := resolvePort(intstr.FromInt32(53), named); err != nil || p != 53 {
		t.Errorf("port 53: %d, %v; want 53", p, err)
	}
	if _, err := resolvePort(intstr.FromString("metrics"), named); err == nil {
		t.Error("unknown port name resolved")
	}
}
