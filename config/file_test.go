package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"
)

func TestLoadFileGood(t *testing.T) {
	base := defaultConfig()
	base.LogLevel = "debug"
	base.Pairs = []PairConfig{{Name: "stale"}}
	cfg, err := LoadFile("testdata/good.yaml", &base)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LogLevel != "debug" || cfg.ConfigFile != "testdata/good.yaml" {
		t.Errorf("daemon settings not kept from base: log level %q, config file %q", cfg.LogLevel, cfg.ConfigFile)
	}
	ca := filepath.Join("testdata", "secrets", "ca.pem")
	want := []PairConfig{
		{
			Name:               "edge-eu",
			PollInterval:       15 * time.Second,
			PollTimeout:        12 * time.Second,
			SystemInfoInterval: 30 * time.Minute,
			Peers: [2]PeerConfig{
				{Name: "fw-a", Address: "10.0.0.10", InstanceID: "i-0123456789abcdef0"},
				{Name: "fw-b", Address: "10.0.0.11"},
			},
			PANOS:                      PANOSConfig{APIKey: testAPIKey, CAFile: ca},
			AWS:                        &AWSConfig{Region: "eu-west-1", Mode: "interface-move", PollInterval: 45 * time.Second, GracePeriod: 2 * time.Minute},
			TrafficFloorBytesPerSecond: 1000,
		},
		{
			Name:               "edge-us",
			PollInterval:       5 * time.Second,
			PollTimeout:        3 * time.Second,
			SystemInfoInterval: 30 * time.Minute,
			Peers: [2]PeerConfig{
				{Name: "fw1.us.example.com", Address: "fw1.us.example.com"},
				{Name: "fw2.us.example.com:8443", Address: "fw2.us.example.com:8443"},
			},
			// The pair's credentials replace the defaults' as a whole;
			// the CA file is still inherited.
			PANOS: PANOSConfig{Username: "hawatch", Password: testPassword, CAFile: ca, InsecureSkipVerify: true},
			AWS:   &AWSConfig{Region: "us-east-1", Mode: "auto", PollInterval: 45 * time.Second, Endpoint: "http://localhost:4566", GracePeriod: 90 * time.Second},
		},
		{
			Name:               "lab",
			PollInterval:       15 * time.Second,
			PollTimeout:        12 * time.Second,
			SystemInfoInterval: 30 * time.Minute,
			Peers: [2]PeerConfig{
				{Name: "[2001:db8::1]", Address: "[2001:db8::1]"},
				{Name: "2001:db8::2", Address: "2001:db8::2"},
			},
			PANOS: PANOSConfig{APIKey: testAPIKey, CAFile: ca},
		},
	}
	if !reflect.DeepEqual(cfg.Pairs, want) {
		t.Errorf("pairs =\n%+v\nwant\n%+v", cfg.Pairs, want)
	}
}

func TestLoadFileErrors(t *testing.T) {
	for _, tc := range []struct {
		file   string
		want   []string
		wantIs error
	}{
		{"unknown_key.yaml", []string{
			"config file testdata/unknown_key.yaml:8: pairs[1].peers[0].adrress: unknown field (did you mean address?)",
			"config file testdata/unknown_key.yaml:10: pairs[1].pol_interval: unknown field (did you mean poll_interval?)",
		}, ErrUnknownField},
		{"bad_duration.yaml", []string{
			`config file testdata/bad_duration.yaml:5: pairs[0].poll_interval: invalid value "10": want a duration such as 30s or 1m30s`,
			`config file testdata/bad_duration.yaml:11: pairs[0].aws.grace_period: invalid value "ninety seconds": want a duration such as 30s or 1m30s`,
		}, nil},
		{"duplicate_pair.yaml", []string{
			`config file testdata/duplicate_pair.yaml:8: pairs[2].name: duplicate pair name "edge-eu" (first used by pairs[0])`,
		}, nil},
		{"one_peer.yaml", []string{
			"config file testdata/one_peer.yaml:5: pairs[0].peers: exactly two peers required, got 1",
		}, nil},
		{"timeout_from_defaults.yaml", []string{
			"config file testdata/timeout_from_defaults.yaml:2: pairs[1].poll_timeout (from defaults.poll_timeout): must be shorter than the poll interval (5s), got 8s",
		}, nil},
		{"key_and_key_file.yaml", []string{
			"config file testdata/key_and_key_file.yaml:5: pairs[0].panos.api_key: conflicting settings: set pairs[0].panos.api_key or pairs[0].panos.api_key_file, not both",
		}, ErrConflict},
		{"duplicate_key.yaml", []string{
			"config file testdata/duplicate_key.yaml:7: pairs[0].poll_interval: duplicate key (first at line 6)",
		}, nil},
		{"two_documents.yaml", []string{
			"config file testdata/two_documents.yaml:5: more than one YAML document",
		}, nil},
		{"empty.yaml", []string{"config file testdata/empty.yaml: empty file"}, nil},
		{"bad_values.yaml", []string{
			`config file testdata/bad_values.yaml:4: pairs[0].name: "edge eu": use up to 63 letters, digits, '_', '.' or '-', starting with a letter or digit`,
			"config file testdata/bad_values.yaml:5: pairs[0].peers[1].address: must be host or host:port, not a URL",
			"config file testdata/bad_values.yaml:6: pairs[0].aws.region: required when AWS monitoring is on",
			`config file testdata/bad_values.yaml:6: pairs[0].aws.ha_mode: "active-active" is not one of secondary-ip, interface-move, auto`,
			"config file testdata/bad_values.yaml:7: pairs[0].traffic_floor_bytes_per_second: must be a number of zero or more, got -5",
			"config file testdata/bad_values.yaml:9: pairs[1].peers[0].instance_id: set but AWS monitoring is off for the pair",
			"config file testdata/bad_values.yaml:9: pairs[1].peers[1].address: same as the other peer (10.0.1.10:443)",
		}, nil},
		{"secret_type_error.yaml", []string{
			"config file testdata/secret_type_error.yaml:5: pairs[0].panos.password: got a list, want a string",
			"config file testdata/secret_type_error.yaml:6: pairs[0].panos.username: got a mapping, want a string",
		}, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			cfg, err := LoadFile(filepath.Join("testdata", tc.file), nil)
			if err == nil {
				t.Fatalf("LoadFile() = %+v, want an error", cfg)
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("error =\n%s\nwant\n%s", err, strings.Join(tc.want, "\n"))
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error is not %v", tc.wantIs)
			}
			assertNoSecrets(t, "error", err.Error())
		})
	}
}

