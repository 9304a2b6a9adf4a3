package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// Messages of hawatch's peer log lines.
const (
	msgNoAnswer   = "peer does not answer the api"
	msgNotTrusted = "peer's tls certificate is not trusted"
)

// panosRows are the rows about the firewalls' API.
func panosRows() []faultRow {
	return []faultRow{
		{"01 peer down (refused)", rowPeerDown},
		{"02 peer slow past the deadline", rowPeerSlow},
		{"03 key refused, keygen", rowKeyRefused},
		{"04 truncated, malformed, HTML", rowBadReplies},
		{"05 200 MB reply", rowHugeReply},
		{"06 10^6 nested elements", rowNested},
		{"07 redirects", rowRedirects},
		{"08 untrusted and expired certs", rowCertificates},
		{"09 DNS failure", rowDNS},
	}
}

func rowPeerDown(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{})
	skip, answered := len(fx.peerLines()), fx.answered()
	fx.peerA.Refuse()
	fx.expectPeerFails(t, msgNoAnswer, "connection refused")
	fx.d.waitSample(t, "hawatch_alert_active", []string{`alertname="HAPeerUnreachable"`, `peer="fw-a"`, `state="firing"`}, "1")
	fx.checkFailureLines(t, skip, 1)
	fx.cleared()
	fx.peerA.Forward(fx.sim.PeerAddr(sim.PeerA))
	fx.expectPeerRecovers(t, answered)
	fx.finish(t, 32)
}

func rowPeerSlow(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{})
	skip, answered := len(fx.peerLines()), fx.answered()
	fx.world.SetFault(sim.PeerA, sim.Fault{Kind: sim.FaultSlow, Delay: 20 * time.Second})
	fx.expectPeerFails(t, msgNoAnswer, "")
	fx.checkFailureLines(t, skip, 1)
	fx.note("slow error: %s", lastErr(fx.peerLines()))
	fx.cleared()
	fx.world.ClearFaults(sim.PeerA)
	fx.expectPeerRecovers(t, answered)
	fx.finish(t, 32)
}

// lastErr is the error of the last line, shortened for the table.
func lastErr(lines []logLine) string {
	if len(lines) == 0 {
		return ""
	}
	e := strings.ReplaceAll(lines[len(lines)-1].str("err"), "\n", " | ")
	if len(e) > 90 {
		e = e[:90] + "…"
	}
	return e
}

func rowKeyRefused(t *testing.T, row string) {
	// A username and password only: hawatch generates its key at start
	// and again whenever it is refused.
	fx := newFixture(t, row, fixtureOpts{env: func(fx *fixture, env map[string]string) {
		delete(env, "HAWATCH_PANOS_API_KEY")
		env["HAWATCH_PANOS_USERNAME"], env["HAWATCH_PANOS_PASSWORD"] = fx.sim.Credentials()
	}})
	// Every request refused, keygen too: the peer fails.
	skip, answered := len(fx.peerLines()), fx.answered()
	fx.world.ResetRequests(sim.PeerA)
	fx.world.SetFault(sim.PeerA, sim.Fault{Kind: sim.FaultForbidden})
	fx.expectPeerFails(t, msgNoAnswer, "keygen failed")
	fx.checkFailureLines(t, skip, 1)
	// A refused password holds keygen back (a minute at first) so that
	// the admin account does not lock: one login attempt, not one per
	// command.
	if n := fx.world.Requests(sim.PeerA)[sim.CmdKeygen]; n > 2 {
		t.Errorf("%d keygen requests while the password is refused, want at most 2", n)
	}
	fx.note("403 phase: %d keygen requests in ~4 s", fx.world.Requests(sim.PeerA)[sim.CmdKeygen])
	fx.world.ClearFaults(sim.PeerA)
	fx.expectPeerRecoversWithin(t, answered, 90*time.Second)

	// The key expires: the next command is refused with 403, a new key is
	// generated once per peer, and the peers never count as down.
	for i := range 2 {
		fx.world.ResetRequests(i)
	}
	refused := len(fx.d.logLines("api key refused, generating a new one", nil))
	fx.cleared()
	fx.world.RotateAPIKey()
	fx.recovered(t, 20*time.Second, "a new key generated on each peer", func() error {
		for i := range 2 {
			if n := fx.world.Requests(i)[sim.CmdKeygen]; n == 0 {
				return fmt.Errorf("peer %s: no keygen", sim.PeerName(i))
			}
		}
		return nil
	})
	for range 4 {
		for _, p := range []string{"fw-a", "fw-b"} {
			if v, _ := fx.d.gauge(t, peerUp(p)); v != 1 {
				t.Errorf("%s = %v while the key was replaced", peerUp(p), v)
			}
		}
		time.Sleep(time.Second)
	}
	for i, p := range []string{"fw-a", "fw-b"} {
		if n := fx.world.Requests(i)[sim.CmdKeygen]; n != 1 {
			t.Errorf("%s: %d keygen requests after the key expired, want 1", p, n)
		}
		if n := len(fx.d.logLines("api key refused, generating a new one", map[string]string{"peer": p})); n == 0 {
			t.Errorf("no line says %s's key was refused", p)
		}
	}
	if n := len(fx.d.logLines("api key refused, generating a new one", nil)) - refused; n != 2 {
		t.Errorf("%d lines about a refused key after it expired, want 2 (one per peer)", n)
	}
	fx.finish(t, 32)
}

