package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// secretConfig loads a configuration holding every kind of secret.
func secretConfig(t *testing.T) *Config {
	t.Helper()
	cfg, err := load(t, map[string]string{
		"HAWATCH_PANOS_API_KEY":             "",
		"HAWATCH_PANOS_USERNAME":            "hawatch",
		"HAWATCH_PANOS_PASSWORD":            testPassword,
		"HAWATCH_ALERTMANAGER_URLS":         "http://am:9093",
		"HAWATCH_ALERTMANAGER_BEARER_TOKEN": testAMToken,
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Alertmanager.Password = testAMPassword // not valid with a token; only printed
	cfg.Pairs = append(cfg.Pairs, cfg.Pairs[0])
	cfg.Pairs[1].PANOS = PANOSConfig{APIKey: testAPIKey}
	return cfg
}

func TestSecretsDoNotPrint(t *testing.T) {
	cfg := secretConfig(t)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		assertNoSecrets(t, format, fmt.Sprintf(format, cfg))
		assertNoSecrets(t, format+" of value", fmt.Sprintf(format, *cfg))
		assertNoSecrets(t, format+" of pair", fmt.Sprintf(format, cfg.Pairs[0]))
	}
	if got := fmt.Sprint(Secret(testAPIKey)); got != "<secret>" {
		t.Errorf("fmt.Sprint(secret) = %q, want <secret>", got)
	}
	if got := fmt.Sprint(Secret("")); got != "" {
		t.Errorf("fmt.Sprint(empty secret) = %q, want empty", got)
	}
}

func TestSecretsDoNotLog(t *testing.T) {
	cfg := secretConfig(t)
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		logger := slog.New(h(&buf))
		logger.Info("loaded",
			"config", cfg,
			"pair", cfg.Pairs[0],
			"password", cfg.Pairs[0].PANOS.Password,
			"api_key", cfg.Pairs[1].PANOS.APIKey)
		out := buf.String()
		assertNoSecrets(t, name+" log", out)
		if !strings.Contains(out, "<secret>") {
			t.Errorf("%s log does not show the secrets as <secret>:\n%s", name, out)
		}
	}
}

func TestSecretLogValue(t *testing.T) {
	if got := Secret(testAPIKey).LogValue().String(); got != "<secret>" {
		t.Errorf("LogValue() = %q, want <secret>", got)
	}
}

func TestSecretsDoNotEncode(t *testing.T) {
	cfg := secretConfig(t)
	j, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, "JSON", string(j))
	y, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, "YAML", string(y))
}

func TestRedacted(t *testing.T) {
	cfg := secretConfig(t)
	cfg.Alertmanager.URLs = []string{"http://user:" + testAMPassword + "@am:9093"}
	cfg.Shards = 2
	out := cfg.Redacted()
	assertNoSecrets(t, "Redacted()", out)
	for _, want := range []string{
		"listen_addresses:\n  - :10869",
		"bearer_token: <secret>",
		"http://user:xxxxx@am:9093",
		"password: <secret>",
		"api_key: <secret>",
		"poll_timeout: 8s",
		"write_timeout: 1m0s",
		"enable_lifecycle: false",
		"shard: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Redacted() lacks %q:\n%s", want, out)
		}
	}
	// The output is YAML in the file's key style.
	var back map[string]any
	if err := yaml.Unmarshal([]byte(out), &back); err != nil {
		t.Errorf("Redacted() is not YAML: %v\n%s", err, out)
	}
}

func TestSlogLevel(t *testing.T) {
	for in, want := range map[string]slog.Level{
		"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError, "bogus": slog.LevelInfo,
	} {
		c := &Config{LogLevel: in}
		if got := c.SlogLevel(); got != want {
			t.Errorf("SlogLevel(%q) = %v, want %v", in, got, want)
		}
	}
}
