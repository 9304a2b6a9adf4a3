package kubernetes_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// manifests are the decoded objects of the YAML files of a directory.
type manifests struct {
	files []string // base names of the YAML files read

	kustomization   *kustomization
	namespaces      []*namespace
	serviceAccounts []*serviceAccount
	configMaps      []*configMap
	secrets         []*secret
	services        []*service
	statefulSets    []*statefulSet
	networkPolicies []*networkPolicy
	serviceMonitors []*serviceMonitor
	prometheusRules []*prometheusRule
}

// kinds maps apiVersion and kind to a new object of the type a document of
// that kind is decoded into. Any other kind is an error.
var kinds = map[string]func() any{
	"kustomize.config.k8s.io/v1beta1/Kustomization": func() any { return new(kustomization) },
	"v1/Namespace":                            func() any { return new(namespace) },
	"v1/ServiceAccount":                       func() any { return new(serviceAccount) },
	"v1/ConfigMap":                            func() any { return new(configMap) },
	"v1/Secret":                               func() any { return new(secret) },
	"v1/Service":                              func() any { return new(service) },
	"apps/v1/StatefulSet":                     func() any { return new(statefulSet) },
	"networking.k8s.io/v1/NetworkPolicy":      func() any { return new(networkPolicy) },
	"monitoring.coreos.com/v1/ServiceMonitor": func() any { return new(serviceMonitor) },
	"monitoring.coreos.com/v1/PrometheusRule": func() any { return new(prometheusRule) },
}

// loadManifests decodes every document of every .yaml and .yml file in dir.
func loadManifests(dir string) (*manifests, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	m := &manifests{}
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
		if err := m.addDocument(doc); err != nil {
			return fmt.Errorf("%s: document %d: %w", file, i+1, err)
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
// unknown and duplicate fields are errors.
func (m *manifests) addDocument(doc []byte) error {
	var tm typeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return err
	}
	if tm.APIVersion == "" && tm.Kind == "" {
		var rest map[string]any
		if err := yaml.Unmarshal(doc, &rest); err != nil || len(rest) > 0 {
			return errors.New("document without apiVersion and kind")
		}
		return nil // only comments
	}
	newObject, ok := kinds[tm.APIVersion+"/"+tm.Kind]
	if !ok {
		return fmt.Errorf("unexpected kind %s %s", tm.APIVersion, tm.Kind)
	}
	obj := newObject()
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		return fmt.Errorf("%s: %w", tm.Kind, err)
	}
	j, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return err
	}
	if err := exactKeys(j, obj); err != nil {
		return fmt.Errorf("%s: %w", tm.Kind, err)
	}
	switch o := obj.(type) {
	case *kustomization:
		if m.kustomization != nil {
			return errors.New("more than one Kustomization")
		}
		m.kustomization = o
	case *namespace:
		m.namespaces = append(m.namespaces, o)
	case *serviceAccount:
		m.serviceAccounts = append(m.serviceAccounts, o)
	case *configMap:
		m.configMaps = append(m.configMaps, o)
	case *secret:
		m.secrets = append(m.secrets, o)
	case *service:
		m.services = append(m.services, o)
	case *statefulSet:
		m.statefulSets = append(m.statefulSets, o)
	case *networkPolicy:
		m.networkPolicies = append(m.networkPolicies, o)
	case *serviceMonitor:
		m.serviceMonitors = append(m.serviceMonitors, o)
	case *prometheusRule:
		m.prometheusRules = append(m.prometheusRules, o)
	}
	return nil
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
func find[T any](objs []*T, meta func(*T) objectMeta, name string) *T {
	i := slices.IndexFunc(objs, func(o *T) bool { return meta(o).Name == name })
	if i < 0 {
		return nil
	}
	return objs[i]
}

func (m *manifests) configMap(name string) *configMap {
	return find(m.configMaps, func(o *configMap) objectMeta { return o.Meta }, name)
}

func (m *manifests) secret(name string) *secret {
	return find(m.secrets, func(o *secret) objectMeta { return o.Meta }, name)
}

func (m *manifests) service(name string) *service {
	return find(m.services, func(o *service) objectMeta { return o.Meta }, name)
}

func (m *manifests) serviceAccount(name string) *serviceAccount {
	return find(m.serviceAccounts, func(o *serviceAccount) objectMeta { return o.Meta }, name)
}

// secretValue returns a key of a Secret as the API server would store it,
// from data or stringData.
func secretValue(s *secret, key string) (string, bool) {
	if v, ok := s.StringData[key]; ok {
		return v, true
	}
	v, ok := s.Data[key]
	return string(v), ok
}

// allObjectMeta returns the metadata of every namespaced object with its kind.
func (m *manifests) allObjectMeta() map[string][]objectMeta {
	out := map[string][]objectMeta{}
	add := func(kind string, om objectMeta) { out[kind] = append(out[kind], om) }
	for _, o := range m.serviceAccounts {
		add("ServiceAccount", o.Meta)
	}
	for _, o := range m.configMaps {
		add("ConfigMap", o.Meta)
	}
	for _, o := range m.secrets {
		add("Secret", o.Meta)
	}
	for _, o := range m.services {
		add("Service", o.Meta)
	}
	for _, o := range m.statefulSets {
		add("StatefulSet", o.Meta)
	}
	for _, o := range m.networkPolicies {
		add("NetworkPolicy", o.Meta)
	}
	for _, o := range m.serviceMonitors {
		add("ServiceMonitor", o.Meta)
	}
	for _, o := range m.prometheusRules {
		add("PrometheusRule", o.Meta)
	}
	return out
}

// selects reports whether the non-empty selector matches the labels.
func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// dns1123Subdomain is the form of most Kubernetes object names.
var dns1123Subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// quantityRE matches the resource quantities used here: a decimal number
// with an optional decimal or binary suffix.
var quantityRE = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$`)

// parseQuantity returns the value of a resource quantity.
func parseQuantity(q string) (float64, error) {
	m := quantityRE.FindStringSubmatch(q)
	if m == nil {
		return 0, fmt.Errorf("quantity %q not understood", q)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, err
	}
	mult := map[string]float64{
		"": 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
		"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40,
	}[m[2]]
	return v * mult, nil
}