func rowBadReplies(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{})
	bad := startHostile(t, ptr(fx.trusted.valid(t)), fixedReply(http.StatusOK, "application/xml", malformedXML))
	phases := []struct {
		name, errPart string
		inject, clear func()
	}{
		{"truncated", "malformed reply",
			func() { fx.world.SetFault(sim.PeerA, sim.Fault{Kind: sim.FaultMalformed}) },
			func() { fx.world.ClearFaults(sim.PeerA) }},
		{"malformed", "malformed reply",
			func() { fx.peerA.Forward(bad.Addr) },
			func() { fx.peerA.Forward(fx.sim.PeerAddr(sim.PeerA)) }},
		{"html 502", "502",
			func() { fx.world.SetFault(sim.PeerA, sim.Fault{Kind: sim.FaultHTML}) },
			func() { fx.world.ClearFaults(sim.PeerA) }},
	}
	for _, ph := range phases {
		skip, answered := len(fx.peerLines()), fx.answered()
		ph.inject()
		fx.expectPeerFails(t, msgNoAnswer, ph.errPart)
		fx.checkFailureLines(t, skip, 1)
		fx.note("%s: %s", ph.name, lastErr(fx.peerLines()))
		fx.cleared()
		ph.clear()
		fx.expectPeerRecovers(t, answered)
	}
	fx.finish(t, 32)
}

func ptr[T any](v T) *T { return &v }

func rowHugeReply(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{})
	const size = 200 << 20
	huge := startHostile(t, ptr(fx.trusted.valid(t)), streamHuge(size))
	skip, answered := len(fx.peerLines()), fx.answered()
	fx.peerA.Forward(huge.Addr)
	fx.expectPeerFails(t, msgNoAnswer, "reply too large")
	fx.checkFailureLines(t, skip, 1)
	eventually(t, 20*time.Second, "a few huge replies", func() error {
		if n := huge.requests.Load(); n < 3 {
			return fmt.Errorf("%d requests", n)
		}
		return nil
	})
	n, written := huge.requests.Load(), huge.written.Load()
	fx.note("%d requests, %.1f MiB written per request of %d MiB offered", n, float64(written)/float64(n)/(1<<20), size>>20)
	// What the server wrote includes what the kernel buffers on both sides
	// of the proxy took (several MiB on loopback), beyond hawatch's 4 MiB.
	if per := written / n; per > 32<<20 {
		t.Errorf("the server could write %d MiB per request: hawatch reads far past its 4 MiB limit", per>>20)
	}
	fx.cleared()
	fx.peerA.Forward(fx.sim.PeerAddr(sim.PeerA))
	fx.expectPeerRecovers(t, answered)
	fx.finish(t, 64)
}

func rowNested(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{})
	nested := startHostile(t, ptr(fx.trusted.valid(t)), streamNested(1_000_000))
	skip, answered := len(fx.peerLines()), fx.answered()
	fx.peerA.Forward(nested.Addr)
	fx.expectPeerFails(t, msgNoAnswer, "nested deeper than 64")
	fx.checkFailureLines(t, skip, 1)
	fx.note("%d requests", nested.requests.Load())
	fx.cleared()
	fx.peerA.Forward(fx.sim.PeerAddr(sim.PeerA))
	fx.expectPeerRecovers(t, answered)
	fx.finish(t, 64)
}

// impostorReply is what the host a redirect points to would answer: a
// valid system info of another firewall.
const impostorReply = `<response status="success"><result><system><hostname>impostor</hostname>` +
	`<serial>000000000000</serial><model>PA-VM</model><sw-version>11.1.2</sw-version></system></result></response>`

