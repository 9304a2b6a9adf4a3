package e2e

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hawatch/hawatch/sim"
)

// runCheck runs `hawatch check` once against the simulator and returns its
// exit code and standard output; standard error goes to the test log.
func runCheck(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	return runCommand(t, env, "check", args...)
}

// runCommand runs `hawatch CMD ARGS` with env and nothing else of the
// test's environment, and returns its exit code and standard output;
// standard error goes to the test log.
func runCommand(t *testing.T, env map[string]string, command string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{command}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if errOut.Len() > 0 {
		t.Logf("hawatch %s %v: stderr:\n%s", command, args, errOut.String())
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	}
	t.Fatalf("hawatch %s %v: %v\n%s", command, args, err, out.String())
	return -1, ""
}

// TestCheckGate walks the upgrade gate through the incident: ready when
// healthy, not ready at each broken step with the reason named, and
// "cannot tell" when a peer does not answer.
func TestCheckGate(t *testing.T) {
	s := startSim(t, sim.Options{WorldOptions: sim.WorldOptions{InitialHold: time.Second}})
	env := simEnv(s)
	w := s.World()

	if code, out := runCheck(t, env, "--expect-active", "fw-a"); code != 0 {
		t.Fatalf("healthy pair: exit %d, want 0\n%s", code, out)
	}
	if code, out := runCheck(t, env, "--expect-active", "fw-b"); code != 1 {
		t.Errorf("expect-active fw-b on a pair where fw-a is active: exit %d, want 1\n%s", code, out)
	}

	// Upgrade the passive: once it is back, the versions differ.
	w.Upgrade(sim.PeerB, sim.IncidentUpgradeVersion)
	w.Reboot(sim.PeerB, time.Second)
	eventually(t, 20*time.Second, "fw-b back as passive", func() error {
		if st := w.State(sim.PeerB); st != sim.StatePassive {
			return fmt.Errorf("fw-b is %s", st)
		}
		return nil
	})
	code, out := runCheck(t, env)
	if code != 1 || !strings.Contains(out, sim.IncidentUpgradeVersion) {
		t.Errorf("versions differ: exit %d, want 1 naming the version\n%s", code, out)
	}
	// The runbook's gate for this step: the mismatch is expected.
	if code, out := runCheck(t, env, "--expect-version", "fw-b="+sim.IncidentUpgradeVersion, "--expect-active", "fw-a"); code != 0 {
		t.Errorf("upgraded passive as expected: exit %d, want 0\n%s", code, out)
	}

	// The incident's root cause: an interface outside its ENI's subnet.
	w.SetInterfaceIP(sim.PeerB, sim.IfaceUntrust, "10.0.9.11/24")
	code, out = runCheck(t, env)
	if code != 1 || !strings.Contains(out, "10.0.9.11") || !strings.Contains(out, sim.IfaceUntrust) {
		t.Errorf("interface outside its subnet: exit %d, want 1 naming ethernet1/2 and 10.0.9.11\n%s", code, out)
	}

	code, out = runCheck(t, env, "--output", "json")
	var report struct {
		Pairs []struct {
			Pair  string `json:"pair"`
			Ready bool   `json:"ready"`
		} `json:"pairs"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil || len(report.Pairs) != 1 || report.Pairs[0].Ready || code != 1 {
		t.Errorf("json output: exit %d, err %v, report %+v\n%s", code, err, report, out)
	}

	w.SetReachable(sim.PeerA, false)
	if code, out := runCheck(t, env); code != 2 {
		t.Errorf("peer unreachable: exit %d, want 2\n%s", code, out)
	}
}

type event struct {
	Pair, Peer, Kind, Subject, Before, After, Message string
	Time                                              time.Time
}

func events(t *testing.T, d *daemon) []event {
	t.Helper()
	body, err := get(d.URL + "/api/v1/events?pair=edge&limit=0")
	if err != nil {
		t.Fatal(err)
	}
	var resp struct{ Events []event }
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	return resp.Events
}

// findEvent returns the index of the first event from index from that
// matches.
func findEvent(evs []event, from int, match func(event) bool) int {
	for i := from; i < len(evs); i++ {
		if match(evs[i]) {
			return i
		}
	}
	return -1
}

// TestTimelineSurvivesRestart plays the incident with a restart of the
// daemon in the middle: the timeline lists the steps in order, before and
// after the restart.
func TestTimelineSurvivesRestart(t *testing.T) {
	s := startSim(t, sim.Options{WorldOptions: sim.WorldOptions{InitialHold: time.Second}})
	w := s.World()
	env := simEnv(s)
	env["HAWATCH_DATA_DIR"] = t.TempDir()
	d := startDaemon(t, env)
	d.waitMetric(t, 20*time.Second, `hawatch_pair_active_peers{pair="edge"}`, "1")

	w.Failover()
	d.waitMetric(t, 20*time.Second, `hawatch_ha_state{pair="edge",peer="fw-b",state="active"}`, "1")
	d.stop()

	d = startDaemon(t, env)
	d.waitMetric(t, 20*time.Second, `hawatch_peer_up{pair="edge",peer="fw-b"}`, "1")
	for i := range 2 {
		for _, iface := range []string{sim.IfaceHA2, sim.IfaceUntrust, sim.IfaceTrust} {
			w.SetInterface(i, iface, false)
		}
	}
	d.waitMetric(t, 20*time.Second, `hawatch_interface_up{interface="ethernet1/2",pair="edge",peer="fw-b"}`, "0")

	var evs []event
	eventually(t, 10*time.Second, "timeline complete", func() error {
		evs = events(t, d)
		failover := findEvent(evs, 0, func(e event) bool { return e.Kind == "failover" && e.After == "fw-b" })
		down := findEvent(evs, failover+1, func(e event) bool {
			return e.Kind == "interface" && e.Peer == "fw-b" && e.Subject == sim.IfaceUntrust && e.After == "down"
		})
		if failover < 0 || down < 0 {
			return fmt.Errorf("failover at %d, link down after it at %d", failover, down)
		}
		return nil
	})
	for i := 1; i < len(evs); i++ {
		if evs[i].Time.Before(evs[i-1].Time) {
			t.Errorf("events out of order: %v before %v", evs[i-1], evs[i])
		}
	}
}

// TestWebConfigTLSAndBasicAuth serves the HTTP surface over TLS with basic
// auth from an exporter-toolkit web config file.
func TestWebConfigTLSAndBasicAuth(t *testing.T) {
	s := startSim(t, sim.Options{})
	dir := t.TempDir()
	ca, err := sim.NewCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret-web"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webConfig := filepath.Join(dir, "web.yml")
	cfg := fmt.Sprintf("tls_server_config:\n  cert_file: %s\n  key_file: %s\nbasic_auth_users:\n  prometheus: %s\n", ca.CertFile, ca.KeyFile, hash)
	if err := os.WriteFile(webConfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := simEnv(s)
	env["HAWATCH_WEB_CONFIG_FILE"] = webConfig
	d := startDaemonWith(t, env, func(addr string) error {
		return httpsGet(ca.Pool(), "https://"+addr+"/-/healthy", "prometheus", "s3cret-web", http.StatusOK)
	})
	addr := strings.TrimPrefix(d.URL, "http://")
	if err := httpsGet(ca.Pool(), "https://"+addr+"/metrics", "", "", http.StatusUnauthorized); err != nil {
		t.Error(err)
	}
	if err := httpsGet(ca.Pool(), "https://"+addr+"/metrics", "prometheus", "wrong", http.StatusUnauthorized); err != nil {
		t.Error(err)
	}
	if err := httpsGet(ca.Pool(), "https://"+addr+"/metrics", "prometheus", "s3cret-web", http.StatusOK); err != nil {
		t.Error(err)
	}
	if resp, err := http.Get(d.URL + "/metrics"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP served metrics although TLS is configured")
		}
	}
}

func httpsGet(pool *x509.CertPool, url, user, pass string, want int) error {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}, Timeout: 5 * time.Second}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("GET %s as %q: %s, want %d", url, user, resp.Status, want)
	}
	return nil
}

// TestReloadKeepsState changes the configuration file and sends SIGHUP: the
// new pair is watched and the unchanged one keeps its poll count.
func TestReloadKeepsState(t *testing.T) {
	s := startSim(t, sim.Options{})
	dir := t.TempDir()
	key := filepath.Join(dir, "key")
	if err := os.WriteFile(key, []byte(s.APIKey()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pair := func(name string) string {
		return fmt.Sprintf("  - name: %s\n    peers:\n      - {name: fw-a, address: %q}\n      - {name: fw-b, address: %q}\n", name, s.PeerAddr(0), s.PeerAddr(1))
	}
	head := fmt.Sprintf("defaults:\n  poll_interval: 1s\n  panos: {api_key_file: %s, ca_file: %s}\npairs:\n", key, s.CAFile())
	file := filepath.Join(dir, "hawatch.yml")
	if err := os.WriteFile(file, []byte(head+pair("one")), 0o600); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, map[string]string{"HAWATCH_CONFIG_FILE": file, "HAWATCH_WEB_ENABLE_LIFECYCLE": "true"})
	d.waitMetric(t, 20*time.Second, `hawatch_poll_success{pair="one"}`, "1")
	if err := os.WriteFile(file, []byte(head+pair("one")+pair("two")), 0o600); err != nil {
		t.Fatal(err)
	}
	before := polls(t, d, "one")
	if err := d.cmd.Process.Signal(sighup); err != nil {
		t.Fatal(err)
	}
	d.waitMetric(t, 20*time.Second, `hawatch_poll_success{pair="two"}`, "1")
	if after := polls(t, d, "one"); after < before {
		t.Errorf("pair one restarted on reload: polls %v then %v", before, after)
	}
	// A broken file is refused and the running configuration kept.
	if err := os.WriteFile(file, []byte(head+"  - name: three\n    peerz: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(d.URL+"/-/reload", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("reload of a broken file: %s, want 500", resp.Status)
	}
	d.waitMetric(t, 10*time.Second, `hawatch_poll_success{pair="two"}`, "1")
}

func polls(t *testing.T, d *daemon, pair string) float64 {
	t.Helper()
	body, err := get(d.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	var v float64
	_, _ = fmt.Sscan(samples(body)[`hawatch_polls_total{pair="`+pair+`"}`], &v)
	return v
}

// TestSecretsNeverPrinted runs with debug logs, a refused key and failing
// commands, and looks for the key in the logs, the metrics and the pages.
func TestSecretsNeverPrinted(t *testing.T) {
	s := startSim(t, sim.Options{WorldOptions: sim.WorldOptions{Password: "pw-e2e-Xq7vLr", APIKey: "key-e2e-Zt4pW9"}})
	w := s.World()
	env := simEnv(s)
	user, pass := s.Credentials()
	delete(env, "HAWATCH_PANOS_API_KEY")
	env["HAWATCH_PANOS_USERNAME"], env["HAWATCH_PANOS_PASSWORD"] = user, pass
	w.SetFault(sim.PeerB, sim.Fault{Kind: sim.FaultForbidden, Command: sim.CmdHA})
	d := startDaemon(t, env)
	d.waitMetric(t, 20*time.Second, `hawatch_panos_command_success{command="ha",pair="edge",peer="fw-b"}`, "0")
	w.SetUnauthorized("DescribeRouteTables")
	d.waitMetric(t, 20*time.Second, `hawatch_aws_up{pair="edge"}`, "0")

	secrets := []string{s.APIKey(), pass, "e2e-aws-secret-value"}
	pages := map[string]string{"logs": d.logs.String()}
	for _, path := range []string{"/metrics", "/", "/api/v1/pairs", "/api/v1/events?format=csv"} {
		body, err := get(d.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		pages[path] = body
	}
	for where, text := range pages {
		for _, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains a secret", where)
			}
		}
	}
}
