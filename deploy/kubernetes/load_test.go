package kubernetes_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// manifests are the decoded objects of the YAML files of a directory.
type manifests struct {
	files []string // base names of the YAML files read
	// kindsOf lists the kinds of the documents of each file, in order.
	kindsOf map[string][]string

	kustomization     *kustomization
	namespaces        []*corev1.Namespace
	serviceAccounts   []*corev1.ServiceAccount
	configMaps        []*corev1.ConfigMap
	secrets           []*corev1.Secret
	services          []*corev1.Service
	statefulSets      []*appsv1.StatefulSet
	networkPolicies   []*networkingv1.NetworkPolicy
	disruptionBudgets []*policyv1.PodDisruptionBudget
	serviceMonitors   []*serviceMonitor
	prometheusRules   []*prometheusRule
}

// kinds maps apiVersion and kind to a new object of the type a document of
// that kind is decoded into. Any other kind is an error.
var kinds = map[string]func() any{
	"kustomize.config.k8s.io/v1beta1/Kustomization": func() any { return new(kustomization) },
	"v1/Namespace":                            func() any { return new(corev1.Namespace) },
	"v1/ServiceAccount":                       func() any { return new(corev1.ServiceAccount) },
	"v1/ConfigMap":                            func() any { return new(corev1.ConfigMap) },
	"v1/Secret":                               func() any { return new(corev1.Secret) },
	"v1/Service":                              func() any { return new(corev1.Service) },
	"apps/v1/StatefulSet":                     func() any { return new(appsv1.StatefulSet) },
	"networking.k8s.io/v1/NetworkPolicy":      func() any { return new(networkingv1.NetworkPolicy) },
	"policy/v1/PodDisruptionBudget":           func() any { return new(policyv1.PodDisruptionBudget) },
	"monitoring.coreos.com/v1/ServiceMonitor": func() any { return new(serviceMonitor) },
	"monitoring.coreos.com/v1/PrometheusRule": func() any { return new(prometheusRule) },
}

// loadManifests decodes every document of every .yaml and .yml file in dir.
func loadManifests(dir string) (*manifests, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	m := &manifests{kindsOf: map[string][]string{}}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		m.files = append(m.files, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if err := m.add(e.Name(), data); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// add decodes the documents of one file, split as kubectl splits them: at
// lines that start with "---".
func (m *manifests) add(file string, data []byte) error {
	for i, doc := range splitDocuments(data) {
		kind, err := m.addDocument(doc)
		if err != nil {
			return fmt.Errorf("%s: document %d: %w", file, i+1, err)
		}
		if kind != "" && m.kindsOf != nil {
			m.kindsOf[file] = append(m.kindsOf[file], kind)
		}
	}
	return nil
}

// splitDocuments splits a multi-document YAML stream.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if trimmed := strings.TrimRight(line, " \t"); trimmed == "---" || strings.HasPrefix(line, "--- ") {
			docs = append(docs, bytes.Clone(cur.Bytes()))
			cur.Reset()
			continue
		}
		cur.WriteString(line + "\n")
	}
	return append(docs, cur.Bytes())
}

