package exporter

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/scheduler"
)

// TestDocsMatchDescriptors checks that docs/metrics.md lists every metric
// the collector can emit with its exact HELP text, and no metric it cannot.
func TestDocsMatchDescriptors(t *testing.T) {
	raw, err := os.ReadFile("../docs/metrics.md")
	if err != nil {
		t.Fatalf("read metrics reference: %v", err)
	}
	doc := string(raw)
	row := regexp.MustCompile("(?m)^\\| `(hawatch_[a-z_]+)` \\|.*\\| ([^|]+) \\|$")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(doc, -1) {
		documented[m[1]] = strings.TrimSpace(m[2])
	}
	descRe := regexp.MustCompile(`fqName: "([^"]+)", help: "([^"]+)"`)
	described := map[string]bool{}
	check := func(name, help string) {
		described[name] = true
		got, ok := documented[name]
		if !ok {
			t.Errorf("%s is not in docs/metrics.md", name)
			return
		}
		if got != help {
			t.Errorf("%s: HELP differs\n  doc: %s\n code: %s", name, got, help)
		}
	}
	for _, d := range newDescs().all {
		m := descRe.FindStringSubmatch(d.String())
		if m == nil {
			t.Fatalf("cannot read descriptor %s", d)
		}
		check(m[1], m[2])
	}
	// The scheduler's own metrics are listed with the polling ones.
	reg := prometheus.NewRegistry()
	scheduler.New(scheduler.Options{Registerer: reg})
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		check(mf.GetName(), mf.GetHelp())
	}
	// The alerts package documents its own metrics in the same file.
	alertsSection := doc[strings.Index(doc, "### Alerts and notifications"):]
	for name := range documented {
		if !described[name] && name != "hawatch_build_info" && !strings.Contains(alertsSection, "`"+name+"`") {
			t.Errorf("docs/metrics.md lists %s, which the exporter does not emit", name)
		}
	}
}
