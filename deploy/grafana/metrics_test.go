package grafana_test

import (
	"bufio"
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Where the metric names hawatch exports are read from, relative to this
// directory.
const (
	// goldenPath is the /metrics output recorded by the end-to-end test.
	goldenPath = "../../e2e/testdata/metrics.golden"
	// docsPath lists the exporter's metrics.
	docsPath = "../../docs/metrics.md"
	// alertsDir holds the alert engine and notifier, which register
	// metrics of their own.
	alertsDir = "../../alerts"
)

// knownMetrics are the metric names a dashboard query may use.
type knownMetrics struct {
	// exported are the names in the golden /metrics output; nil when the
	// file does not exist.
	exported map[string]bool
	// documented are the names in docs/metrics.md and the alerts package.
	documented map[string]bool
}

// loadKnownMetrics reads the golden output if there is one, and the
// documented names.
func loadKnownMetrics(t *testing.T) *knownMetrics {
	t.Helper()
	k := &knownMetrics{documented: map[string]bool{}}
	golden, err := os.ReadFile(goldenPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		t.Fatal(err)
	default:
		k.exported = expositionNames(golden)
	}
	docs, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatalf("reading the metrics reference: %v", err)
	}
	n := len(k.documented)
	for _, m := range docsTableRE.FindAllSubmatch(docs, -1) {
		k.documented[string(m[1])] = true
	}
	if len(k.documented) == n {
		t.Fatalf("%s lists no metric", docsPath)
	}
	alertNames := goMetricNames(t, alertsDir)
	for name := range alertNames {
		k.documented[name] = true
	}

	if k.exported != nil {
		t.Logf("metric names from %s (%d names), with %s and %s for metrics absent from it", goldenPath, len(k.exported), docsPath, alertsDir)
	} else {
		t.Logf("%s does not exist; metric names from %s and the metrics registered in %s (%d names)", goldenPath, docsPath, alertsDir, len(k.documented))
	}
	return k
}

// check reports whether a query may use the metric name.
func (k *knownMetrics) check(t *testing.T, where, name string) {
	t.Helper()
	switch {
	case k.exported[name]:
	case k.documented[name]:
		if k.exported != nil {
			t.Logf("%s: %s is documented but not in %s", where, name, goldenPath)
		}
	default:
		t.Errorf("%s: unknown metric %s", where, name)
	}
}

// docsTableRE matches the name cell of a row of a metrics table.
var docsTableRE = regexp.MustCompile("(?m)^\\| `(hawatch_[a-z0-9_]+)` \\|")

// expositionNames returns the names of the samples and metric families of
// a text or OpenMetrics exposition.
func expositionNames(data []byte) map[string]bool {
	names := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if f := strings.Fields(line); len(f) >= 4 && f[0] == "#" && f[1] == "TYPE" {
			names[f[2]] = true
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	return names
}

// goMetricNames returns the metric names that the non-test Go files of dir
// register, through prometheus.NewDesc or the Name of a metric's Opts, with
// the series names of histograms and summaries.
func goMetricNames(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s (%v)", dir, err)
	}
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatalf("parsing %s: %v", path, err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewDesc" && len(n.Args) > 0 {
					addLiteral(names, n.Args[0], false)
				}
			case *ast.CompositeLit:
				sel, ok := n.Type.(*ast.SelectorExpr)
				if !ok || !strings.HasSuffix(sel.Sel.Name, "Opts") {
					return true
				}
				for _, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Name") {
						addLiteral(names, kv.Value, sel.Sel.Name == "HistogramOpts" || sel.Sel.Name == "SummaryOpts")
					}
				}
			}
			return true
		})
	}
	return names
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// addLiteral adds the metric name in a string literal, and the series of a
// histogram or summary.
func addLiteral(names map[string]bool, e ast.Expr, distribution bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return
	}
	name, err := strconv.Unquote(lit.Value)
	if err != nil || !strings.HasPrefix(name, "hawatch_") {
		return
	}
	names[name] = true
	if distribution {
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			names[name+suffix] = true
		}
	}
}

func TestMetricSources(t *testing.T) {
	got := expositionNames([]byte(`# HELP hawatch_up Whether it is up.
# TYPE hawatch_up gauge
hawatch_up{pair="a"} 1
# TYPE hawatch_latency_seconds histogram
hawatch_latency_seconds_bucket{le="+Inf"} 0
hawatch_latency_seconds_count 0
hawatch_plain 3
`))
	for _, name := range []string{"hawatch_up", "hawatch_latency_seconds", "hawatch_latency_seconds_bucket", "hawatch_latency_seconds_count", "hawatch_plain"} {
		if !got[name] {
			t.Errorf("exposition: %s not found in %v", name, got)
		}
	}
	alerts := goMetricNames(t, alertsDir)
	for _, name := range []string{"hawatch_alert_active", "hawatch_failover_convergence_seconds"} {
		if !alerts[name] {
			t.Errorf("%s: %s not found among %v", alertsDir, name, alerts)
		}
	}
}
