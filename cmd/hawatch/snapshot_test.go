package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
	"github.com/hawatch/hawatch/statesnap"
)

func TestSnapshotHelp(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"snapshot", "-h"}, []string{"hawatch snapshot save NAME", "hawatch snapshot diff A B"}},
		{[]string{"snapshot", "--help"}, []string{"hawatch snapshot list"}},
		{[]string{"snapshot", "save", "-h"}, []string{"usage: hawatch snapshot save", "Arguments: NAME", "--pair=STRING", "env HAWATCH_CONFIG_FILE"}},
		{[]string{"snapshot", "diff", "x", "--help"}, []string{"usage: hawatch snapshot diff", "Arguments: A B", "--sessions-tolerance"}},
		{[]string{"snapshot", "list", "--help"}, []string{"usage: hawatch snapshot list"}},
	} {
		var out, errOut bytes.Buffer
		code := run(tt.args, &out, &errOut)
		for _, w := range tt.want {
			if code != 0 || !strings.Contains(out.String(), w) {
				t.Errorf("%v: exit %d, stdout %q lacks %q (stderr %q)", tt.args, code, out.String(), w, errOut.String())
			}
		}
	}
}

// simPairEnv points the configuration at an in-process simulator.
func simPairEnv(t *testing.T) *sim.Sim {
	t.Helper()
	s, err := sim.Start(context.Background(), sim.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	for k, v := range map[string]string{
		"HAWATCH_PAIR": "edge", "HAWATCH_PEER_A": s.PeerAddr(0), "HAWATCH_PEER_A_NAME": "fw-a",
		"HAWATCH_PEER_B": s.PeerAddr(1), "HAWATCH_PEER_B_NAME": "fw-b",
		"HAWATCH_PANOS_API_KEY": s.APIKey(), "HAWATCH_PANOS_CA_FILE": s.CAFile(),
		"HAWATCH_AWS_REGION": "us-east-1", "HAWATCH_AWS_ENDPOINT": s.EC2URL(),
		"AWS_ACCESS_KEY_ID": "AKIDHAWATCHTEST", "AWS_SECRET_ACCESS_KEY": "test-aws-secret",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
		"HAWATCH_DATA_DIR": t.TempDir(),
	} {
		t.Setenv(k, v)
	}
	return s
}

// TestSnapshotSaveDiff saves two snapshots of a healthy pair with the real
// clients and compares them: no difference; then one with a port down.
func TestSnapshotSaveDiff(t *testing.T) {
	s := simPairEnv(t)
	save := func(name string) {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := run([]string{"snapshot", "save", name}, &out, &errOut); code != 0 {
			t.Fatalf("save %s: exit %d: %s", name, code, errOut.String())
		}
		if errOut.Len() > 0 {
			t.Errorf("save %s warned: %s", name, errOut.String())
		}
	}
	save("one")
	save("two")
	got, err := statesnap.Store{Dir: statesnap.DirIn(os.Getenv("HAWATCH_DATA_DIR"))}.Get("one")
	if err != nil {
		t.Fatal(err)
	}
	if got.HA.Active != "fw-a" || len(got.Peers) != 2 || got.AWS == nil || len(got.AWS.ENIs) == 0 ||
		len(got.Peers[0].Routes) == 0 || len(got.Peers[0].ARP) == 0 || len(got.Peers[0].Tunnels) == 0 {
		t.Errorf("snapshot lacks parts: %+v", got)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"snapshot", "diff", "one", "two"}, &out, &errOut); code != 0 {
		t.Errorf("diff of two healthy snapshots: exit %d:\n%s%s", code, out.String(), errOut.String())
	}
	s.World().SetInterface(sim.PeerB, sim.IfaceTrust, false)
	save("three")
	out.Reset()
	if code := run([]string{"snapshot", "diff", "--output", "json", "one", "three"}, &out, &errOut); code != 1 {
		t.Errorf("diff with a port down: exit %d, want 1:\n%s%s", code, out.String(), errOut.String())
	}
	var r statesnap.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Checks {
		if c.Name == statesnap.CheckInterface && (c.Status != "fail" || !strings.Contains(c.Evidence, "fw-b lost 1 of 3 ports that were up: ethernet1/3")) {
			t.Errorf("interfaces-up: %+v", c)
		}
	}
}

// TestSnapshotDiffBadInput: unreadable snapshots and bad flags exit 2
// with the reason, never 0 or 1.
func TestSnapshotDiffBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	b, err := statesnap.Marshal(&statesnap.Snapshot{SchemaVersion: 1, Name: "good", Pair: "edge",
		TakenAt: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC), Peers: []statesnap.Peer{{Name: "fw-a"}}})
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"good.json": b, "partial.json": b[:len(b)/3], "corrupt.json": []byte("\x00\x01garbage")} {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HAWATCH_DATA_DIR", "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{good, filepath.Join(dir, "partial.json")}, "partial.json: bad snapshot file"},
		{[]string{filepath.Join(dir, "corrupt.json"), good}, "corrupt.json: bad snapshot file"},
		{[]string{good, filepath.Join(dir, "missing.json")}, "no such file"},
		{[]string{good, "by-name"}, "HAWATCH_DATA_DIR is not set"},
		{[]string{good}, "want two snapshots"},
		{[]string{good, good, "--sessions-tolerance", "ten"}, "not a percentage"},
		{[]string{good, good, "--skip", "bogus"}, "no such check"},
		{[]string{good, good, "--output", "yaml"}, "want table or json"},
		{[]string{good, good, "--bogus"}, "flag provided but not defined: -bogus"},
	} {
		var out, errOut bytes.Buffer
		code := run(append([]string{"snapshot", "diff"}, tt.args...), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tt.args, code, errOut.String(), tt.want)
		}
	}
}

// TestSnapshotSaveNeedsAPlace: without HAWATCH_DATA_DIR or --file there is
// nowhere to save, and an unknown pair is an error; both exit 2.
func TestSnapshotSaveNeedsAPlace(t *testing.T) {
	simPairEnv(t)
	t.Setenv("HAWATCH_DATA_DIR", "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"snapshot", "save", "x"}, "HAWATCH_DATA_DIR is not set"},
		{[]string{"snapshot", "save", "x", "--file", filepath.Join(t.TempDir(), "x.json"), "--pair", "core"}, `no pair named "core"`},
		{[]string{"snapshot", "save", "../x", "--file", "x.json"}, "snapshot name"},
		{[]string{"snapshot", "frobnicate"}, "unknown command"},
	} {
		var out, errOut bytes.Buffer
		if code := run(tt.args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tt.args, code, errOut.String(), tt.want)
		}
	}
}
