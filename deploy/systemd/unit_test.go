package systemd_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const unitFile = "hawatch.service"

// unit is a parsed systemd unit: section → key → values, in order (a key
// may be given more than once).
type unit map[string]map[string][]string

// parseUnit reads a unit file as systemd does: sections, key=value lines,
// comments, and no line continuations (the file uses none).
func parseUnit(t *testing.T, path string) unit {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unit{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			u[section] = map[string][]string{}
		case strings.HasSuffix(line, "\\"):
			t.Fatalf("%s:%d: line continuation not expected", path, n)
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: not key=value in a section: %q", path, n, line)
			}
			u[section][k] = append(u[section][k], v)
		}
	}
	return u
}

// last returns the value of a key as systemd uses it: the last one given.
func (u unit) last(section, key string) string {
	v := u[section][key]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// TestUnitHardening wants the sandboxing that hawatch can live with: no
// privileges, a read-only system, only IP and Unix sockets, the
// system-service system calls, and its own state directory as the
// journal.
func TestUnitHardening(t *testing.T) {
	u := parseUnit(t, unitFile)
	want := map[string]string{
		"NoNewPrivileges":         "yes",
		"CapabilityBoundingSet":   "",
		"AmbientCapabilities":     "",
		"ProtectSystem":           "strict",
		"ProtectHome":             "yes",
		"PrivateTmp":              "yes",
		"PrivateDevices":          "yes",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"StateDirectory":          "hawatch",
		"User":                    "hawatch",
		"EnvironmentFile":         "/etc/hawatch/hawatch.env",
		"Environment":             "HAWATCH_DATA_DIR=%S/hawatch",
		"ExecStart":               "/usr/bin/hawatch run",
		"ExecReload":              "/bin/kill -HUP $MAINPID",
		"UMask":                   "0077",
	}
	for k, v := range want {
		if got, set := u["Service"][k]; !set || u.last("Service", k) != v {
			t.Errorf("[Service] %s=%q, want %q", k, got, v)
		}
	}
	if filters := u["Service"]["SystemCallFilter"]; len(filters) == 0 || filters[0] != "@system-service" {
		t.Errorf("SystemCallFilter %q: want @system-service first", filters)
	}
	if u.last("Install", "WantedBy") != "multi-user.target" {
		t.Errorf("[Install] WantedBy=%q, want multi-user.target", u.last("Install", "WantedBy"))
	}
	// ProtectSystem=strict makes everything read-only: the journal must be
	// the state directory systemd makes writable.
	if !strings.HasPrefix(u.last("Service", "Environment"), "HAWATCH_DATA_DIR=%S/"+u.last("Service", "StateDirectory")) {
		t.Error("HAWATCH_DATA_DIR is not the StateDirectory")
	}
}

// TestUnitWithSystemdAnalyze runs systemd's own checks where systemd is
// installed: `verify` for syntax and directives, `security --offline` for
// the exposure score. ExecStart points at /bin/true in the copy checked,
// since verify wants an executable and hawatch is not installed here.
func TestUnitWithSystemdAnalyze(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	data, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), unitFile)
	unitText := strings.Replace(string(data), "ExecStart=/usr/bin/hawatch run", "ExecStart=/bin/true", 1)
	if err := os.WriteFile(copyPath, []byte(unitText), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", copyPath).CombinedOutput()
	// verify complains about dependencies that do not exist on this
	// machine; only complaints about this unit count.
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.Contains(line, unitFile) {
			t.Errorf("systemd-analyze verify: %s", line)
		}
	}
	if err != nil && !t.Failed() {
		t.Logf("systemd-analyze verify exited with %v:\n%s", err, out)
	}

	out, err = exec.Command(analyze, "security", "--offline=true", "--no-pager", copyPath).CombinedOutput()
	if err != nil && len(out) == 0 {
		t.Skipf("systemd-analyze security --offline unsupported: %v", err)
	}
	m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in systemd-analyze security output:\n%s", out)
	}
	// systemd rates 0–10; below 2 is "OK", the best band it names.
	if level, _ := strconv.ParseFloat(string(m[1]), 64); level >= 2 {
		t.Errorf("exposure level %.1f, want below 2.0:\n%s", level, out)
	}
}

// TestEnvFileExample wants the example settings to name only HAWATCH_
// variables the README documents and to leave the secret a placeholder.
func TestEnvFileExample(t *testing.T) {
	data, err := os.ReadFile("hawatch.env")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "#")
		k, _, ok := strings.Cut(line, "=")
		if !ok || !regexp.MustCompile(`^HAWATCH_[A-Z0-9_]+$`).MatchString(k) {
			continue
		}
		names = append(names, k)
		if !strings.Contains(string(readme), k) {
			t.Errorf("hawatch.env sets %s, which the README does not document", k)
		}
	}
	if !slices.Contains(names, "HAWATCH_PANOS_API_KEY") || !slices.Contains(names, "HAWATCH_CONFIG_FILE") {
		t.Errorf("hawatch.env names %v; want the single-pair key and the config file alternative", names)
	}
}
