package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"
)

// Distinctive secret values that no output may contain.
const (
	testAPIKey     = "LUFRPT-api-key-value"
	testPassword   = "pw-value-Zx81"
	testAMPassword = "am-password-Qw55"
	testAMToken    = "am-token-Rt77"
)

var testSecrets = []string{testAPIKey, testPassword, testAMPassword, testAMToken}

// baseEnv is the smallest valid single-pair environment.
func baseEnv() map[string]string {
	return map[string]string{
		"HAWATCH_PEER_A":        "10.0.0.1",
		"HAWATCH_PEER_B":        "10.0.0.2",
		"HAWATCH_PANOS_API_KEY": testAPIKey,
	}
}

// load runs Load on baseEnv changed by set; an empty value removes the
// variable.
func load(t *testing.T, set map[string]string) (*Config, error) {
	t.Helper()
	env := baseEnv()
	for k, v := range set {
		if v == "" {
			delete(env, k)
			continue
		}
		env[k] = v
	}
	return Load(envconfig.MapLookuper(env))
}

// writeFile writes content to name in a fresh directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// errorFields lists the settings named by the problems in err.
func errorFields(err error) []string {
	var out []string
	for _, fe := range fieldErrors(err) {
		out = append(out, fe.Field)
	}
	return out
}

func assertNoSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range testSecrets {
		if strings.Contains(s, secret) {
			t.Errorf("%s contains secret %q:\n%s", what, secret, s)
		}
	}
}

func TestLoadDefaults(t *testing.T) {
	cfg, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		ListenAddresses:       []string{DefaultListenAddress},
		LogLevel:              "info",
		LogFormat:             "text",
		Shards:                1,
		AlertHoldScale:        1,
		StateSnapshotInterval: 10 * time.Minute,
		Web: WebConfig{
			ReadTimeout:    30 * time.Second,
			WriteTimeout:   time.Minute,
			IdleTimeout:    time.Minute,
			MaxAPIRequests: 8,
		},
		Alertmanager: AlertmanagerConfig{
			Timeout:       10 * time.Second,
			QueueCapacity: 10000,
			ResendDelay:   time.Minute,
		},
		Pairs: []PairConfig{{
			Name:               "default",
			PollInterval:       10 * time.Second,
			PollTimeout:        8 * time.Second,
			SystemInfoInterval: time.Hour,
			Peers: [2]PeerConfig{
				{Name: "10.0.0.1", Address: "10.0.0.1"},
				{Name: "10.0.0.2", Address: "10.0.0.2"},
			},
			PANOS: PANOSConfig{APIKey: testAPIKey},
		}},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("Load() =\n%+v\nwant\n%+v", cfg, want)
	}
}

