package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/config"
)

// setPair configures a valid single pair in the environment.
func setPair(t *testing.T) {
	t.Helper()
	t.Setenv("HAWATCH_PEER_A", "fw-a.example.net")
	t.Setenv("HAWATCH_PEER_B", "fw-b.example.net")
	t.Setenv("HAWATCH_PANOS_API_KEY", "LUFRPT-test-key")
}

// tempFile writes content to a new file and returns its path.
func tempFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pairFile returns a configuration file with one pair called name.
func pairFile(t *testing.T, name string) string {
	return tempFile(t, "hawatch.yml", "pairs:\n  - name: "+name+
		"\n    peers:\n      - {address: fw-a.example.net}\n      - {address: fw-b.example.net}\n    panos: {api_key: k}\n")
}

// parseRun parses args as `hawatch run` does and loads the configuration.
func parseRun(t *testing.T, args ...string) (*config.Config, error) {
	t.Helper()
	c := daemonFlags()
	var out, errOut bytes.Buffer
	if code, done := c.parse(args, &out, &errOut); done {
		t.Fatalf("parse(%q) ended with %d: %s", args, code, errOut.String())
	}
	return c.load()
}

// TestMirroredFlags: each flag of `hawatch run` beats its variable, the
// variable is used when the flag is absent, and a bad value exits 2 naming
// the flag.
func TestMirroredFlags(t *testing.T) {
	webA := tempFile(t, "web-a.yml", "")
	webB := tempFile(t, "web-b.yml", "")
	cases := []struct {
		flag, env         string
		flagValue, envVal string
		get               func(*config.Config) string
		wantFlag, wantEnv string
		bad, badMsg       string
		noPairEnv         bool
	}{
		{flag: "log.level", env: "HAWATCH_LOG_LEVEL", flagValue: "debug", envVal: "warn",
			get: func(c *config.Config) string { return c.LogLevel }, bad: "verbose", badMsg: `--log.level: "verbose" is not one of`},
		{flag: "log.format", env: "HAWATCH_LOG_FORMAT", flagValue: "json", envVal: "logfmt",
			get: func(c *config.Config) string { return c.LogFormat }, bad: "xml", badMsg: `--log.format: "xml"`},
		{flag: "web.listen-address", env: "HAWATCH_LISTEN_ADDRESS", flagValue: "127.0.0.1:1", envVal: ":2,:3",
			get:      func(c *config.Config) string { return strings.Join(c.ListenAddresses, " ") },
			wantFlag: "127.0.0.1:1", wantEnv: ":2 :3", bad: "10869", badMsg: `--web.listen-address: "10869" is not a valid host:port`},
		{flag: "web.config.file", env: "HAWATCH_WEB_CONFIG_FILE", flagValue: webA, envVal: webB,
			get: func(c *config.Config) string { return c.WebConfigFile }, bad: "/nonexistent/web.yml", badMsg: "--web.config.file: stat /nonexistent/web.yml"},
		{flag: "web.systemd-socket", env: "HAWATCH_WEB_SYSTEMD_SOCKET", flagValue: "true", envVal: "false",
			get: func(c *config.Config) string { return boolString(c.WebSystemdSocket) }, bad: "maybe", badMsg: "not a boolean"},
		{flag: "web.enable-lifecycle", env: "HAWATCH_WEB_ENABLE_LIFECYCLE", flagValue: "false", envVal: "true",
			get: func(c *config.Config) string { return boolString(c.Web.EnableLifecycle) }, bad: "yes please", badMsg: "not a boolean"},
		{flag: "alerts.runbook-url", env: "HAWATCH_RUNBOOK_URL", flagValue: "https://wiki.example.com/a", envVal: "https://wiki.example.com/b",
			get: func(c *config.Config) string { return c.RunbookURL }, bad: "wiki/runbooks", badMsg: "--alerts.runbook-url: wiki/runbooks: scheme must be http or https"},
		{flag: "config.file", env: "HAWATCH_CONFIG_FILE", flagValue: pairFile(t, "from-flag"), envVal: pairFile(t, "from-env"), noPairEnv: true,
			get:      func(c *config.Config) string { return c.Pairs[0].Name },
			wantFlag: "from-flag", wantEnv: "from-env", bad: "/nonexistent/hawatch.yml", badMsg: "/nonexistent/hawatch.yml"},
	}
	for _, tc := range cases {
		t.Run(tc.flag, func(t *testing.T) {
			if !tc.noPairEnv {
				setPair(t)
			}
			wantFlag, wantEnv := cmpOr(tc.wantFlag, tc.flagValue), cmpOr(tc.wantEnv, tc.envVal)
			t.Setenv(tc.env, tc.envVal)
			cfg, err := parseRun(t, "--"+tc.flag+"="+tc.flagValue)
			if err != nil {
				t.Fatalf("flag and variable: %v", err)
			}
			if got := tc.get(cfg); got != wantFlag {
				t.Errorf("flag and variable: got %q, want the flag's %q", got, wantFlag)
			}
			cfg, err = parseRun(t)
			if err != nil {
				t.Fatalf("variable only: %v", err)
			}
			if got := tc.get(cfg); got != wantEnv {
				t.Errorf("variable only: got %q, want the variable's %q", got, wantEnv)
			}
			var out, errOut bytes.Buffer
			if code := run([]string{"run", "--" + tc.flag + "=" + tc.bad}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tc.badMsg) {
				t.Errorf("bad value %q: exit %d, stderr %q; want 2 and %q", tc.bad, code, errOut.String(), tc.badMsg)
			}
		})
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestListenAddressRepeatable: the flag may be given several times; the
// daemon then listens on each.
func TestListenAddressRepeatable(t *testing.T) {
	setPair(t)
	cfg, err := parseRun(t, "--web.listen-address=127.0.0.1:1", "--web.listen-address=[::1]:2")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"127.0.0.1:1", "[::1]:2"}; !slices.Equal(cfg.ListenAddresses, want) {
		t.Errorf("ListenAddresses = %q, want %q", cfg.ListenAddresses, want)
	}
}

// TestHelp: every subcommand prints its own help on standard output and
// exits 0 with -h and --help, without running.
func TestHelp(t *testing.T) {
	// A configuration that would start the daemon if --help ran it.
	setPair(t)
	for _, cmd := range []string{"run", "check", "check-config", "demo", "version"} {
		for _, h := range []string{"--help", "-h"} {
			var out, errOut bytes.Buffer
			code := run([]string{cmd, h}, &out, &errOut)
			if code != 0 || !strings.HasPrefix(out.String(), "usage: hawatch "+cmd+" [flags]") || errOut.Len() != 0 {
				t.Errorf("hawatch %s %s: exit %d, stdout %q, stderr %q", cmd, h, code, out.String(), errOut.String())
			}
			if cmd != "version" && !strings.Contains(out.String(), "--version") {
				t.Errorf("hawatch %s %s does not list --version", cmd, h)
			}
		}
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 0 || !strings.Contains(out.String(), "check-config") {
			t.Errorf("hawatch %q: exit %d, stdout %q", args, code, out.String())
		}
	}
}

// TestHelpListsVariables: the help of run names each flag's variable and
// the default port.
func TestHelpListsVariables(t *testing.T) {
	var out bytes.Buffer
	daemonFlags().printHelp(&out)
	for _, want := range []string{
		"--web.listen-address=ADDR", "env HAWATCH_LISTEN_ADDRESS (default " + config.DefaultListenAddress + ")",
		"--web.config.file=FILE", "env HAWATCH_WEB_CONFIG_FILE", "--config.file=FILE", "env HAWATCH_CONFIG_FILE",
		"--log.level=LEVEL", "--log.format=FORMAT", "--alerts.runbook-url=URL", "env HAWATCH_RUNBOOK_URL",
		"--web.systemd-socket\n", "-h, --help",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

// TestVersionFlag: --version prints the version on every command and at
// the top level, and exits 0 without running the command.
func TestVersionFlag(t *testing.T) {
	setPair(t)
	for _, args := range [][]string{{"--version"}, {"-v"}, {"version"}, {"run", "--version"}, {"check", "--version"}, {"check-config", "--version"}, {"demo", "--version"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "hawatch, version ") {
			t.Errorf("hawatch %q: exit %d, stdout %q, stderr %q", args, code, out.String(), errOut.String())
		}
	}
}

// TestBadArguments: unknown flags and stray arguments exit 2 with a hint.
func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{{"check", "--bogus"}, {"run", "extra"}, {"check-config", "--log.levle=debug"}, {"--no-such-flag"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "--help") {
			t.Errorf("hawatch %q: exit %d, stderr %q; want 2 and a hint", args, code, errOut.String())
		}
	}
}

// TestCheckConfigUnknownVariable: check-config names a misspelled variable
// and the one it probably means.
func TestCheckConfigUnknownVariable(t *testing.T) {
	setPair(t)
	t.Setenv("HAWATCH_AWS_REGOIN", "eu-west-1")
	var out, errOut bytes.Buffer
	if code := run([]string{"check-config"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if want := "unknown environment variable HAWATCH_AWS_REGOIN (did you mean HAWATCH_AWS_REGION?)"; !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr %q lacks %q", errOut.String(), want)
	}
}