func TestLoadFileTrailingEmptyDocument(t *testing.T) {
	path := writeFile(t, "pairs.yaml", "pairs:\n  - name: a\n    peers: [{address: h1}, {address: h2}]\n    panos: {api_key: k}\n---\n# end\n")
	if _, err := LoadFile(path, nil); err != nil {
		t.Errorf("LoadFile() = %v, want no error", err)
	}
}

func TestLoadFileSyntaxError(t *testing.T) {
	path := writeFile(t, "bad.yaml", "pairs:\n  - name: a\n   peers: x\n")
	_, err := LoadFile(path, nil)
	if err == nil || !regexp.MustCompile(`^config file .*bad.yaml:\d+: invalid YAML: `).MatchString(err.Error()) {
		t.Errorf("error = %v, want a YAML syntax error naming file and line", err)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile(filepath.Join(t.TempDir(), "missing.yaml"), nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error = %v, want not exist", err)
	}
}

func TestLoadFileReadsSecretsAgain(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "key")
	path := filepath.Join(dir, "pairs.yaml")
	yaml := "pairs:\n  - name: a\n    peers: [{address: h1}, {address: h2}]\n    panos: {api_key_file: key}\n"
	for _, f := range []struct{ path, content string }{{key, "first\n"}, {path, yaml}} {
		if err := os.WriteFile(f.path, []byte(f.content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := LoadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, []byte("second\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	reloaded, err := LoadFile(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := reloaded.Pairs[0].PANOS.APIKey.Reveal(); got != "second" {
		t.Errorf("API key after reload = %q, want second", got)
	}
	if got := cfg.Pairs[0].PANOS.APIKey.Reveal(); got != "first" {
		t.Errorf("reload changed the old configuration: API key %q", got)
	}
}

func TestLoadWithConfigFile(t *testing.T) {
	path, err := filepath.Abs("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(envconfig.MapLookuper(map[string]string{
		"HAWATCH_CONFIG_FILE": path,
		"HAWATCH_LOG_FORMAT":  "json",
		// The SDK's variable belongs to the AWS SDK, not to a pair.
		"AWS_REGION": "us-west-2",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ConfigFile != path || cfg.LogFormat != "json" || len(cfg.Pairs) != 3 {
		t.Errorf("Load() = config file %q, log format %q, %d pairs; want %q, json, 3", cfg.ConfigFile, cfg.LogFormat, len(cfg.Pairs), path)
	}
}

func TestLoadWithConfigFileRejectsPairVariables(t *testing.T) {
	_, err := Load(envconfig.MapLookuper(map[string]string{
		"HAWATCH_CONFIG_FILE":   "testdata/good.yaml",
		"HAWATCH_PEER_B":        "10.0.0.2",
		"HAWATCH_POLL_INTERVAL": "5s",
	}))
	want := []string{"HAWATCH_PEER_B", "HAWATCH_POLL_INTERVAL"}
	if got := errorFields(err); !reflect.DeepEqual(got, want) {
		t.Errorf("error names %q, want %q: %v", got, want, err)
	}
	if err != nil && !strings.Contains(err.Error(), "HAWATCH_CONFIG_FILE") {
		t.Errorf("error does not name HAWATCH_CONFIG_FILE: %v", err)
	}
}

func TestLoadFileLiteralSecretOfAnyScalarType(t *testing.T) {
	path := writeFile(t, "pairs.yaml", "pairs:\n  - name: a\n    peers: [{address: h1}, {address: h2}]\n    panos: {username: u, password: 12345}\n")
	cfg, err := LoadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Pairs[0].PANOS.Password.Reveal(); got != "12345" {
		t.Errorf("password = %q, want 12345", got)
	}
}
