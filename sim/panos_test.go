package sim

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// Op commands as hawatch and pango send them.
const (
	cmdHAAll      = "<show><high-availability><all/></high-availability></show>"
	cmdHAState    = "<show><high-availability><state></state></high-availability></show>"
	cmdInterfaces = "<show><interface>all</interface></show>"
	cmdSessions   = "<show><session><info/></session></show>"
	cmdCounters   = "<show><counter><interface>all</interface></counter></show>"
	cmdSystem     = "<show><system><info></info></system></show>"
)

// testSim starts a simulator on a fake clock.
func testSim(t *testing.T, wo WorldOptions) (*Sim, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	wo.Clock = clk.Now
	s, err := Start(t.Context(), Options{Dir: t.TempDir(), WorldOptions: wo})
	if err != nil {
		t.Fatalf("start simulator: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, clk
}

// client returns an HTTP client that verifies the simulator with its CA.
func client(s *Sim, timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout:   timeout,
		Transport: &http.Transport{TLSClientConfig: s.CA().ClientConfig()},
	}
}

// post sends a form to a peer's API as pango does.
func post(t *testing.T, s *Sim, peer int, form url.Values) (int, []byte, http.Header) {
	t.Helper()
	resp, err := client(s, 5*time.Second).PostForm(s.PeerURL(peer), form)
	if err != nil {
		t.Fatalf("post to peer %s: %v", PeerName(peer), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read reply: %v", err)
	}
	return resp.StatusCode, body, resp.Header
}

func op(t *testing.T, s *Sim, peer int, cmd string) (int, []byte) {
	t.Helper()
	code, body, _ := post(t, s, peer, url.Values{"type": {"op"}, "cmd": {cmd}, "key": {s.APIKey()}})
	return code, body
}

// response is the envelope of every PAN-OS reply.
type response struct {
	XMLName xml.Name `xml:"response"`
	Status  string   `xml:"status,attr"`
	Code    string   `xml:"code,attr"`
	Lines   []string `xml:"msg>line"`
	Msg     string   `xml:"result>msg"`
}

func decode(t *testing.T, body []byte) response {
	t.Helper()
	var r response
	if err := xml.Unmarshal(body, &r); err != nil {
		t.Fatalf("reply is not well-formed XML: %v\n%s", err, body)
	}
	return r
}

func wantSuccess(t *testing.T, code int, body []byte) {
	t.Helper()
	if code != http.StatusOK {
		t.Fatalf("HTTP %d, want 200: %s", code, body)
	}
	if r := decode(t, body); r.Status != "success" {
		t.Fatalf("status %q, want success: %s", r.Status, body)
	}
}

func TestOpCommandsAnswer(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	for _, cmd := range []string{cmdHAAll, cmdHAState, cmdInterfaces, cmdSessions, cmdCounters, cmdSystem,
		"<show>\n  <high-availability>\n    <all></all>\n  </high-availability>\n</show>",
		"<show><plugins><packages/></plugins></show>"} {
		for peer := range 2 {
			code, body := op(t, s, peer, cmd)
			wantSuccess(t, code, body)
		}
	}
	// GET with a query string works too, with the key in X-PAN-KEY.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet,
		s.PeerURL(PeerA)+"?"+url.Values{"type": {"op"}, "cmd": {cmdSessions}}.Encode(), nil)
	req.Header.Set("X-PAN-KEY", s.APIKey())
	resp, err := client(s, 5*time.Second).Do(req)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	wantSuccess(t, resp.StatusCode, body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
		t.Errorf("content type %q", ct)
	}
}

func TestBadKeyIs403(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	want, err := os.ReadFile(filepath.Join("testdata", "error-403-invalid-credential-op-dainok_netdoc_issue103.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"wrong", ""} {
		code, body, _ := post(t, s, PeerA, url.Values{"type": {"op"}, "cmd": {cmdHAAll}, "key": {key}})
		if code != http.StatusForbidden {
			t.Errorf("key %q: HTTP %d, want 403", key, code)
		}
		if string(body) != strings.TrimSpace(string(want)) {
			t.Errorf("key %q: body %s, want the recorded 403 body", key, body)
		}
		if r := decode(t, body); r.Status != "error" || r.Code != "403" || r.Msg != "Invalid Credential" {
			t.Errorf("key %q: decoded %+v", key, r)
		}
	}
}

func TestKeygen(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	user, pass := s.Credentials()
	code, body, _ := post(t, s, PeerB, url.Values{"type": {"keygen"}, "user": {user}, "password": {pass}})
	wantSuccess(t, code, body)
	var k struct {
		Key string `xml:"result>key"`
	}
	if err := xml.Unmarshal(body, &k); err != nil || k.Key != s.APIKey() {
		t.Errorf("keygen key %q (err %v), want %q", k.Key, err, s.APIKey())
	}
	if key, err := probe.ParseKey(body); err != nil || key != s.APIKey() {
		t.Errorf("probe.ParseKey = %q, %v", key, err)
	}
	code, body, _ = post(t, s, PeerB, url.Values{"type": {"keygen"}, "user": {user}, "password": {"nope"}})
	if r := decode(t, body); code != http.StatusForbidden || r.Code != "403" {
		t.Errorf("bad password: HTTP %d, %+v", code, r)
	}
}

func TestUnknownCommandIsCode17(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	tests := map[string]string{
		"<show><bogus/></show>":                                       " show -> bogus is unexpected",
		"<show><system><resources/></system></show>":                  " show system -> resources is unexpected",
		"<show><high-availability><flap/></high-availability></show>": " show high-availability -> flap is unexpected",
	}
	for cmd, line := range tests {
		code, body := op(t, s, PeerA, cmd)
		r := decode(t, body)
		if code != http.StatusOK || r.Status != "error" || r.Code != "17" || !slices.Equal(r.Lines, []string{line}) {
			t.Errorf("%s: HTTP %d %+v, want code 17 %q", cmd, code, r, line)
		}
		if !strings.Contains(string(body), "<![CDATA[") {
			t.Errorf("%s: message not in CDATA: %s", cmd, body)
		}
	}
	code, body := op(t, s, PeerA, "<show><unclosed>")
	if r := decode(t, body); code != http.StatusOK || r.Code != "18" {
		t.Errorf("malformed command: HTTP %d %+v, want code 18", code, r)
	}
	code, body, _ = post(t, s, PeerA, url.Values{"type": {"config"}, "key": {s.APIKey()}})
	if r := decode(t, body); code != http.StatusBadRequest || r.Code != "400" {
		t.Errorf("unsupported type: HTTP %d %+v, want 400", code, r)
	}
}

func TestRequestsCounted(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	for _, cmd := range []string{cmdHAAll, cmdHAState, cmdSessions, "<show><bogus/></show>"} {
		op(t, s, PeerB, cmd)
	}
	post(t, s, PeerB, url.Values{"type": {"keygen"}, "user": {"x"}, "password": {"y"}})
	want := map[string]int{CmdHA: 2, CmdSessions: 1, CmdUnknown: 1, CmdKeygen: 1}
	if got := s.PANOS(PeerB).Requests(); !equalCounts(got, want) {
		t.Errorf("requests = %v, want %v", got, want)
	}
	if got := s.World().Requests(PeerA); len(got) != 0 {
		t.Errorf("peer A counted %v", got)
	}
	s.World().ResetRequests(PeerB)
	if got := s.World().Requests(PeerB); len(got) != 0 {
		t.Errorf("after reset: %v", got)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestUnreachableWhileRebooting(t *testing.T) {
	s, clk := testSim(t, WorldOptions{})
	s.World().Reboot(PeerA, 20*time.Second)
	resp, err := client(s, 5*time.Second).PostForm(s.PeerURL(PeerA), url.Values{"type": {"op"}, "cmd": {cmdHAAll}, "key": {s.APIKey()}})
	if err == nil {
		resp.Body.Close()
		t.Fatalf("rebooting peer answered HTTP %d", resp.StatusCode)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("rebooting peer timed out instead of resetting: %v", err)
	}
	clk.Advance(20 * time.Second)
	code, body := op(t, s, PeerA, cmdHAAll)
	wantSuccess(t, code, body)
	if !strings.Contains(string(body), "<state>initial</state>") {
		t.Errorf("peer A after boot: want state initial: %s", body)
	}
}
