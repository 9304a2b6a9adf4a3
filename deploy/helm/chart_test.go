package helm_test

import (
	"bytes"
	"net"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

const (
	ruleFile     = "../prometheus/hawatch-rules.yml"
	podIndexPath = "metadata.labels['apps.kubernetes.io/pod-index']"
)

// expectation is what a values file asks of the rendered chart.
type expectation struct {
	shards  int
	port    int32
	pairs   []string
	secrets map[string][]string // existing Secret name → keys
}

func TestHelmLint(t *testing.T) {
	for _, values := range [][]string{nil, {"testdata/sharded-values.yaml"}} {
		args := []string{"lint", "--strict", chartDir, "--kube-version", kubeVersion}
		for _, v := range values {
			args = append(args, "--values", v)
		}
		if out, err := runHelm(t, args...); err != nil {
			t.Errorf("%v\n%s", err, out)
		}
	}
}

// TestValuesSchemaRejectsBadValues proves values.schema.json is enforced:
// a misspelled top-level key and a pair with one peer fail at render time.
func TestValuesSchemaRejectsBadValues(t *testing.T) {
	_, err := runHelm(t, "template", "hawatch", chartDir, "--kube-version", kubeVersion, "--values", "testdata/bad-values.yaml")
	if err == nil {
		t.Fatal("helm template accepted testdata/bad-values.yaml")
	}
	for _, want := range []string{"shard", "/config/pairs/0/peers"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("schema error does not name %q:\n%v", want, err)
		}
	}
}

func TestChartDefaultValues(t *testing.T) {
	var values struct {
		Service struct {
			Port int32 `json:"port"`
		} `json:"service"`
	}
	data, err := os.ReadFile(chartDir + "/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &values); err != nil {
		t.Fatal(err)
	}
	checkChart(t, render(t), expectation{
		shards: 1, port: values.Service.Port, pairs: []string{"edge"},
		secrets: map[string][]string{"hawatch-credentials": {"panos-api-key"}},
	})
}

func TestChartShardedValues(t *testing.T) {
	r := render(t, "testdata/sharded-values.yaml")
	checkChart(t, r, expectation{
		shards: 3, port: 19869, pairs: []string{"edge-eu", "edge-us", "lab"},
		secrets: map[string][]string{"panos-key": {"api-key"}, "lab-credentials": {"password", "ca.pem"}},
	})
	c := only(t, "StatefulSet", r.statefulSets).Spec.Template.Spec.Containers[0]
	if want := "ghcr.io/hawatch/hawatch:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"; c.Image != want {
		t.Errorf("image %q, want %q (pinned by digest)", c.Image, want)
	}
	if got := envOf(c)["HAWATCH_ALERTMANAGER_URLS"].Value; got != "http://alertmanager-0.monitoring.svc:9093,http://alertmanager-1.monitoring.svc:9093" {
		t.Errorf("HAWATCH_ALERTMANAGER_URLS %q", got)
	}
	for _, kind := range []string{"ServiceMonitor", "PrometheusRule"} {
		obj := only(t, kind, r.custom[kind])
		if l := dig(obj, "metadata", "labels", "release"); l != "kube-prometheus-stack" {
			t.Errorf("%s: release label %v, want kube-prometheus-stack", kind, l)
		}
	}
}

// checkChart checks one rendering against what its values ask for.
func checkChart(t *testing.T, r *rendered, want expectation) {
	t.Helper()
	wantKinds := []string{"ConfigMap", "PodDisruptionBudget", "PrometheusRule", "Service", "Service", "ServiceAccount", "ServiceMonitor", "StatefulSet"}
	if got := slices.Sorted(slices.Values(r.kinds)); !slices.Equal(got, wantKinds) {
		t.Errorf("rendered kinds %v, want %v (and never a Secret)", got, wantKinds)
	}
	sts := only(t, "StatefulSet", r.statefulSets)
	pod := sts.Spec.Template
	c := only(t, "container", pod.Spec.Containers)
	env := envOf(c)

	if sts.Spec.Replicas == nil || int(*sts.Spec.Replicas) != want.shards || env["HAWATCH_SHARDS"].Value != strconv.Itoa(want.shards) {
		t.Errorf("replicas %d and HAWATCH_SHARDS %q, want both %d", ptrValue(sts.Spec.Replicas), env["HAWATCH_SHARDS"].Value, want.shards)
	}
	if idx := env["HAWATCH_SHARD_INDEX"]; idx.ValueFrom == nil || idx.ValueFrom.FieldRef == nil || idx.ValueFrom.FieldRef.FieldPath != podIndexPath {
		t.Errorf("HAWATCH_SHARD_INDEX must come from the pod index label, got %+v", idx)
	}
	if !selects(sts.Spec.Selector.MatchLabels, pod.Labels) {
		t.Errorf("StatefulSet selector %v does not select its pods %v", sts.Spec.Selector.MatchLabels, pod.Labels)
	}
	checkPorts(t, r, c, want.port)
	checkProbes(t, c)
	checkSecurity(t, pod.Spec, c)
	checkSecretsReferenced(t, pod.Spec, want.secrets)

	pdb := only(t, "PodDisruptionBudget", r.pdbs)
	if !selects(pdb.Spec.Selector.MatchLabels, pod.Labels) || pdb.Spec.MaxUnavailable == nil || *pdb.Spec.MaxUnavailable != intstr.FromInt32(1) {
		t.Errorf("PodDisruptionBudget %+v: want maxUnavailable 1 over the StatefulSet's pods", pdb.Spec)
	}
	if sa := only(t, "ServiceAccount", r.serviceAccounts); sa.Name != pod.Spec.ServiceAccountName {
		t.Errorf("pods run as %q, the chart creates %q", pod.Spec.ServiceAccountName, sa.Name)
	}
	checkPrometheusRule(t, only(t, "PrometheusRule", r.custom["PrometheusRule"]))
	checkConfigLoads(t, r, sts, want)
}