func TestLoadEveryVariable(t *testing.T) {
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	web := filepath.Join(dir, "web.yml")
	for _, f := range []string{ca, web} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := load(t, map[string]string{
		"HAWATCH_PAIR":                           "edge-1",
		"HAWATCH_PEER_A":                         "fw-a.example.com",
		"HAWATCH_PEER_B":                         "fw-b.example.com:8443",
		"HAWATCH_PEER_A_NAME":                    "a",
		"HAWATCH_PEER_B_NAME":                    "b",
		"HAWATCH_PEER_A_INSTANCE_ID":             "i-0123456789abcdef0",
		"HAWATCH_PEER_B_INSTANCE_ID":             "i-01234567",
		"HAWATCH_PANOS_API_KEY":                  "",
		"HAWATCH_PANOS_USERNAME":                 "hawatch",
		"HAWATCH_PANOS_PASSWORD":                 testPassword,
		"HAWATCH_PANOS_CA_FILE":                  ca,
		"HAWATCH_PANOS_INSECURE_SKIP_VERIFY":     "true",
		"HAWATCH_POLL_INTERVAL":                  "30s",
		"HAWATCH_POLL_TIMEOUT":                   "20s",
		"HAWATCH_SYSTEM_INFO_INTERVAL":           "2h",
		"HAWATCH_LISTEN_ADDRESS":                 "127.0.0.1:9999,[::1]:9999",
		"HAWATCH_WEB_SYSTEMD_SOCKET":             "true",
		"HAWATCH_RUNBOOK_URL":                    "https://wiki.example.com/hawatch",
		"HAWATCH_LOG_LEVEL":                      "debug",
		"HAWATCH_LOG_FORMAT":                     "json",
		"HAWATCH_WEB_CONFIG_FILE":                web,
		"HAWATCH_DATA_DIR":                       "/var/lib/hawatch",
		"HAWATCH_STATE_SNAPSHOT_INTERVAL":        "0",
		"HAWATCH_SHARDS":                         "3",
		"HAWATCH_SHARD_INDEX":                    "2",
		"HAWATCH_ALERT_HOLD_SCALE":               "0.5",
		"HAWATCH_WEB_READ_TIMEOUT":               "5s",
		"HAWATCH_WEB_WRITE_TIMEOUT":              "2m",
		"HAWATCH_WEB_IDLE_TIMEOUT":               "30s",
		"HAWATCH_WEB_MAX_API_REQUESTS":           "3",
		"HAWATCH_WEB_ENABLE_LIFECYCLE":           "true",
		"HAWATCH_WEB_ENABLE_PPROF":               "true",
		"HAWATCH_AWS_REGION":                     "eu-west-1",
		"HAWATCH_AWS_HA_MODE":                    "interface-move",
		"HAWATCH_AWS_POLL_INTERVAL":              "1m",
		"HAWATCH_AWS_ENDPOINT":                   "http://localhost:4566",
		"HAWATCH_AWS_GRACE_PERIOD":               "2m",
		"HAWATCH_TRAFFIC_FLOOR_BYTES_PER_SECOND": "1500.5",
		"HAWATCH_ALERTMANAGER_URLS":              "http://am1:9093, https://am2:9093/prefix",
		"HAWATCH_ALERTMANAGER_USERNAME":          "hw",
		"HAWATCH_ALERTMANAGER_PASSWORD":          testAMPassword,
		"HAWATCH_ALERTMANAGER_CA_FILE":           ca,
		"HAWATCH_ALERTMANAGER_TIMEOUT":           "5s",
		"HAWATCH_ALERTMANAGER_QUEUE_CAPACITY":    "50",
		"HAWATCH_ALERTMANAGER_RESEND_DELAY":      "2m",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		ListenAddresses:  []string{"127.0.0.1:9999", "[::1]:9999"},
		WebSystemdSocket: true,
		RunbookURL:       "https://wiki.example.com/hawatch",
		LogLevel:         "debug",
		LogFormat:        "json",
		WebConfigFile:    web,
		DataDir:          "/var/lib/hawatch",
		Shards:           3,
		ShardIndex:       2,
		AlertHoldScale:   0.5,
		Web: WebConfig{
			ReadTimeout:     5 * time.Second,
			WriteTimeout:    2 * time.Minute,
			IdleTimeout:     30 * time.Second,
			MaxAPIRequests:  3,
			EnableLifecycle: true,
			EnablePprof:     true,
		},
		Alertmanager: AlertmanagerConfig{
			URLs:          []string{"http://am1:9093", "https://am2:9093/prefix"},
			Username:      "hw",
			Password:      testAMPassword,
			CAFile:        ca,
			Timeout:       5 * time.Second,
			QueueCapacity: 50,
			ResendDelay:   2 * time.Minute,
		},
		Pairs: []PairConfig{{
			Name:               "edge-1",
			PollInterval:       30 * time.Second,
			PollTimeout:        20 * time.Second,
			SystemInfoInterval: 2 * time.Hour,
			Peers: [2]PeerConfig{
				{Name: "a", Address: "fw-a.example.com", InstanceID: "i-0123456789abcdef0"},
				{Name: "b", Address: "fw-b.example.com:8443", InstanceID: "i-01234567"},
			},
			PANOS: PANOSConfig{Username: "hawatch", Password: testPassword, CAFile: ca, InsecureSkipVerify: true},
			AWS: &AWSConfig{
				Region:       "eu-west-1",
				Mode:         "interface-move",
				PollInterval: time.Minute,
				Endpoint:     "http://localhost:4566",
				GracePeriod:  2 * time.Minute,
			},
			TrafficFloorBytesPerSecond: 1500.5,
		}},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("Load() =\n%+v\nwant\n%+v", cfg, want)
	}
}

func TestLoadAWSRegion(t *testing.T) {
	for _, tc := range []struct {
		name       string
		env        map[string]string
		wantRegion string // empty: AWS off
	}{
		{"off by default", nil, ""},
		{"on via SDK variable", map[string]string{"AWS_REGION": "us-east-2"}, "us-east-2"},
		{"on via own variable", map[string]string{"HAWATCH_AWS_REGION": "eu-central-1"}, "eu-central-1"},
		{"own variable wins", map[string]string{"HAWATCH_AWS_REGION": "eu-central-1", "AWS_REGION": "us-east-2"}, "eu-central-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := load(t, tc.env)
			if err != nil {
				t.Fatal(err)
			}
			aws := cfg.Pairs[0].AWS
			switch {
			case tc.wantRegion == "" && aws != nil:
				t.Errorf("AWS = %+v, want off", aws)
			case tc.wantRegion != "" && aws == nil:
				t.Errorf("AWS off, want region %s", tc.wantRegion)
			case tc.wantRegion != "":
				want := &AWSConfig{Region: tc.wantRegion, Mode: "auto", PollInterval: 30 * time.Second, GracePeriod: 90 * time.Second}
				if !reflect.DeepEqual(aws, want) {
					t.Errorf("AWS = %+v, want %+v", aws, want)
				}
			}
		})
	}
}

