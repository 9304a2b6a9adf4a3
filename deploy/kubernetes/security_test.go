package kubernetes_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/prometheus/common/model"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// nonRootUser is the user of the distroless image's nonroot account.
const nonRootUser = 65532

func TestPodSecurity(t *testing.T) {
	m := mustLoad(t)
	sts := only(t, "StatefulSet", m.statefulSets)
	pod := sts.Spec.Template.Spec
	psc := pod.SecurityContext
	if psc == nil || !isTrue(psc.RunAsNonRoot) || !is(psc.RunAsUser, nonRootUser) ||
		psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod securityContext %+v: want runAsNonRoot, runAsUser %d, seccompProfile RuntimeDefault", psc, nonRootUser)
	}
	for _, c := range pod.Containers {
		sc := c.SecurityContext
		if sc == nil {
			t.Fatalf("container %s: no securityContext", c.Name)
		}
		if !isTrue(sc.ReadOnlyRootFilesystem) || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("container %s: want readOnlyRootFilesystem and allowPrivilegeEscalation false", c.Name)
		}
		if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0 {
			t.Errorf("container %s: capabilities %+v, want drop ALL and add none", c.Name, sc.Capabilities)
		}
		if isTrue(sc.Privileged) {
			t.Errorf("container %s is privileged", c.Name)
		}
		if sc.RunAsUser != nil && *sc.RunAsUser != nonRootUser || sc.RunAsNonRoot != nil && !*sc.RunAsNonRoot {
			t.Errorf("container %s overrides the pod's non-root user", c.Name)
		}
		if sc.SeccompProfile != nil && sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("container %s overrides the seccomp profile with %s", c.Name, sc.SeccompProfile.Type)
		}
		for _, vm := range c.VolumeMounts {
			if vm.MountPath != envOf(t, c)["HAWATCH_DATA_DIR"].Value && !vm.ReadOnly {
				t.Errorf("container %s: mount %s is writable; only the data directory should be", c.Name, vm.Name)
			}
		}
		checkResources(t, c)
	}
}

// checkResources wants requests and limits of CPU and memory, requests
// not above limits.
func checkResources(t *testing.T, c corev1.Container) {
	t.Helper()
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, okReq := c.Resources.Requests[r]
		lim, okLim := c.Resources.Limits[r]
		switch {
		case !okReq || !okLim || req.Sign() <= 0 || lim.Sign() <= 0:
			t.Errorf("container %s: %s request %s or limit %s missing or not positive", c.Name, r, req.String(), lim.String())
		case req.Cmp(lim) > 0:
			t.Errorf("container %s: %s request %s above limit %s", c.Name, r, req.String(), lim.String())
		}
	}
}

func isTrue(b *bool) bool { return b != nil && *b }

func is(v *int64, want int64) bool { return v != nil && *v == want }

// policyPorts returns the ports of NetworkPolicy rules as "port/protocol",
// or "port-endPort/protocol" for a range, sorted, with named ports
// resolved.
func policyPorts(t *testing.T, ports []networkingv1.NetworkPolicyPort, named map[string]int32) []string {
	t.Helper()
	var out []string
	for _, p := range ports {
		proto := protocolOf(p.Protocol)
		if p.Port == nil {
			t.Errorf("a %s rule allows every port", proto)
			continue
		}
		port, err := resolvePort(*p.Port, named)
		if err != nil {
			t.Error(err)
		}
		if p.EndPort != nil {
			out = append(out, fmt.Sprintf("%d-%d/%s", port, *p.EndPort, proto))
			continue
		}
		out = append(out, fmt.Sprintf("%d/%s", port, proto))
	}
	slices.Sort(out)
	return out
}

func TestNetworkPolicy(t *testing.T) {
	m := mustLoad(t)
	np := only(t, "NetworkPolicy", m.networkPolicies)
	sts := only(t, "StatefulSet", m.statefulSets)
	if err := selects(&np.Spec.PodSelector, sts.Spec.Template.Labels); err != nil {
		t.Errorf("podSelector and the hawatch pods: %v", err)
	}
	types := slices.Sorted(slices.Values(np.Spec.PolicyTypes))
	if !slices.Equal(types, []networkingv1.PolicyType{networkingv1.PolicyTypeEgress, networkingv1.PolicyTypeIngress}) {
		t.Errorf("policyTypes %v, want Ingress and Egress", np.Spec.PolicyTypes)
	}
	named := map[string]int32{}
	for _, c := range sts.Spec.Template.Spec.Containers {
		for _, p := range c.Ports {
			named[p.Name] = p.ContainerPort
		}
	}

	ingress := only(t, "ingress rule", np.Spec.Ingress)
	if in := policyPorts(t, ingress.Ports, named); !slices.Equal(in, []string{"10869/TCP"}) {
		t.Errorf("ingress ports %v, want only 10869/TCP", in)
	}
	from := only(t, "ingress peer", ingress.From)
	// The namespace name label is unique, so matchLabels on it keeps the
	// peers to that namespace whatever else the selector says.
	if from.NamespaceSelector == nil || from.NamespaceSelector.MatchLabels[corev1.LabelMetadataName] != "monitoring" ||
		!restricts(from.PodSelector) || from.IPBlock != nil {
		t.Errorf("ingress from %+v: want the Prometheus pods of the monitoring namespace", from)
	}

	var out []string
	for _, rule := range np.Spec.Egress {
		if len(rule.Ports) == 0 {
			t.Errorf("egress rule to %+v allows every port", rule.To)
		}
		out = append(out, policyPorts(t, rule.Ports, named)...)
	}
	slices.Sort(out)
	if want := []string{"443/TCP", "53/TCP", "53/UDP", "9093/TCP"}; !slices.Equal(out, want) {
		t.Errorf("egress ports %v, want %v", out, want)
	}
}

// checkScrapeDurations wants valid durations, the timeout within the
// interval.
func checkScrapeDurations(t *testing.T, ep endpoint) {
	t.Helper()
	interval, err := model.ParseDuration(ep.Interval)
	if err != nil {
		t.Errorf("endpoint interval %q: %v", ep.Interval, err)
	}
	timeout, err := model.ParseDuration(ep.ScrapeTimeout)
	if err != nil {
		t.Errorf("endpoint scrapeTimeout %q: %v", ep.ScrapeTimeout, err)
	}
	if timeout > interval {
		t.Errorf("endpoint scrapeTimeout %s above interval %s", timeout, interval)
	}
}
