package kubernetes_test

import (
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// podIndexField is the downward API path of the StatefulSet pod ordinal.
const podIndexField = "metadata.labels['apps.kubernetes.io/pod-index']"

func TestLoaderRejectsUnknownFieldsAndKinds(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":     "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec: {replica: 2}\n",
		"field case":        "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {clusterip: None}\n",
		"misplaced field":   "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nselector: {a: b}\n",
		"duplicate field":   "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\ndata: {c: d}\n",
		"wrong type":        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec: {replicas: two}\n",
		"field twice, case": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\nData: {c: d}\n",
		"nested case":       "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: 80, targetport: http}]}\n",
		"bad quantity":      "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: c, resources: {limits: {cpu: lots}}}]}}}\n",
		"bad base64":        "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata: {key: not base64!}\n",
		"metadata typo":     "apiVersion: v1\nkind: Namespace\nmetadata: {name: x, label: {a: b}}\n",
		"unknown kind":      "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n",
		"crd unknown field": "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: x}\nspec: {endpoints: [{portName: http}]}\n",
		"no kind":           "metadata: {name: x}\n",
	} {
		t.Run(name, func(t *testing.T) {
			if err := new(manifests).add("test.yaml", []byte(doc)); err == nil {
				t.Errorf("document accepted:\n%s", doc)
			}
		})
	}
	m := new(manifests)
	stream := "# comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns-a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns-b}\n---\n"
	if err := m.add("test.yaml", []byte(stream)); err != nil {
		t.Fatalf("comment-only and trailing documents: %v", err)
	}
	if len(m.namespaces) != 2 || m.namespaces[1].Name != "ns-b" {
		t.Errorf("got namespaces %+v, want ns-a and ns-b", m.namespaces)
	}
}

func TestKustomizationListsEveryFile(t *testing.T) {
	m := mustLoad(t)
	k := m.kustomization
	if k == nil {
		t.Fatal("no kustomization.yaml")
	}
	want := slices.DeleteFunc(slices.Clone(m.files), func(f string) bool {
		return f == "kustomization.yaml" || strings.HasSuffix(f, exampleSuffix)
	})
	got := slices.Sorted(slices.Values(k.Resources))
	if !slices.Equal(got, want) {
		t.Errorf("kustomization resources %v, want every manifest file %v", got, want)
	}
	ns := only(t, "Namespace", m.namespaces)
	if errs := nameErrors("Namespace", ns.Name); len(errs) > 0 {
		t.Errorf("Namespace %q: %s", ns.Name, strings.Join(errs, "; "))
	}
	if k.Namespace != ns.Name {
		t.Errorf("kustomization namespace %q, Namespace object %q", k.Namespace, ns.Name)
	}
	for kind, objs := range m.namespaced() {
		for _, o := range objs {
			if o.GetNamespace() != ns.Name {
				t.Errorf("%s %s: namespace %q, want %q", kind, o.GetName(), o.GetNamespace(), ns.Name)
			}
			if errs := nameErrors(kind, o.GetName()); len(errs) > 0 {
				t.Errorf("%s %q: %s", kind, o.GetName(), strings.Join(errs, "; "))
			}
		}
	}
}

func TestStatefulSetReferences(t *testing.T) {
	m := mustLoad(t)
	sts := only(t, "StatefulSet", m.statefulSets)
	pod := &sts.Spec.Template
	if err := selects(sts.Spec.Selector, pod.Labels); err != nil {
		t.Errorf("StatefulSet selector and pod template labels: %v", err)
	}
	if svc := m.service(sts.Spec.ServiceName); svc == nil || svc.Spec.ClusterIP != "None" {
		t.Errorf("serviceName %q is not a headless Service of the manifests", sts.Spec.ServiceName)
	}
	if m.serviceAccount(pod.Spec.ServiceAccountName) == nil {
		t.Errorf("serviceAccountName %q not found", pod.Spec.ServiceAccountName)
	}
	c := only(t, "container", pod.Spec.Containers)
	env := envOf(t, c)

	if sts.Spec.Replicas == nil {
		t.Fatal("replicas not set")
	}
	if replicas := strconv.Itoa(int(*sts.Spec.Replicas)); replicas != env["HAWATCH_SHARDS"].Value {
		t.Errorf("HAWATCH_SHARDS %q differs from replicas %s", env["HAWATCH_SHARDS"].Value, replicas)
	}
	idx := env["HAWATCH_SHARD_INDEX"]
	if idx.ValueFrom == nil || idx.ValueFrom.FieldRef == nil || idx.ValueFrom.FieldRef.FieldPath != podIndexField {
		t.Errorf("HAWATCH_SHARD_INDEX must come from fieldRef %s, got %+v", podIndexField, idx)
	}
	if env["HAWATCH_ALERTMANAGER_URLS"].Value == "" {
		t.Error("HAWATCH_ALERTMANAGER_URLS not set")
	}

	port := portNamed(c, "http")
	if port == nil || port.ContainerPort != 10869 {
		t.Fatalf("container port http: got %+v, want 10869", port)
	}
	listen := env["HAWATCH_LISTEN_ADDRESS"].Value
	if _, p, err := net.SplitHostPort(listen); err != nil || p != strconv.Itoa(int(port.ContainerPort)) {
		t.Errorf("HAWATCH_LISTEN_ADDRESS %q does not listen on the container port %d", listen, port.ContainerPort)
	}
	for name, want := range map[string]string{"liveness": "/-/healthy", "readiness": "/-/ready"} {
		p := c.LivenessProbe
		if name == "readiness" {
			p = c.ReadinessProbe
		}
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != want || p.HTTPGet.Port != intstr.FromString("http") {
			t.Errorf("%s probe: want GET %s on port http, got %+v", name, want, p)
		}
	}
	checkMounts(t, m, sts, c, env)
}

