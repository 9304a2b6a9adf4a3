package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNormalizeAddress(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		wantErr  bool
	}{
		{"10.0.0.1", "10.0.0.1:443", false},
		{"10.0.0.1:8443", "10.0.0.1:8443", false},
		{"FW-A.Example.com", "fw-a.example.com:443", false},
		{"fw-a.example.com:443", "fw-a.example.com:443", false},
		{"2001:db8::1", "[2001:db8::1]:443", false},
		{"[2001:db8::1]", "[2001:db8::1]:443", false},
		{"[2001:db8::1]:8443", "[2001:db8::1]:8443", false},
		{"", "", true},
		{"https://10.0.0.1", "", true},
		{"10.0.0.1/api", "", true},
		{"admin@10.0.0.1", "", true},
		{"10.0.0.1:0", "", true},
		{"10.0.0.1:https", "", true},
		{"10.0.0.1:", "", true},
		{":443", "", true},
		{"fw a", "", true},
		{"not:an:ip", "", true},
	} {
		got, err := normalizeAddress(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("normalizeAddress(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// brokenPair has a problem in every pair setting.
func brokenPair() PairConfig {
	return PairConfig{
		Name:               "bad name",
		PollInterval:       time.Second,
		PollTimeout:        2 * time.Second,
		SystemInfoInterval: -time.Second,
		Peers: [2]PeerConfig{
			{Name: "a", Address: "https://x", InstanceID: "i-bad"},
			{Name: "b", Address: ""},
		},
		PANOS: PANOSConfig{Username: "u", CAFile: "/nonexistent/ca.pem"},
		AWS: &AWSConfig{
			Mode:         "other",
			PollInterval: -time.Second,
			Endpoint:     "localhost:4566",
			GracePeriod:  -time.Second,
		},
		TrafficFloorBytesPerSecond: -1,
	}
}

var brokenPairKeys = []string{
	"name", "poll_timeout", "system_info_interval",
	"peers[0].address", "peers[0].instance_id", "peers[1].address",
	"panos.password", "panos.ca_file",
	"aws.region", "aws.ha_mode", "aws.poll_interval", "aws.grace_period", "aws.endpoint",
	"traffic_floor_bytes_per_second",
}

func TestValidateNamesEnvironmentVariables(t *testing.T) {
	cfg := defaultConfig()
	cfg.Pairs = []PairConfig{brokenPair()}
	err := cfg.Validate()
	var want []string
	for _, k := range brokenPairKeys {
		want = append(want, pairEnvNames[k])
	}
	if got := errorFields(err); !reflect.DeepEqual(got, want) {
		t.Errorf("error names\n%q\nwant\n%q\n%v", got, want, err)
	}
	for _, f := range errorFields(err) {
		if !strings.HasPrefix(f, "HAWATCH_") {
			t.Errorf("problem named %q, want an environment variable", f)
		}
	}
}

func TestValidateNamesFileKeys(t *testing.T) {
	cfg := defaultConfig()
	cfg.ConfigFile = "pairs.yaml"
	cfg.Pairs = []PairConfig{{}, brokenPair()}
	cfg.Pairs[0] = cfg.Pairs[1]
	cfg.Pairs[0].Name = "ok"
	err := cfg.Validate()
	var want []string
	for i := range 2 {
		for _, k := range brokenPairKeys {
			if i == 0 && k == "name" {
				continue
			}
			want = append(want, fmt.Sprintf("pairs[%d].%s", i, k))
		}
	}
	if got := errorFields(err); !reflect.DeepEqual(got, want) {
		t.Errorf("error names\n%q\nwant\n%q", got, want)
	}
	if !strings.HasPrefix(err.Error(), "config file pairs.yaml: pairs[0].poll_timeout: ") {
		t.Errorf("error does not name the file: %v", err)
	}
}

func TestValidateNoPairs(t *testing.T) {
	cfg := defaultConfig()
	cfg.ConfigFile = "pairs.yaml"
	err := cfg.Validate()
	if !errors.Is(err, ErrRequired) || errorFields(err)[0] != "pairs" {
		t.Errorf("Validate() = %v, want pairs required", err)
	}
}

func TestLoadFileFlowStyleErrors(t *testing.T) {
	path := writeFile(t, "pairs.yaml", "pairs:\n  - {name: a, peers: [{adrress: h1}, {adrress: h2}], panos: {api_key: k}}\n")
	_, err := LoadFile(path, nil)
	want := []string{"pairs[0].peers[0].adrress", "pairs[0].peers[1].adrress"}
	if got := errorFields(err); !reflect.DeepEqual(got, want) {
		t.Errorf("error names %q, want %q: %v", got, want, err)
	}
}

func TestLoadFileMergeKeys(t *testing.T) {
	path := writeFile(t, "pairs.yaml", `
pairs:
  - &base
    name: a
    peers: [{address: h1}, {address: h2}]
    panos: {api_key: k}
  - <<: *base
    name: b
`)
	cfg, err := LoadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Pairs) != 2 || cfg.Pairs[1].Name != "b" || cfg.Pairs[1].Peers[0].Address != "h1" {
		t.Errorf("pairs = %+v, want a and b with the same peers", cfg.Pairs)
	}
}
