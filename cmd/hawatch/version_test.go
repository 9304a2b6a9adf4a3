package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/version"
)

// restoreVersion puts prometheus/common/version back after a test.
func restoreVersion(t *testing.T) {
	v, r := version.Version, version.Revision
	t.Cleanup(func() { version.Version, version.Revision = v, r })
}

// TestStampVersionFromBuildInfo: without -ldflags the module version and
// the VCS revision come from the build information, and `hawatch version`
// and hawatch_build_info agree on them.
func TestStampVersionFromBuildInfo(t *testing.T) {
	restoreVersion(t)
	version.Version, version.Revision = "", ""
	stampVersion(&debug.BuildInfo{
		Main: debug.Module{Path: "github.com/hawatch/hawatch", Version: "v1.4.2"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.modified", Value: "true"},
		},
	}, true)
	const rev = "0123456789abcdef0123456789abcdef01234567-modified"
	var out bytes.Buffer
	if code := run([]string{"version"}, &out, &bytes.Buffer{}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if want := "hawatch, version 1.4.2 (branch: , revision: " + rev + ")"; !strings.HasPrefix(out.String(), want) {
		t.Errorf("version output %q, want it to start with %q", out.String(), want)
	}
	if !strings.Contains(version.Info(), "version=1.4.2") || !strings.Contains(version.Info(), "revision="+rev) {
		t.Errorf("startup log's version.Info() = %q", version.Info())
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(versioncollector.NewCollector("hawatch"))
	n, err := testutil.GatherAndCount(reg, "hawatch_build_info")
	if err != nil || n != 1 {
		t.Fatalf("hawatch_build_info: %d series, %v", n, err)
	}
	mfs, _ := reg.Gather()
	labels := map[string]string{}
	for _, lp := range mfs[0].GetMetric()[0].GetLabel() {
		labels[lp.GetName()] = lp.GetValue()
	}
	if labels["version"] != "1.4.2" || labels["revision"] != rev {
		t.Errorf("hawatch_build_info labels %v, want version 1.4.2 and revision %s", labels, rev)
	}
}

// TestStampVersionKeepsLdflags: a version stamped at link time wins; a
// local build without a module version says devel.
func TestStampVersionKeepsLdflags(t *testing.T) {
	restoreVersion(t)
	version.Version, version.Revision = "2.0.0", "abc"
	stampVersion(&debug.BuildInfo{Main: debug.Module{Version: "v1.0.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "def"}}}, true)
	if version.Version != "2.0.0" || version.Revision != "abc" {
		t.Errorf("stamped %s %s, want the ldflags' 2.0.0 abc", version.Version, version.Revision)
	}
	version.Version, version.Revision = "", ""
	stampVersion(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true)
	if version.Version != "devel" {
		t.Errorf("local build: version %q, want devel", version.Version)
	}
}
