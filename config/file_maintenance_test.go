package config

import (
	"strings"
	"testing"
	"time"
)

func TestLoadFileMaintenance(t *testing.T) {
	path := writeFile(t, "pairs.yaml", `pairs:
  - name: a
    peers: [{address: h1}, {address: h2}]
    panos: {api_key: k}
    maintenance: {until: 2026-03-01T04:00:00+01:00, reason: " PAN-OS 10.2.9 upgrade "}
  - name: b
    peers: [{address: h3}, {address: h4}]
    panos: {api_key: k}
`)
	cfg, err := LoadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := MaintenanceConfig{Pair: "a", Until: time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC), Reason: "PAN-OS 10.2.9 upgrade"}
	if len(cfg.Maintenance) != 1 || cfg.Maintenance[0] != want {
		t.Errorf("maintenance %+v, want [%+v]", cfg.Maintenance, want)
	}
}

func TestLoadFileMaintenanceErrors(t *testing.T) {
	for _, tc := range []struct{ annotation, want string }{
		{`{reason: upgrade}`, "pairs[0].maintenance.until: an end time is required"},
		{`{until: tomorrow}`, `pairs[0].maintenance.until: invalid value "tomorrow"`},
		{`{until: 2026-03-01T04:00:00Z, reason: ` + strings.Repeat("x", 201) + `}`, "pairs[0].maintenance.reason: longer than 200 characters"},
		{`{until: 2026-03-01T04:00:00Z, for: 2h}`, "pairs[0].maintenance.for: unknown field"},
	} {
		path := writeFile(t, "pairs.yaml", "pairs:\n  - name: a\n    peers: [{address: h1}, {address: h2}]\n    panos: {api_key: k}\n    maintenance: "+tc.annotation+"\n")
		if _, err := LoadFile(path, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("maintenance %s: error %v, want %q", tc.annotation, err, tc.want)
		}
	}
}