// checkPorts wants the one port of the values everywhere: container port,
// listen address, both Services, and the ServiceMonitor on a Service that
// selects the pods by the port's name.
func checkPorts(t *testing.T, r *rendered, c corev1.Container, port int32) {
	t.Helper()
	if len(c.Ports) != 1 || c.Ports[0].Name != "http" || c.Ports[0].ContainerPort != port {
		t.Errorf("container ports %+v, want http %d", c.Ports, port)
	}
	if _, p, err := net.SplitHostPort(envOf(c)["HAWATCH_LISTEN_ADDRESS"].Value); err != nil || p != strconv.Itoa(int(port)) {
		t.Errorf("HAWATCH_LISTEN_ADDRESS %q, want port %d", envOf(c)["HAWATCH_LISTEN_ADDRESS"].Value, port)
	}
	if len(r.services) != 2 {
		t.Fatalf("%d Services, want the headless one and the scraped one", len(r.services))
	}
	sts := r.statefulSets[0]
	var scraped *corev1.Service
	for _, svc := range r.services {
		if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != port || svc.Spec.Ports[0].TargetPort != intstr.FromString("http") {
			t.Errorf("Service %s ports %+v, want %d → http", svc.Name, svc.Spec.Ports, port)
		}
		if !selects(svc.Spec.Selector, sts.Spec.Template.Labels) {
			t.Errorf("Service %s does not select the pods", svc.Name)
		}
		if svc.Spec.ClusterIP == corev1.ClusterIPNone {
			if svc.Name != sts.Spec.ServiceName {
				t.Errorf("headless Service %s is not the StatefulSet's serviceName %s", svc.Name, sts.Spec.ServiceName)
			}
		} else {
			scraped = svc
		}
	}
	sm := only(t, "ServiceMonitor", r.custom["ServiceMonitor"])
	sel, _ := dig(sm, "spec", "selector", "matchLabels").(map[string]any)
	matchLabels := map[string]string{}
	for k, v := range sel {
		matchLabels[k], _ = v.(string)
	}
	if scraped == nil || !selects(matchLabels, scraped.Labels) {
		t.Errorf("ServiceMonitor selector %v does not select the scraped Service", matchLabels)
	}
	endpoints, _ := dig(sm, "spec", "endpoints").([]any)
	if len(endpoints) != 1 || dig(endpoints[0], "port") != "http" || dig(endpoints[0], "path") != "/metrics" {
		t.Errorf("ServiceMonitor endpoints %v, want /metrics on port http", endpoints)
	}
}

func checkProbes(t *testing.T, c corev1.Container) {
	t.Helper()
	for name, p := range map[string]*corev1.Probe{"/-/healthy": c.LivenessProbe, "/-/ready": c.ReadinessProbe} {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != name || p.HTTPGet.Port != intstr.FromString("http") {
			t.Errorf("probe for %s: got %+v, want GET %s on port http", name, p, name)
		}
	}
}

// checkSecurity wants the security settings of deploy/kubernetes.
func checkSecurity(t *testing.T, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	psc, sc := pod.SecurityContext, c.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod securityContext %+v: want runAsNonRoot and RuntimeDefault seccomp", psc)
	}
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
		sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0 {
		t.Errorf("container securityContext %+v: want read-only root, no privilege escalation, all capabilities dropped", sc)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the pod mounts a service account token; hawatch never calls the Kubernetes API")
	}
}

// checkSecretsReferenced wants each existing Secret of the values mounted
// with its keys, and no other.
func checkSecretsReferenced(t *testing.T, pod corev1.PodSpec, want map[string][]string) {
	t.Helper()
	got := map[string][]string{}
	for _, v := range pod.Volumes {
		if v.Secret != nil {
			t.Errorf("volume %s mounts Secret %s outside the config volume", v.Name, v.Secret.SecretName)
		}
		if v.Projected == nil {
			continue
		}
		for _, src := range v.Projected.Sources {
			if src.Secret == nil {
				continue
			}
			for _, item := range src.Secret.Items {
				got[src.Secret.Name] = append(got[src.Secret.Name], item.Key)
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Secrets referenced %v, want %v", got, want)
	}
}

// checkPrometheusRule wants the PrometheusRule's spec to be exactly the
// rule file, and the chart's copy of it byte for byte the same file.
func checkPrometheusRule(t *testing.T, pr map[string]any) {
	t.Helper()
	src, err := os.ReadFile(ruleFile)
	if err != nil {
		t.Fatal(err)
	}
	copied, err := os.ReadFile(chartDir + "/files/hawatch-rules.yml")
	if err != nil || !bytes.Equal(src, copied) {
		t.Fatalf("%s/files/hawatch-rules.yml differs from %s; run go generate ./deploy/helm", chartDir, ruleFile)
	}
	var want map[string]any
	if err := yaml.Unmarshal(src, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pr["spec"], any(want)) {
		t.Errorf("PrometheusRule spec is not %s", ruleFile)
	}
}

func envOf(c corev1.Container) map[string]corev1.EnvVar {
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	return env
}

// selects reports whether every label of sel is in set.
func selects(sel, set map[string]string) bool {
	return len(sel) > 0 && labels.SelectorFromSet(sel).Matches(labels.Set(set))
}

// dig walks a decoded YAML tree.
func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func ptrValue(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}