// envOf returns the container's environment by name, failing on duplicates.
func envOf(t *testing.T, c corev1.Container) map[string]corev1.EnvVar {
	t.Helper()
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		if _, dup := env[e.Name]; dup {
			t.Errorf("env %s set twice", e.Name)
		}
		env[e.Name] = e
	}
	return env
}

func portNamed(c corev1.Container, name string) *corev1.ContainerPort {
	i := slices.IndexFunc(c.Ports, func(p corev1.ContainerPort) bool { return p.Name == name })
	if i < 0 {
		return nil
	}
	return &c.Ports[i]
}

// checkMounts checks that every mount names a volume, that the ConfigMaps,
// Secrets and keys the volumes name exist, and that the config file and the
// data directory of the environment are on the right volumes.
func checkMounts(t *testing.T, m *manifests, sts *appsv1.StatefulSet, c corev1.Container, env map[string]corev1.EnvVar) {
	t.Helper()
	volumes := map[string]bool{}
	for _, v := range sts.Spec.Template.Spec.Volumes {
		volumes[v.Name] = true
		for _, f := range projectedFiles(m, v) {
			if f.missing {
				t.Errorf("volume %s: %s", v.Name, f.source)
			}
		}
	}
	claims := map[string]bool{}
	for _, pvc := range sts.Spec.VolumeClaimTemplates {
		claims[pvc.Name] = true
	}
	for _, vm := range c.VolumeMounts {
		if !volumes[vm.Name] && !claims[vm.Name] {
			t.Errorf("volume mount %s names no volume or volume claim template", vm.Name)
		}
	}

	files := podFiles(m, sts, c)
	if _, ok := files[env["HAWATCH_CONFIG_FILE"].Value]; !ok {
		t.Errorf("HAWATCH_CONFIG_FILE %q is no file of a mounted volume; mounted: %v", env["HAWATCH_CONFIG_FILE"].Value, keys(files))
	}
	dataDir := env["HAWATCH_DATA_DIR"].Value
	i := slices.IndexFunc(c.VolumeMounts, func(vm corev1.VolumeMount) bool { return vm.MountPath == dataDir })
	if i < 0 || !claims[c.VolumeMounts[i].Name] || c.VolumeMounts[i].ReadOnly {
		t.Errorf("HAWATCH_DATA_DIR %q is not a writable mount of a volume claim template", dataDir)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestServicesSelectThePods(t *testing.T) {
	m := mustLoad(t)
	sts := only(t, "StatefulSet", m.statefulSets)
	c := only(t, "container", sts.Spec.Template.Spec.Containers)
	if len(m.services) == 0 {
		t.Fatal("no Service")
	}
	for _, svc := range m.services {
		if err := selectsMap(svc.Spec.Selector, sts.Spec.Template.Labels); err != nil {
			t.Errorf("Service %s and the pods: %v", svc.Name, err)
		}
		if len(svc.Spec.Ports) == 0 {
			t.Errorf("Service %s has no ports", svc.Name)
		}
		for _, p := range svc.Spec.Ports {
			cp := portNamed(c, p.TargetPort.StrVal)
			if p.TargetPort.Type != intstr.String || cp == nil || protocolOf(&cp.Protocol) != protocolOf(&p.Protocol) {
				t.Errorf("Service %s port %s: targetPort %s is not a named container port of protocol %s", svc.Name, p.Name, p.TargetPort.String(), protocolOf(&p.Protocol))
			}
		}
	}
}

func TestServiceMonitorSelectsTheScrapeService(t *testing.T) {
	m := mustLoad(t)
	sm := only(t, "ServiceMonitor", m.serviceMonitors)
	if sm.Spec.NamespaceSelector != nil {
		t.Errorf("ServiceMonitor namespaceSelector %+v: the Service is in the ServiceMonitor's namespace", sm.Spec.NamespaceSelector)
	}
	var selected []*corev1.Service
	for _, svc := range m.services {
		if svc.Namespace == sm.Namespace && selects(&sm.Spec.Selector, svc.Labels) == nil {
			selected = append(selected, svc)
		}
	}
	// Selecting the headless Service as well would scrape every pod twice.
	svc := only(t, "Service selected by the ServiceMonitor", selected)
	if svc.Spec.ClusterIP == "None" {
		t.Errorf("ServiceMonitor selects the headless Service %s", svc.Name)
	}
	if len(sm.Spec.Endpoints) == 0 {
		t.Fatal("ServiceMonitor has no endpoints")
	}
	for _, ep := range sm.Spec.Endpoints {
		if !slices.ContainsFunc(svc.Spec.Ports, func(p corev1.ServicePort) bool { return p.Name == ep.Port }) {
			t.Errorf("endpoint port %q is no port of Service %s", ep.Port, svc.Name)
		}
		if ep.Path != "/metrics" {
			t.Errorf("endpoint path %q, want /metrics", ep.Path)
		}
		checkScrapeDurations(t, ep)
	}
}

func TestServiceAccountHasIRSARole(t *testing.T) {
	m := mustLoad(t)
	sa := only(t, "ServiceAccount", m.serviceAccounts)
	arn := sa.Annotations["eks.amazonaws.com/role-arn"]
	if !strings.HasPrefix(arn, "arn:aws:iam::") || !strings.Contains(arn, ":role/") {
		t.Errorf("eks.amazonaws.com/role-arn %q is not an IAM role ARN", arn)
	}
}
