package sim

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	pangoerr "github.com/PaloAltoNetworks/pango/errors"

	"github.com/hawatch/hawatch/probe"
)

func TestFaultForbidden(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	s.World().SetFault(PeerA, Fault{Kind: FaultForbidden})
	code, body := op(t, s, PeerA, cmdHAAll)
	if code != http.StatusForbidden || string(body) != forbiddenBody {
		t.Errorf("HTTP %d %s, want the 403 reply", code, body)
	}
	// pango sees the same error it gets from a real device.
	var pe pangoerr.Panos
	if err := pangoerr.Parse(body); !errors.As(err, &pe) || pe.Code != 403 {
		t.Errorf("pango parses %v, want code 403", err)
	}
	// The other peer is not affected.
	code, body = op(t, s, PeerB, cmdHAAll)
	wantSuccess(t, code, body)
}

func TestFaultMalformed(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	s.World().SetFault(PeerB, Fault{Kind: FaultMalformed})
	code, body := op(t, s, PeerB, cmdHAAll)
	if code != http.StatusOK || !strings.HasPrefix(string(body), `<response status="success">`) {
		t.Fatalf("HTTP %d %s", code, body)
	}
	var v struct{}
	if err := xml.Unmarshal(body, &v); err == nil {
		t.Errorf("truncated reply parses as XML: %s", body)
	}
	if _, err := probe.ParseHA(body); !errors.Is(err, probe.ErrMalformed) {
		t.Errorf("probe.ParseHA = %v, want ErrMalformed", err)
	}
}

func TestFaultSlow(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	s.World().SetFault(PeerA, Fault{Kind: FaultSlow, Delay: time.Hour})
	start := time.Now()
	_, err := client(s, 100*time.Millisecond).PostForm(s.PeerURL(PeerA), url.Values{"type": {"op"}, "cmd": {cmdHAAll}, "key": {s.APIKey()}})
	var ne interface{ Timeout() bool }
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("slow peer: err %v, want a client timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("client waited %v", d)
	}
	// A short delay still answers.
	s.World().SetFault(PeerA, Fault{Kind: FaultSlow, Delay: time.Millisecond})
	code, body := op(t, s, PeerA, cmdHAAll)
	wantSuccess(t, code, body)
}

func TestFaultReset(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	s.World().SetFault(PeerB, Fault{Kind: FaultReset})
	resp, err := client(s, 5*time.Second).PostForm(s.PeerURL(PeerB), url.Values{"type": {"op"}, "cmd": {cmdHAAll}, "key": {s.APIKey()}})
	if err == nil {
		resp.Body.Close()
		t.Fatalf("reset fault answered HTTP %d", resp.StatusCode)
	}
	if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err %v, want a reset connection", err)
	}
}

func TestFaultHTML(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	s.World().SetFault(PeerA, Fault{Kind: FaultHTML})
	code, body, hdr := post(t, s, PeerA, url.Values{"type": {"op"}, "cmd": {cmdHAAll}, "key": {s.APIKey()}})
	if code != http.StatusBadGateway || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(string(body), "<html>") {
		t.Errorf("HTTP %d %q %s, want a 502 HTML page", code, hdr.Get("Content-Type"), body)
	}
	// pango reports no error for it: the caller must check the body.
	if err := pangoerr.Parse(body); err != nil {
		t.Errorf("pango parses %v", err)
	}
	if _, err := probe.ParseHA(body); !errors.Is(err, probe.ErrMalformed) {
		t.Errorf("probe.ParseHA = %v, want ErrMalformed", err)
	}
}

func TestFaultOneCommand(t *testing.T) {
	s, _ := testSim(t, WorldOptions{})
	s.World().SetFault(PeerB, Fault{Kind: FaultError, Command: CmdSessions})
	code, body := op(t, s, PeerB, cmdSessions)
	r := decode(t, body)
	if code != http.StatusOK || r.Status != "error" || r.Code != "17" || len(r.Lines) != 1 || r.Lines[0] != " show -> session is unexpected" {
		t.Errorf("sessions: HTTP %d %+v, want code 17", code, r)
	}
	var ae *probe.APIError
	if _, err := probe.ParseSessionInfo(body); !errors.As(err, &ae) || !ae.Unsupported() {
		t.Errorf("probe.ParseSessionInfo = %v, want an unsupported-command APIError", err)
	}
	for _, cmd := range []string{cmdHAAll, cmdInterfaces, cmdCounters} {
		code, body := op(t, s, PeerB, cmd)
		wantSuccess(t, code, body)
	}

	// A fault for one command overrides the fault for all.
	s.World().SetFault(PeerB, Fault{Kind: FaultForbidden})
	s.World().SetFault(PeerB, Fault{Kind: FaultError, Command: CmdHA, Code: 22, Message: "Session timed out"})
	code, body = op(t, s, PeerB, cmdHAAll)
	if r := decode(t, body); code != http.StatusOK || r.Code != "22" || r.Lines[0] != "Session timed out" {
		t.Errorf("ha: HTTP %d %+v, want code 22", code, r)
	}
	if code, _ := op(t, s, PeerB, cmdCounters); code != http.StatusForbidden {
		t.Errorf("counters: HTTP %d, want 403", code)
	}
	s.World().ClearFaults(PeerB)
	code, body = op(t, s, PeerB, cmdHAAll)
	wantSuccess(t, code, body)
}
