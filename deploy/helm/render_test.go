package helm_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

const (
	chartDir = "hawatch"
	// kubeVersion is passed to helm template: the chart needs 1.28 or
	// later (the pod-index label), and helm's offline default is older.
	kubeVersion = "1.32.0"
)

// helmBinary finds helm on PATH or where scripts/install-test-deps.sh
// puts it, or skips the test.
func helmBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("helm"); err == nil {
		return p
	}
	if gopath, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(gopath)), "bin", "helm")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("helm not installed (scripts/install-test-deps.sh installs it)")
	return ""
}

// runHelm runs helm with its state kept in a temporary directory, so that
// the user's repositories and plugins play no part.
func runHelm(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(helmBinary(t), args...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HELM_CONFIG_HOME="+home, "HELM_CACHE_HOME="+home, "HELM_DATA_HOME="+home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("helm %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// rendered are the objects of one helm template run, decoded strictly.
type rendered struct {
	kinds           []string // in output order
	configMaps      []*corev1.ConfigMap
	services        []*corev1.Service
	serviceAccounts []*corev1.ServiceAccount
	statefulSets    []*appsv1.StatefulSet
	pdbs            []*policyv1.PodDisruptionBudget
	// custom holds the prometheus-operator objects by kind, as plain trees.
	custom map[string][]map[string]any
}

// render runs helm template on the chart with the values files given.
func render(t *testing.T, valuesFiles ...string) *rendered {
	t.Helper()
	args := []string{"template", "hawatch", chartDir, "--namespace", "monitoring", "--kube-version", kubeVersion}
	for _, f := range valuesFiles {
		args = append(args, "--values", f)
	}
	out, err := runHelm(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	r := &rendered{custom: map[string][]map[string]any{}}
	for i, doc := range splitDocuments(out) {
		if err := r.add(doc); err != nil {
			t.Fatalf("rendered document %d: %v\n%s", i+1, err, doc)
		}
	}
	return r
}

// add decodes one document into the API type of its kind; unknown or
// misplaced fields are errors, as they are for the API server.
func (r *rendered) add(doc []byte) error {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return err
	}
	if tm.Kind == "" {
		var rest map[string]any
		if err := yaml.Unmarshal(doc, &rest); err != nil || len(rest) > 0 {
			return errors.New("document without kind")
		}
		return nil
	}
	r.kinds = append(r.kinds, tm.Kind)
	var target any
	switch tm.APIVersion + "/" + tm.Kind {
	case "v1/ConfigMap":
		target = appendNew(&r.configMaps)
	case "v1/Service":
		target = appendNew(&r.services)
	case "v1/ServiceAccount":
		target = appendNew(&r.serviceAccounts)
	case "apps/v1/StatefulSet":
		target = appendNew(&r.statefulSets)
	case "policy/v1/PodDisruptionBudget":
		target = appendNew(&r.pdbs)
	case "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PrometheusRule":
		var tree map[string]any
		if err := yaml.Unmarshal(doc, &tree); err != nil {
			return err
		}
		r.custom[tm.Kind] = append(r.custom[tm.Kind], tree)
		return nil
	default:
		return fmt.Errorf("unexpected kind %s %s", tm.APIVersion, tm.Kind)
	}
	if err := yaml.UnmarshalStrict(doc, target); err != nil {
		return fmt.Errorf("%s: %w", tm.Kind, err)
	}
	return nil
}

// appendNew appends a new zero object to *list and returns it.
func appendNew[T any](list *[]*T) *T {
	v := new(T)
	*list = append(*list, v)
	return v
}

// splitDocuments splits a multi-document YAML stream at "---" lines.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimRight(line, " \t") == "---" || strings.HasPrefix(line, "--- ") {
			docs = append(docs, bytes.Clone(cur.Bytes()))
			cur.Reset()
			continue
		}
		cur.WriteString(line + "\n")
	}
	return append(docs, cur.Bytes())
}

// only returns the single element of objs or ends the test.
func only[T any](t *testing.T, kind string, objs []T) T {
	t.Helper()
	if len(objs) != 1 {
		t.Fatalf("want exactly one %s, got %d", kind, len(objs))
	}
	return objs[0]
}
