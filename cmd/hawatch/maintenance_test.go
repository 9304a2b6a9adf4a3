package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMaintenanceHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help"} {
		var out, errb bytes.Buffer
		if code := runMaintenance([]string{arg}, &out, &errb); code != 0 {
			t.Errorf("%s: exit %d, stderr %q", arg, code, errb.String())
		}
		if !strings.Contains(out.String(), "start PAIR --for DURATION") || !strings.Contains(out.String(), "--reason") {
			t.Errorf("%s: usage not on stdout: %q", arg, out.String())
		}
	}
}

func TestMaintenanceVersion(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runMaintenance([]string{"--version"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "hawatch") {
		t.Errorf("--version: exit %d, %q %q", code, out.String(), errb.String())
	}
}

func TestMaintenanceBadUse(t *testing.T) {
	for _, args := range [][]string{nil, {"start", "edge"}, {"stop"}, {"list", "edge"}, {"pause", "edge"}, {"start", "edge", "--for", "soon"}} {
		var out, errb bytes.Buffer
		if code := runMaintenance(args, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		if errb.Len() == 0 {
			t.Errorf("%q: nothing on stderr", args)
		}
	}
}

// TestMaintenanceTalksToTheAPI runs start, list and stop against a server
// that answers as the daemon does and checks the requests and the output.
func TestMaintenanceTalksToTheAPI(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type")+" "+strings.TrimSpace(string(b)))
		win := `{"pair":"edge","start":"2026-03-01T02:00:00Z","end":"2026-03-01T04:00:00Z","reason":"upgrade"}`
		switch r.Method {
		case http.MethodPost:
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, win)
		case http.MethodDelete:
			http.Error(w, `Pair "edge" is not in maintenance.`, http.StatusNotFound)
		default:
			_, _ = io.WriteString(w, "["+win+"]")
		}
	}))
	defer srv.Close()
	var out, errb bytes.Buffer
	if code := runMaintenance([]string{"start", "edge", "--for", "2h", "--reason", "upgrade", "--url", srv.URL}, &out, &errb); code != 0 {
		t.Fatalf("start: exit %d: %s", code, errb.String())
	}
	var req map[string]string
	if err := json.Unmarshal([]byte(strings.SplitN(got[0], " ", 4)[3]), &req); err != nil || req["pair"] != "edge" || req["duration"] != "2h0m0s" || req["reason"] != "upgrade" {
		t.Errorf("start sent %q (%v)", got[0], err)
	}
	if !strings.HasPrefix(got[0], "POST /api/v1/maintenance application/json ") {
		t.Errorf("start sent %q", got[0])
	}
	if code := runMaintenance([]string{"list", "--url", srv.URL}, &out, &errb); code != 0 {
		t.Fatalf("list: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "PAIR") || !strings.Contains(out.String(), "upgrade") {
		t.Errorf("list printed %q", out.String())
	}
	errb.Reset()
	if code := runMaintenance([]string{"stop", "edge", "--url", srv.URL}, &out, &errb); code != 1 {
		t.Errorf("stop of a pair not in maintenance: exit %d", code)
	}
	if !strings.Contains(errb.String(), "not in maintenance") || got[2] != "DELETE /api/v1/maintenance/edge application/json " {
		t.Errorf("stop: sent %q, stderr %q", got[2], errb.String())
	}
}