// addDocument decodes one document strictly into the type of its kind:
// unknown, duplicate and miscased fields are errors. It returns the kind,
// empty for a document of comments only.
func (m *manifests) addDocument(doc []byte) (string, error) {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return "", err
	}
	if tm.APIVersion == "" && tm.Kind == "" {
		var rest map[string]any
		if err := yaml.Unmarshal(doc, &rest); err != nil || len(rest) > 0 {
			return "", errors.New("document without apiVersion and kind")
		}
		return "", nil // only comments
	}
	newObject, ok := kinds[tm.APIVersion+"/"+tm.Kind]
	if !ok {
		return "", fmt.Errorf("unexpected kind %s %s", tm.APIVersion, tm.Kind)
	}
	obj := newObject()
	if err := decodeStrict(doc, obj); err != nil {
		return "", fmt.Errorf("%s: %w", tm.Kind, err)
	}
	switch o := obj.(type) {
	case *kustomization:
		if m.kustomization != nil {
			return "", errors.New("more than one Kustomization")
		}
		m.kustomization = o
	case *corev1.Namespace:
		m.namespaces = append(m.namespaces, o)
	case *corev1.ServiceAccount:
		m.serviceAccounts = append(m.serviceAccounts, o)
	case *corev1.ConfigMap:
		m.configMaps = append(m.configMaps, o)
	case *corev1.Secret:
		m.secrets = append(m.secrets, o)
	case *corev1.Service:
		m.services = append(m.services, o)
	case *appsv1.StatefulSet:
		m.statefulSets = append(m.statefulSets, o)
	case *networkingv1.NetworkPolicy:
		m.networkPolicies = append(m.networkPolicies, o)
	case *policyv1.PodDisruptionBudget:
		m.disruptionBudgets = append(m.disruptionBudgets, o)
	case *serviceMonitor:
		m.serviceMonitors = append(m.serviceMonitors, o)
	case *prometheusRule:
		m.prometheusRules = append(m.prometheusRules, o)
	}
	return tm.Kind, nil
}

// mustLoad loads the manifests of this directory or ends the test.
func mustLoad(t *testing.T) *manifests {
	t.Helper()
	m, err := loadManifests(".")
	if err != nil {
		t.Fatalf("loading manifests: %v", err)
	}
	return m
}

// only returns the single element of objs or ends the test.
func only[T any](t *testing.T, kind string, objs []T) T {
	t.Helper()
	if len(objs) != 1 {
		t.Fatalf("want exactly one %s, got %d", kind, len(objs))
	}
	return objs[0]
}

// find returns the object of the given name, or nil.
func find[T metav1.Object](objs []T, name string) T {
	var none T
	i := slices.IndexFunc(objs, func(o T) bool { return o.GetName() == name })
	if i < 0 {
		return none
	}
	return objs[i]
}

func (m *manifests) configMap(name string) *corev1.ConfigMap { return find(m.configMaps, name) }

func (m *manifests) secret(name string) *corev1.Secret { return find(m.secrets, name) }

func (m *manifests) service(name string) *corev1.Service { return find(m.services, name) }

func (m *manifests) serviceAccount(name string) *corev1.ServiceAccount {
	return find(m.serviceAccounts, name)
}

// secretValue returns a key of a Secret as the API server would store it:
// stringData wins over data.
func secretValue(s *corev1.Secret, key string) (string, bool) {
	if v, ok := s.StringData[key]; ok {
		return v, true
	}
	v, ok := s.Data[key]
	return string(v), ok
}

// namespaced returns every namespaced object by kind.
func (m *manifests) namespaced() map[string][]metav1.Object {
	out := map[string][]metav1.Object{}
	add := func(kind string, objs ...metav1.Object) { out[kind] = append(out[kind], objs...) }
	for _, o := range m.serviceAccounts {
		add("ServiceAccount", o)
	}
	for _, o := range m.configMaps {
		add("ConfigMap", o)
	}
	for _, o := range m.secrets {
		add("Secret", o)
	}
	for _, o := range m.services {
		add("Service", o)
	}
	for _, o := range m.statefulSets {
		add("StatefulSet", o)
	}
	for _, o := range m.networkPolicies {
		add("NetworkPolicy", o)
	}
	for _, o := range m.disruptionBudgets {
		add("PodDisruptionBudget", o)
	}
	for _, o := range m.serviceMonitors {
		add("ServiceMonitor", o)
	}
	for _, o := range m.prometheusRules {
		add("PrometheusRule", o)
	}
	return out
}

// nameErrors returns what the API server would find wrong with the name of
// an object of the kind: Services and Namespaces have DNS labels for
// names, the other kinds here DNS subdomains.
func nameErrors(kind, name string) []string {
	switch kind {
	case "Service":
		return validation.IsDNS1035Label(name)
	case "Namespace":
		return validation.IsDNS1123Label(name)
	}
	return validation.IsDNS1123Subdomain(name)
}