func rowRedirects(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{})
	other := startHostile(t, ptr(fx.trusted.valid(t)), fixedReply(http.StatusOK, "application/xml", impostorReply))
	plain := startHostile(t, nil, fixedReply(http.StatusOK, "application/xml", impostorReply))
	phases := []struct {
		name, errPart string
		code          int
		location      string
	}{
		{"307 to another host", "http 307", http.StatusTemporaryRedirect, other.URL + "/api"},
		{"307 to http", "http 307", http.StatusTemporaryRedirect, "http://" + plain.Addr + "/api"},
		{"302 to another host", "http 302", http.StatusFound, other.URL + "/api"},
	}
	skip, answered := len(fx.peerLines()), fx.answered()
	for _, ph := range phases {
		redir := startHostile(t, ptr(fx.trusted.valid(t)), redirectTo(ph.code, ph.location))
		fx.peerA.Forward(redir.Addr)
		fx.expectPeerFails(t, msgNoAnswer, ph.errPart)
		eventually(t, 10*time.Second, ph.name+": the redirecting peer asked", func() error {
			if redir.requests.Load() == 0 {
				return fmt.Errorf("no request")
			}
			return nil
		})
		if n := other.requests.Load() + plain.requests.Load(); n != 0 {
			t.Errorf("%s: the host redirected to received %d requests, want none", ph.name, n)
		}
	}
	// Both 307s fail alike; the 302 is a new error.
	fx.checkFailureLines(t, skip, 2)
	if body, err := get(fx.d.URL + "/metrics"); err == nil && strings.Contains(body, "impostor") {
		t.Error("the impostor's data shows in the metrics")
	}
	fx.cleared()
	fx.peerA.Forward(fx.sim.PeerAddr(sim.PeerA))
	fx.expectPeerRecovers(t, answered)
	fx.finish(t, 32)
}

func rowCertificates(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{})
	untrusted := startHostile(t, ptr(newTestCA(t, "unknown CA").valid(t)), fixedReply(http.StatusOK, "application/xml", impostorReply))
	now := time.Now()
	expired := startHostile(t, ptr(fx.trusted.issue(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour))),
		fixedReply(http.StatusOK, "application/xml", impostorReply))
	skip, answered := len(fx.peerLines()), fx.answered()
	fx.peerA.Forward(untrusted.Addr)
	fx.expectPeerFails(t, msgNotTrusted, "unknown authority")
	fx.peerA.Forward(expired.Addr)
	fx.expectPeerFails(t, msgNotTrusted, "expired")
	fx.checkFailureLines(t, skip, 2)
	if n := len(fx.d.logLines(msgNoAnswer, map[string]string{"peer": "fw-a"})); n != 0 {
		t.Errorf("%d certificate failures logged as %q instead of %q", n, msgNoAnswer, msgNotTrusted)
	}
	if n := untrusted.requests.Load() + expired.requests.Load(); n != 0 {
		t.Errorf("%d requests sent over a refused certificate", n)
	}
	fx.cleared()
	fx.peerA.Forward(fx.sim.PeerAddr(sim.PeerA))
	fx.expectPeerRecovers(t, answered)
	fx.finish(t, 32)
}

// rowDNS configures the pair from a file, so that fw-a's address can be
// changed to a name that does not resolve and back, with a reload.
func rowDNS(t *testing.T, row string) {
	var cfgFile, caFile string
	write := func(fx *fixture, addrA string) {
		t.Helper()
		cfg := fmt.Sprintf(`defaults:
  poll_interval: 1s
  poll_timeout: 800ms
  system_info_interval: 1h
  panos:
    api_key: %q
    ca_file: %q
  aws:
    region: us-east-1
    endpoint: %q
    ha_mode: auto
    poll_interval: 2s
    grace_period: 0s
pairs:
  - name: edge
    peers:
      - {name: fw-a, address: %q}
      - {name: fw-b, address: %q}
`, fx.sim.APIKey(), caFile, fx.sim.EC2URL(), addrA, fx.sim.PeerAddr(sim.PeerB))
		if err := os.WriteFile(cfgFile, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fx := newFixture(t, row, fixtureOpts{env: func(fx *fixture, env map[string]string) {
		caFile = env["HAWATCH_PANOS_CA_FILE"]
		for k := range env {
			if strings.HasPrefix(k, "HAWATCH_") && k != "HAWATCH_LOG_LEVEL" && k != "HAWATCH_DATA_DIR" &&
				k != "HAWATCH_ALERT_HOLD_SCALE" {
				delete(env, k)
			}
		}
		cfgFile = filepath.Join(t.TempDir(), "hawatch.yml")
		write(fx, fx.peerA.Addr)
		env["HAWATCH_CONFIG_FILE"] = cfgFile
	}})
	skip, answered := len(fx.peerLines()), fx.answered()
	_, port, _ := strings.Cut(fx.peerA.Addr, ":")
	write(fx, "fw.invalid:"+port)
	if err := fx.d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	fx.expectPeerFails(t, msgNoAnswer, "no such host")
	fx.checkFailureLines(t, skip, 1)
	fx.note("%s", lastErr(fx.peerLines()))
	fx.cleared()
	write(fx, fx.peerA.Addr)
	if err := fx.d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	fx.expectPeerRecovers(t, answered)
	// A reload builds the pair's clients anew and closes the old ones'
	// kept-alive connections (to fw-b and EC2) at once.
	fx.finish(t, 32)
}