func TestLoadSecretFiles(t *testing.T) {
	key := writeFile(t, "key", testAPIKey+"\n")
	pw := writeFile(t, "pw", testPassword+"\r\n")
	amPW := writeFile(t, "ampw", testAMPassword)
	amToken := writeFile(t, "amtoken", testAMToken+"\n\n")

	cfg, err := load(t, map[string]string{
		"HAWATCH_PANOS_API_KEY":      "",
		"HAWATCH_PANOS_API_KEY_FILE": key,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Pairs[0].PANOS.APIKey.Reveal(); got != testAPIKey {
		t.Errorf("API key = %q, want %q", got, testAPIKey)
	}

	cfg, err = load(t, map[string]string{
		"HAWATCH_PANOS_API_KEY":                  "",
		"HAWATCH_PANOS_USERNAME":                 "hawatch",
		"HAWATCH_PANOS_PASSWORD_FILE":            pw,
		"HAWATCH_ALERTMANAGER_URLS":              "http://am:9093",
		"HAWATCH_ALERTMANAGER_USERNAME":          "hw",
		"HAWATCH_ALERTMANAGER_PASSWORD_FILE":     amPW,
		"HAWATCH_ALERTMANAGER_BEARER_TOKEN_FILE": "",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Pairs[0].PANOS.Password.Reveal(); got != testPassword {
		t.Errorf("password = %q, want %q", got, testPassword)
	}
	if got := cfg.Alertmanager.Password.Reveal(); got != testAMPassword {
		t.Errorf("alertmanager password = %q, want %q", got, testAMPassword)
	}

	cfg, err = load(t, map[string]string{"HAWATCH_ALERTMANAGER_BEARER_TOKEN_FILE": amToken})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Alertmanager.BearerToken.Reveal(); got != testAMToken {
		t.Errorf("bearer token = %q, want %q", got, testAMToken)
	}
}

func TestLoadFromOSEnvironment(t *testing.T) {
	for k, v := range baseEnv() {
		t.Setenv(k, v)
	}
	t.Setenv("HAWATCH_PAIR", "from-os")
	cfg, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Pairs[0].Name != "from-os" {
		t.Errorf("pair name = %q, want from-os", cfg.Pairs[0].Name)
	}
}

func TestLoadErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	empty := writeFile(t, "empty", "\n")
	keyFile := writeFile(t, "key", testAPIKey)
	yamlFile := writeFile(t, "pairs.yaml", "pairs: []\n")

	for _, tc := range []struct {
		name      string
		env       map[string]string
		wantField string
		wantIs    error
		wantText  string
	}{
		{"unparsable poll interval", map[string]string{"HAWATCH_POLL_INTERVAL": "abc"}, "HAWATCH_POLL_INTERVAL", nil, `"abc"`},
		{"zero poll interval", map[string]string{"HAWATCH_POLL_INTERVAL": "0s"}, "HAWATCH_POLL_INTERVAL", nil, "positive"},
		{"timeout equals interval", map[string]string{"HAWATCH_POLL_TIMEOUT": "10s"}, "HAWATCH_POLL_TIMEOUT", nil, "shorter than the poll interval"},
		{"timeout above interval", map[string]string{"HAWATCH_POLL_INTERVAL": "5s", "HAWATCH_POLL_TIMEOUT": "6s"}, "HAWATCH_POLL_TIMEOUT", nil, "shorter"},
		{"negative timeout", map[string]string{"HAWATCH_POLL_TIMEOUT": "-1s"}, "HAWATCH_POLL_TIMEOUT", nil, "positive"},
		{"negative system info interval", map[string]string{"HAWATCH_SYSTEM_INFO_INTERVAL": "-1h"}, "HAWATCH_SYSTEM_INFO_INTERVAL", nil, "positive"},
		{"pair name", map[string]string{"HAWATCH_PAIR": "bad name!"}, "HAWATCH_PAIR", nil, "letters"},
		{"peer A missing", map[string]string{"HAWATCH_PEER_A": ""}, "HAWATCH_PEER_A", ErrRequired, ""},
		{"peer B missing", map[string]string{"HAWATCH_PEER_B": ""}, "HAWATCH_PEER_B", ErrRequired, ""},
		{"peer A is a URL", map[string]string{"HAWATCH_PEER_A": "https://10.0.0.1"}, "HAWATCH_PEER_A", nil, "not a URL"},
		{"peer B bad port", map[string]string{"HAWATCH_PEER_B": "10.0.0.2:99999"}, "HAWATCH_PEER_B", nil, "port"},
		{"same peers", map[string]string{"HAWATCH_PEER_B": "10.0.0.1:443"}, "HAWATCH_PEER_B", nil, "same as the other peer"},
		{"same peer names", map[string]string{"HAWATCH_PEER_A_NAME": "fw", "HAWATCH_PEER_B_NAME": "fw"}, "HAWATCH_PEER_B_NAME", nil, "same"},
		{"bad instance ID", map[string]string{"AWS_REGION": "eu-west-1", "HAWATCH_PEER_A_INSTANCE_ID": "i-xyz"}, "HAWATCH_PEER_A_INSTANCE_ID", nil, "instance ID"},
		{"instance ID without AWS", map[string]string{"HAWATCH_PEER_B_INSTANCE_ID": "i-0123456789abcdef0"}, "HAWATCH_PEER_B_INSTANCE_ID", nil, "AWS monitoring is off"},
		{"no credentials", map[string]string{"HAWATCH_PANOS_API_KEY": ""}, "HAWATCH_PANOS_API_KEY", ErrRequired, ""},
		{"username without password", map[string]string{"HAWATCH_PANOS_API_KEY": "", "HAWATCH_PANOS_USERNAME": "u"}, "HAWATCH_PANOS_PASSWORD", ErrRequired, ""},
		{"password without username", map[string]string{"HAWATCH_PANOS_API_KEY": "", "HAWATCH_PANOS_PASSWORD": testPassword}, "HAWATCH_PANOS_USERNAME", ErrRequired, ""},
		{"key and username", map[string]string{"HAWATCH_PANOS_USERNAME": "u", "HAWATCH_PANOS_PASSWORD": testPassword}, "HAWATCH_PANOS_API_KEY", ErrConflict, ""},
		{"key and key file", map[string]string{"HAWATCH_PANOS_API_KEY_FILE": keyFile}, "HAWATCH_PANOS_API_KEY", ErrConflict, "HAWATCH_PANOS_API_KEY_FILE"},
		{"password and password file", map[string]string{"HAWATCH_PANOS_API_KEY": "", "HAWATCH_PANOS_USERNAME": "u", "HAWATCH_PANOS_PASSWORD": testPassword, "HAWATCH_PANOS_PASSWORD_FILE": keyFile}, "HAWATCH_PANOS_PASSWORD", ErrConflict, "HAWATCH_PANOS_PASSWORD_FILE"},
		{"missing key file", map[string]string{"HAWATCH_PANOS_API_KEY": "", "HAWATCH_PANOS_API_KEY_FILE": missing}, "HAWATCH_PANOS_API_KEY_FILE", os.ErrNotExist, ""},
		{"empty key file", map[string]string{"HAWATCH_PANOS_API_KEY": "", "HAWATCH_PANOS_API_KEY_FILE": empty}, "HAWATCH_PANOS_API_KEY_FILE", nil, "empty"},
		{"missing password file", map[string]string{"HAWATCH_PANOS_API_KEY": "", "HAWATCH_PANOS_USERNAME": "u", "HAWATCH_PANOS_PASSWORD_FILE": missing}, "HAWATCH_PANOS_PASSWORD_FILE", os.ErrNotExist, ""},
		{"missing CA file", map[string]string{"HAWATCH_PANOS_CA_FILE": missing}, "HAWATCH_PANOS_CA_FILE", os.ErrNotExist, ""},
		{"bad boolean", map[string]string{"HAWATCH_PANOS_INSECURE_SKIP_VERIFY": "maybe"}, "HAWATCH_PANOS_INSECURE_SKIP_VERIFY", nil, "boolean"},
		{"listen address", map[string]string{"HAWATCH_LISTEN_ADDRESS": "10869"}, "HAWATCH_LISTEN_ADDRESS", nil, "host:port"},
		{"second listen address", map[string]string{"HAWATCH_LISTEN_ADDRESS": ":10869,localhost"}, "HAWATCH_LISTEN_ADDRESS", nil, `"localhost" is not a valid host:port`},
		{"runbook url scheme", map[string]string{"HAWATCH_RUNBOOK_URL": "ftp://wiki/runbooks"}, "HAWATCH_RUNBOOK_URL", nil, "http or https"},
		{"runbook url relative", map[string]string{"HAWATCH_RUNBOOK_URL": "runbooks.md"}, "HAWATCH_RUNBOOK_URL", nil, "scheme"},
		{"log level", map[string]string{"HAWATCH_LOG_LEVEL": "verbose"}, "HAWATCH_LOG_LEVEL", nil, "debug, info, warn, error"},
		{"log format", map[string]string{"HAWATCH_LOG_FORMAT": "xml"}, "HAWATCH_LOG_FORMAT", nil, "text, json"},
		{"missing web config", map[string]string{"HAWATCH_WEB_CONFIG_FILE": missing}, "HAWATCH_WEB_CONFIG_FILE", os.ErrNotExist, ""},
		{"zero shards", map[string]string{"HAWATCH_SHARDS": "0"}, "HAWATCH_SHARDS", nil, "at least 1"},
		{"unparsable shards", map[string]string{"HAWATCH_SHARDS": "two"}, "HAWATCH_SHARDS", nil, "integer"},
		{"shard index too big", map[string]string{"HAWATCH_SHARDS": "2", "HAWATCH_SHARD_INDEX": "2"}, "HAWATCH_SHARD_INDEX", nil, "from 0 to 1"},
		{"negative shard index", map[string]string{"HAWATCH_SHARD_INDEX": "-1"}, "HAWATCH_SHARD_INDEX", nil, "from 0 to 0"},
		{"hold scale above 1", map[string]string{"HAWATCH_ALERT_HOLD_SCALE": "2"}, "HAWATCH_ALERT_HOLD_SCALE", nil, "at most 1"},
		{"hold scale zero", map[string]string{"HAWATCH_ALERT_HOLD_SCALE": "0"}, "HAWATCH_ALERT_HOLD_SCALE", nil, "above 0"},
		{"state snapshots too often", map[string]string{"HAWATCH_STATE_SNAPSHOT_INTERVAL": "30s"}, "HAWATCH_STATE_SNAPSHOT_INTERVAL", nil, "at least 1m"},
		{"state snapshots negative", map[string]string{"HAWATCH_STATE_SNAPSHOT_INTERVAL": "-1m"}, "HAWATCH_STATE_SNAPSHOT_INTERVAL", nil, "0 (off) or positive"},
		{"zero read timeout", map[string]string{"HAWATCH_WEB_READ_TIMEOUT": "0s"}, "HAWATCH_WEB_READ_TIMEOUT", nil, "positive"},
		{"negative write timeout", map[string]string{"HAWATCH_WEB_WRITE_TIMEOUT": "-1s"}, "HAWATCH_WEB_WRITE_TIMEOUT", nil, "positive"},
		{"unparsable idle timeout", map[string]string{"HAWATCH_WEB_IDLE_TIMEOUT": "long"}, "HAWATCH_WEB_IDLE_TIMEOUT", nil, `"long"`},
		{"no API requests", map[string]string{"HAWATCH_WEB_MAX_API_REQUESTS": "0"}, "HAWATCH_WEB_MAX_API_REQUESTS", nil, "at least 1"},
		{"lifecycle not a boolean", map[string]string{"HAWATCH_WEB_ENABLE_LIFECYCLE": "yes please"}, "HAWATCH_WEB_ENABLE_LIFECYCLE", nil, "boolean"},
		{"pprof not a boolean", map[string]string{"HAWATCH_WEB_ENABLE_PPROF": "on"}, "HAWATCH_WEB_ENABLE_PPROF", nil, "boolean"},
		{"AWS mode", map[string]string{"AWS_REGION": "eu-west-1", "HAWATCH_AWS_HA_MODE": "active-active"}, "HAWATCH_AWS_HA_MODE", nil, "secondary-ip"},
		{"AWS mode without region", map[string]string{"HAWATCH_AWS_HA_MODE": "auto"}, "HAWATCH_AWS_HA_MODE", nil, "AWS_REGION"},
		{"AWS poll interval", map[string]string{"AWS_REGION": "eu-west-1", "HAWATCH_AWS_POLL_INTERVAL": "0s"}, "HAWATCH_AWS_POLL_INTERVAL", nil, "positive"},
		{"AWS grace period", map[string]string{"AWS_REGION": "eu-west-1", "HAWATCH_AWS_GRACE_PERIOD": "-1s"}, "HAWATCH_AWS_GRACE_PERIOD", nil, "negative"},
		{"AWS endpoint", map[string]string{"AWS_REGION": "eu-west-1", "HAWATCH_AWS_ENDPOINT": "ftp://x"}, "HAWATCH_AWS_ENDPOINT", nil, "http or https"},
		{"negative traffic floor", map[string]string{"HAWATCH_TRAFFIC_FLOOR_BYTES_PER_SECOND": "-1"}, "HAWATCH_TRAFFIC_FLOOR_BYTES_PER_SECOND", nil, "zero or more"},
		{"unparsable traffic floor", map[string]string{"HAWATCH_TRAFFIC_FLOOR_BYTES_PER_SECOND": "fast"}, "HAWATCH_TRAFFIC_FLOOR_BYTES_PER_SECOND", nil, "number"},
		{"alertmanager scheme", map[string]string{"HAWATCH_ALERTMANAGER_URLS": "http://am:9093,ftp://am"}, "HAWATCH_ALERTMANAGER_URLS", nil, "URL 2"},
		{"alertmanager unparsable URL", map[string]string{"HAWATCH_ALERTMANAGER_URLS": "http://am:port"}, "HAWATCH_ALERTMANAGER_URLS", nil, "not a valid URL"},
		{"alertmanager password in URL", map[string]string{"HAWATCH_ALERTMANAGER_URLS": "http://u:" + testAMPassword + "@am:9093"}, "HAWATCH_ALERTMANAGER_URLS", nil, "password"},
		{"alertmanager username without password", map[string]string{"HAWATCH_ALERTMANAGER_USERNAME": "u"}, "HAWATCH_ALERTMANAGER_PASSWORD", ErrRequired, ""},
		{"alertmanager password without username", map[string]string{"HAWATCH_ALERTMANAGER_PASSWORD": testAMPassword}, "HAWATCH_ALERTMANAGER_USERNAME", ErrRequired, ""},
		{"alertmanager token and basic auth", map[string]string{"HAWATCH_ALERTMANAGER_USERNAME": "u", "HAWATCH_ALERTMANAGER_PASSWORD": testAMPassword, "HAWATCH_ALERTMANAGER_BEARER_TOKEN": testAMToken}, "HAWATCH_ALERTMANAGER_BEARER_TOKEN", ErrConflict, ""},
		{"alertmanager token and token file", map[string]string{"HAWATCH_ALERTMANAGER_BEARER_TOKEN": testAMToken, "HAWATCH_ALERTMANAGER_BEARER_TOKEN_FILE": keyFile}, "HAWATCH_ALERTMANAGER_BEARER_TOKEN", ErrConflict, ""},
		{"alertmanager missing password file", map[string]string{"HAWATCH_ALERTMANAGER_USERNAME": "u", "HAWATCH_ALERTMANAGER_PASSWORD_FILE": missing}, "HAWATCH_ALERTMANAGER_PASSWORD_FILE", os.ErrNotExist, ""},
		{"alertmanager missing CA", map[string]string{"HAWATCH_ALERTMANAGER_CA_FILE": missing}, "HAWATCH_ALERTMANAGER_CA_FILE", os.ErrNotExist, ""},
		{"alertmanager timeout", map[string]string{"HAWATCH_ALERTMANAGER_TIMEOUT": "0s"}, "HAWATCH_ALERTMANAGER_TIMEOUT", nil, "positive"},
		{"alertmanager queue", map[string]string{"HAWATCH_ALERTMANAGER_QUEUE_CAPACITY": "0"}, "HAWATCH_ALERTMANAGER_QUEUE_CAPACITY", nil, "at least 1"},
		{"alertmanager resend", map[string]string{"HAWATCH_ALERTMANAGER_RESEND_DELAY": "soon"}, "HAWATCH_ALERTMANAGER_RESEND_DELAY", nil, `"soon"`},
		{"config file with peers", map[string]string{"HAWATCH_CONFIG_FILE": yamlFile}, "HAWATCH_PEER_A", ErrConflict, "HAWATCH_CONFIG_FILE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := load(t, tc.env)
			if err == nil {
				t.Fatalf("Load() = %+v, want an error naming %s", cfg, tc.wantField)
			}
			if !slices.Contains(errorFields(err), tc.wantField) {
				t.Errorf("error names %q, want %s:\n%v", errorFields(err), tc.wantField, err)
			}
			if !strings.HasPrefix(err.Error(), tc.wantField+": ") && !strings.Contains(err.Error(), "\n"+tc.wantField+": ") {
				t.Errorf("error text does not start with %s: %v", tc.wantField, err)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error is not %v: %v", tc.wantIs, err)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error does not mention %q: %v", tc.wantText, err)
			}
			assertNoSecrets(t, "error", err.Error())
		})
	}
}

func TestLoadReportsAllProblems(t *testing.T) {
	_, err := load(t, map[string]string{
		"HAWATCH_LOG_LEVEL":     "loud",
		"HAWATCH_POLL_INTERVAL": "1s",
		"HAWATCH_POLL_TIMEOUT":  "2s",
		"HAWATCH_PEER_B":        "",
	})
	want := []string{"HAWATCH_LOG_LEVEL", "HAWATCH_POLL_TIMEOUT", "HAWATCH_PEER_B"}
	if got := errorFields(err); !reflect.DeepEqual(got, want) {
		t.Errorf("error names %q, want %q:\n%v", got, want, err)
	}
}

func TestWebOrDefaults(t *testing.T) {
	got := WebConfig{WriteTimeout: 5 * time.Second, EnableLifecycle: true}.OrDefaults()
	want := WebConfig{
		ReadTimeout: 30 * time.Second, WriteTimeout: 5 * time.Second, IdleTimeout: time.Minute,
		MaxAPIRequests: 8, EnableLifecycle: true,
	}
	if got != want {
		t.Errorf("OrDefaults() = %+v, want %+v", got, want)
	}
}
