package systemd_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// testVersion is stamped by the release build under test; a pre-release,
// so that the packagers' version mapping (1.2.3~rc.1) is checked too.
const testVersion = "1.2.3-rc.1"

// packaged is what every package must hold: path → permission bits.
var packaged = map[string]os.FileMode{
	"/usr/bin/hawatch":                        0o755,
	"/usr/lib/systemd/system/hawatch.service": 0o644,
	"/etc/hawatch/hawatch.env":                0o600,
	"/etc/hawatch":                            0o750,
	"/usr/share/hawatch/hawatch-rules.yml":    0o644,
}

// release runs scripts/release.sh for this machine's architecture into a
// temporary directory and returns the paths of the deb and the rpm.
func release(t *testing.T) (deb, rpm string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a release; skipped with -short")
	}
	dist := t.TempDir()
	cmd := exec.Command("bash", "scripts/release.sh")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "VERSION="+testVersion, "ARCHES="+runtime.GOARCH, "DIST="+dist, "REVISION=0123abc")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/release.sh: %v\n%s", err, out)
	}
	debs, _ := filepath.Glob(filepath.Join(dist, "*.deb"))
	rpms, _ := filepath.Glob(filepath.Join(dist, "*.rpm"))
	if len(debs) != 1 || len(rpms) != 1 {
		t.Fatalf("release built debs %v and rpms %v, want one of each", debs, rpms)
	}
	return debs[0], rpms[0]
}

// TestPackages builds the release once and inspects both packages.
func TestPackages(t *testing.T) {
	deb, rpm := release(t)
	t.Run("deb", func(t *testing.T) { checkDeb(t, deb) })
	t.Run("rpm", func(t *testing.T) { checkRPM(t, rpm) })
}

func checkDeb(t *testing.T, deb string) {
	dpkgDeb, err := exec.LookPath("dpkg-deb")
	if err != nil {
		t.Skip("dpkg-deb not installed")
	}
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(dpkgDeb, args...).Output()
		if err != nil {
			t.Fatalf("dpkg-deb %s: %v", strings.Join(args, " "), err)
		}
		return string(out)
	}
	fields := strings.Fields(run("--field", deb, "Package", "Version", "Architecture"))
	if want := []string{"Package:", "hawatch", "Version:", "1.2.3~rc.1-1", "Architecture:", runtime.GOARCH}; strings.Join(fields, " ") != strings.Join(want, " ") {
		t.Errorf("control fields %v, want %v", fields, want)
	}
	if got := strings.TrimSpace(run("--info", deb, "conffiles")); got != "/etc/hawatch/hawatch.env" {
		t.Errorf("conffiles %q, want the settings file (kept on upgrade)", got)
	}
	checkScript(t, "postinst", run("--info", deb, "postinst"))

	// dpkg-deb -c lines: mode owner/group size date time ./path
	seen := map[string]bool{}
	for _, line := range strings.Split(run("--contents", deb), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		p := strings.TrimSuffix(strings.TrimPrefix(f[len(f)-1], "."), "/")
		want, ok := packaged[p]
		if !ok {
			continue
		}
		seen[p] = true
		if mode := modeString(want, strings.HasPrefix(f[0], "d")); f[0] != mode || f[1] != "root/root" {
			t.Errorf("%s: %s %s, want %s root/root", p, f[0], f[1], mode)
		}
	}
	for p := range packaged {
		if !seen[p] {
			t.Errorf("%s missing from the deb", p)
		}
	}

	root := t.TempDir()
	if out, err := exec.Command(dpkgDeb, "--extract", deb, root).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb --extract: %v\n%s", err, out)
	}
	sameFile(t, filepath.Join(root, "usr/lib/systemd/system/hawatch.service"), "hawatch.service")
	sameFile(t, filepath.Join(root, "etc/hawatch/hawatch.env"), "hawatch.env")
	out, err := exec.Command(filepath.Join(root, "usr/bin/hawatch"), "version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), testVersion) || !strings.Contains(string(out), "0123abc") {
		t.Errorf("packaged hawatch version: %v\n%s\nwant version %s and revision 0123abc stamped", err, out, testVersion)
	}
}

// rpmInfo is the JSON that tools/rpminfo prints.
type rpmInfo struct {
	Name, Version, Release, Arch string
	Files                        []struct {
		Name, Mode, User, Group string
		Dir, Config, NoReplace  bool
	}
	PostIn string
}

func checkRPM(t *testing.T, rpm string) {
	cmd := exec.Command("go", "run", "./rpminfo", rpm)
	cmd.Dir = "../../tools"
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tools/rpminfo: %v\n%s", err, stderr.String())
	}
	var info rpmInfo
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatal(err)
	}
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	if info.Name != "hawatch" || info.Version != "1.2.3~rc.1" || info.Release != "1" || info.Arch != arch {
		t.Errorf("rpm %s-%s-%s.%s, want hawatch-1.2.3~rc.1-1.%s", info.Name, info.Version, info.Release, info.Arch, arch)
	}
	seen := map[string]bool{}
	for _, f := range info.Files {
		want, ok := packaged[f.Name]
		if !ok {
			continue
		}
		seen[f.Name] = true
		if f.Mode != octal(want) || f.User != "root" || f.Group != "root" {
			t.Errorf("%s: mode %s %s:%s, want %s root:root", f.Name, f.Mode, f.User, f.Group, octal(want))
		}
		if isConfig := f.Name == "/etc/hawatch/hawatch.env"; f.Config != isConfig || f.NoReplace != isConfig {
			t.Errorf("%s: config %v noreplace %v, want %v", f.Name, f.Config, f.NoReplace, isConfig)
		}
	}
	for p := range packaged {
		if !seen[p] {
			t.Errorf("%s missing from the rpm", p)
		}
	}
	checkScript(t, "%post", info.PostIn)
}

// checkScript wants the install script to create the hawatch user and to
// be valid sh.
func checkScript(t *testing.T, name, script string) {
	t.Helper()
	if !strings.Contains(script, "useradd --system") || !strings.Contains(script, "chmod 0600 /etc/hawatch/hawatch.env") {
		t.Errorf("%s does not create the hawatch user and protect the settings:\n%s", name, script)
	}
	cmd := exec.Command("sh", "-n")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s is not valid sh: %v\n%s", name, err, out)
	}
}

func sameFile(t *testing.T, got, want string) {
	t.Helper()
	a, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("packaged %s differs from %s", got, want)
	}
}

// modeString renders permission bits as dpkg-deb -c and ls do.
func modeString(m os.FileMode, dir bool) string {
	if dir {
		m |= os.ModeDir
	}
	return m.String()
}

// octal renders permission bits as tools/rpminfo does.
func octal(m os.FileMode) string { return fmt.Sprintf("%04o", uint32(m.Perm())) }
