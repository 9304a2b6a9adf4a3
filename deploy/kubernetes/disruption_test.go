package kubernetes_test

import (
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/intstr"
)

// exampleSuffix marks files that document an object the user creates by
// hand; the kustomization must not apply them.
const exampleSuffix = ".example.yaml"

// TestKustomizationCreatesNoSecret guards the real PAN-OS key: a Secret in
// the kustomization would be overwritten with its placeholder by every
// `kubectl apply -k`. The Secret the StatefulSet mounts is documented in
// an example file instead.
func TestKustomizationCreatesNoSecret(t *testing.T) {
	m := mustLoad(t)
	if m.kustomization == nil {
		t.Fatal("no kustomization.yaml")
	}
	for _, res := range m.kustomization.Resources {
		if strings.HasSuffix(res, exampleSuffix) {
			t.Errorf("kustomization applies the example %s", res)
		}
		if slices.Contains(m.kindsOf[res], "Secret") {
			t.Errorf("kustomization resource %s creates a Secret; create it with kubectl instead (secret.example.yaml)", res)
		}
	}
	if !slices.Equal(m.kindsOf["secret.example.yaml"], []string{"Secret"}) {
		t.Errorf("secret.example.yaml holds %v, want the one example Secret", m.kindsOf["secret.example.yaml"])
	}
}

// TestPodDisruptionBudget wants a budget over exactly the StatefulSet's
// pods that lets a drain evict one shard at a time, and never blocks it.
func TestPodDisruptionBudget(t *testing.T) {
	m := mustLoad(t)
	sts := only(t, "StatefulSet", m.statefulSets)
	pdb := only(t, "PodDisruptionBudget", m.disruptionBudgets)
	if err := selects(pdb.Spec.Selector, sts.Spec.Template.Labels); err != nil {
		t.Errorf("PodDisruptionBudget does not select the StatefulSet's pods: %v", err)
	}
	if !slices.Equal(keys(pdb.Spec.Selector.MatchLabels), keys(sts.Spec.Selector.MatchLabels)) {
		t.Errorf("PodDisruptionBudget selector %v, want the StatefulSet's %v (no other pods)", pdb.Spec.Selector.MatchLabels, sts.Spec.Selector.MatchLabels)
	}
	if pdb.Spec.MinAvailable != nil {
		t.Errorf("minAvailable %v blocks every drain of a one-pod shard; use maxUnavailable", pdb.Spec.MinAvailable)
	}
	if one := intstr.FromInt32(1); pdb.Spec.MaxUnavailable == nil || *pdb.Spec.MaxUnavailable != one {
		t.Errorf("maxUnavailable %v, want 1: one shard unwatched at a time", pdb.Spec.MaxUnavailable)
	}
}
