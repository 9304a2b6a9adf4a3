package config

import (
	"net/url"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Redacted returns the effective configuration as YAML, with secrets shown
// as "<secret>" and passwords removed from URLs, for `check-config` and
// debugging. Keys follow the YAML file's.
func (c *Config) Redacted() string {
	out := redactedConfig{
		ListenAddresses:       c.ListenAddresses,
		WebSystemdSocket:      c.WebSystemdSocket,
		LogLevel:              c.LogLevel,
		LogFormat:             c.LogFormat,
		WebConfigFile:         c.WebConfigFile,
		RunbookURL:            c.RunbookURL,
		DataDir:               c.DataDir,
		StateSnapshotInterval: c.StateSnapshotInterval,
		ConfigFile:            c.ConfigFile,
		Shards:                c.Shards,
		ShardIndex:            c.ShardIndex,
		Web: redactedWeb{
			ReadTimeout:     c.Web.ReadTimeout,
			WriteTimeout:    c.Web.WriteTimeout,
			IdleTimeout:     c.Web.IdleTimeout,
			MaxAPIRequests:  c.Web.MaxAPIRequests,
			EnableLifecycle: c.Web.EnableLifecycle,
			EnablePprof:     c.Web.EnablePprof,
		},
		Alertmanager: redactedAlertmanager{
			Username:      c.Alertmanager.Username,
			Password:      c.Alertmanager.Password.String(),
			BearerToken:   c.Alertmanager.BearerToken.String(),
			CAFile:        c.Alertmanager.CAFile,
			Timeout:       c.Alertmanager.Timeout,
			QueueCapacity: c.Alertmanager.QueueCapacity,
			ResendDelay:   c.Alertmanager.ResendDelay,
		},
	}
	for _, u := range c.Alertmanager.URLs {
		out.Alertmanager.URLs = append(out.Alertmanager.URLs, redactURL(u))
	}
	for _, p := range c.Pairs {
		out.Pairs = append(out.Pairs, redactPair(p, c.Shards))
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return "# cannot render configuration: " + err.Error() + "\n"
	}
	return b.String()
}

func redactPair(p PairConfig, shards int) redactedPair {
	r := redactedPair{
		Name:               p.Name,
		PollInterval:       p.PollInterval,
		PollTimeout:        p.PollTimeout,
		SystemInfoInterval: p.SystemInfoInterval,
		PANOS: redactedPANOS{
			APIKey:             p.PANOS.APIKey.String(),
			Username:           p.PANOS.Username,
			Password:           p.PANOS.Password.String(),
			CAFile:             p.PANOS.CAFile,
			InsecureSkipVerify: p.PANOS.InsecureSkipVerify,
		},
		TrafficFloor: p.TrafficFloorBytesPerSecond,
	}
	if shards > 1 {
		s := ShardOf(p.Name, shards)
		r.Shard = &s
	}
	for _, peer := range p.Peers {
		r.Peers = append(r.Peers, redactedPeer(peer))
	}
	if a := p.AWS; a != nil {
		r.AWS = &redactedAWS{
			Region:       a.Region,
			HAMode:       a.Mode,
			PollInterval: a.PollInterval,
			Endpoint:     redactURL(a.Endpoint),
			GracePeriod:  a.GracePeriod,
		}
	}
	return r
}

type redactedConfig struct {
	ListenAddresses       []string             `yaml:"listen_addresses"`
	WebSystemdSocket      bool                 `yaml:"web_systemd_socket,omitempty"`
	RunbookURL            string               `yaml:"runbook_url,omitempty"`
	LogLevel              string               `yaml:"log_level"`
	LogFormat             string               `yaml:"log_format"`
	WebConfigFile         string               `yaml:"web_config_file,omitempty"`
	DataDir               string               `yaml:"data_dir,omitempty"`
	StateSnapshotInterval time.Duration        `yaml:"state_snapshot_interval"`
	ConfigFile            string               `yaml:"config_file,omitempty"`
	Shards                int                  `yaml:"shards"`
	ShardIndex            int                  `yaml:"shard_index"`
	Web                   redactedWeb          `yaml:"web"`
	Alertmanager          redactedAlertmanager `yaml:"alertmanager"`
	Pairs                 []redactedPair       `yaml:"pairs"`
}

type redactedWeb struct {
	ReadTimeout     time.Duration `yaml:"read_timeout"`
	WriteTimeout    time.Duration `yaml:"write_timeout"`
	IdleTimeout     time.Duration `yaml:"idle_timeout"`
	MaxAPIRequests  int           `yaml:"max_api_requests"`
	EnableLifecycle bool          `yaml:"enable_lifecycle"`
	EnablePprof     bool          `yaml:"enable_pprof"`
}

type redactedAlertmanager struct {
	URLs          []string      `yaml:"urls,omitempty"`
	Username      string        `yaml:"username,omitempty"`
	Password      string        `yaml:"password,omitempty"`
	BearerToken   string        `yaml:"bearer_token,omitempty"`
	CAFile        string        `yaml:"ca_file,omitempty"`
	Timeout       time.Duration `yaml:"timeout"`
	QueueCapacity int           `yaml:"queue_capacity"`
	ResendDelay   time.Duration `yaml:"resend_delay"`
}

type redactedPair struct {
	Name               string         `yaml:"name"`
	Shard              *int           `yaml:"shard,omitempty"`
	PollInterval       time.Duration  `yaml:"poll_interval"`
	PollTimeout        time.Duration  `yaml:"poll_timeout"`
	SystemInfoInterval time.Duration  `yaml:"system_info_interval"`
	Peers              []redactedPeer `yaml:"peers"`
	PANOS              redactedPANOS  `yaml:"panos"`
	AWS                *redactedAWS   `yaml:"aws,omitempty"`
	TrafficFloor       float64        `yaml:"traffic_floor_bytes_per_second,omitempty"`
}

type redactedPeer struct {
	Name       string `yaml:"name"`
	Address    string `yaml:"address"`
	InstanceID string `yaml:"instance_id,omitempty"`
}

type redactedPANOS struct {
	APIKey             string `yaml:"api_key,omitempty"`
	Username           string `yaml:"username,omitempty"`
	Password           string `yaml:"password,omitempty"`
	CAFile             string `yaml:"ca_file,omitempty"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

type redactedAWS struct {
	Region       string        `yaml:"region"`
	HAMode       string        `yaml:"ha_mode"`
	PollInterval time.Duration `yaml:"poll_interval"`
	Endpoint     string        `yaml:"endpoint,omitempty"`
	GracePeriod  time.Duration `yaml:"grace_period"`
}

// redactURL returns a URL with any password replaced, for display.
func redactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid URL>"
	}
	return u.Redacted()
}
