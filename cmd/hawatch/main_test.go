package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckConfig: check-config exits 0 on a valid configuration without
// printing the key, and non-zero naming the bad variable otherwise.
func TestCheckConfig(t *testing.T) {
	t.Setenv("HAWATCH_PEER_A", "fw-a.example.net")
	t.Setenv("HAWATCH_PEER_B", "fw-b.example.net")
	t.Setenv("HAWATCH_PANOS_API_KEY", "LUFRPT-very-secret-key")
	var out, errOut bytes.Buffer
	if code := run([]string{"check-config"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if strings.Contains(out.String(), "very-secret") || !strings.Contains(out.String(), "fw-a.example.net") {
		t.Errorf("output:\n%s", out.String())
	}
	t.Setenv("HAWATCH_POLL_TIMEOUT", "1m")
	out.Reset()
	errOut.Reset()
	if code := run([]string{"check-config"}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "HAWATCH_POLL_TIMEOUT") {
		t.Errorf("timeout longer than the interval: exit %d: %s", code, errOut.String())
	}
}

func TestCheckConfigFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "hawatch.yml")
	if err := os.WriteFile(file, []byte("pairs:\n  - name: edge\n    peerz: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HAWATCH_CONFIG_FILE", file)
	var out, errOut bytes.Buffer
	if code := run([]string{"check-config"}, &out, &errOut); code == 0 || !strings.Contains(errOut.String(), "peerz") {
		t.Errorf("unknown key: exit %d: %s", code, errOut.String())
	}
}

func TestUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"frobnicate"}, &out, &errOut); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
}
