// Package config loads hawatch's configuration from the environment (one
// pair) or a strict YAML file (many pairs), applies defaults and validates
// it in one place.
package config

import (
	"time"
)

// Secret is a string that never prints: fmt, slog, JSON and YAML output show
// "<secret>" (or nothing when empty).
type Secret string

// String hides the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "<secret>"
}

// GoString hides the value from %#v.
func (s Secret) GoString() string { return s.String() }

// MarshalText hides the value from encoders.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Reveal returns the value, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }

// Config is the whole configuration of the daemon.
type Config struct {
	// ListenAddresses are the HTTP server's host:port addresses; each
	// serves the same handlers.
	ListenAddresses []string
	// WebSystemdSocket takes the listeners from systemd socket activation
	// instead of ListenAddresses.
	WebSystemdSocket bool
	LogLevel         string // debug, info, warn, error
	LogFormat        string // text, json
	// WebConfigFile is an exporter-toolkit web config (TLS, basic auth).
	WebConfigFile string
	// Web bounds the HTTP server and turns the lifecycle API on.
	Web WebConfig
	// DataDir holds the event journal; empty disables it.
	DataDir string
	// StateSnapshotInterval is how often the daemon takes the rolling
	// state snapshot of each pair that it keeps as the "before" of a
	// failover or reboot; 0 turns the automatic state snapshots off.
	StateSnapshotInterval time.Duration
	// ConfigFile is the YAML file the pairs came from, if any.
	ConfigFile string
	// RunbookURL is the runbooks document that the runbook_url annotation
	// of hawatch's own alerts points into; the alerts package's default
	// when empty.
	RunbookURL string

	Alertmanager AlertmanagerConfig

	// AlertHoldScale multiplies every alert's for and keep-firing holds;
	// 1 in production, smaller for demos and tests.
	AlertHoldScale float64

	// Maintenance are the maintenance windows the configuration file
	// announces for its pairs.
	Maintenance []MaintenanceConfig

	// Shards and ShardIndex split the pairs between instances.
	Shards     int
	ShardIndex int

	Pairs []PairConfig
}

// WebConfig bounds what one HTTP client can hold of the daemon: time,
// connections and the expensive API handlers. It is read at start; a
// reload does not change it.
type WebConfig struct {
	// ReadTimeout bounds reading a whole request; ReadHeaderTimeout, the
	// shorter of it and 10 s, bounds reading the headers.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response, so that a client that stops
	// reading releases its handler.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long.
	IdleTimeout time.Duration
	// MaxAPIRequests is how many /api/v1 requests are served at once;
	// more are refused with 503.
	MaxAPIRequests int
	// EnableLifecycle turns POST /-/reload on; SIGHUP reloads regardless.
	EnableLifecycle bool
	// EnablePprof serves Go's runtime profiles under /debug/pprof/. Off
	// by default: a profile shows the daemon's internals and costs CPU
	// while it runs.
	EnablePprof bool
}

// PairConfig configures one HA pair.
type PairConfig struct {
	Name         string
	PollInterval time.Duration
	PollTimeout  time.Duration
	// SystemInfoInterval is how often `show system info` is re-read.
	SystemInfoInterval time.Duration
	Peers              [2]PeerConfig
	PANOS              PANOSConfig
	// AWS is nil when AWS monitoring is off for the pair.
	AWS *AWSConfig
	// TrafficFloorBytesPerSecond, when set, is the data-plane rate below
	// which traffic counts as stopped even without a learnt baseline.
	TrafficFloorBytesPerSecond float64
}

// PeerConfig is one firewall of a pair.
type PeerConfig struct {
	Name    string // the peer label; defaults to Address
	Address string // host[:port] of the management interface (HTTPS)
	// InstanceID is the peer's EC2 instance; discovered from the
	// management IP when empty and AWS is on.
	InstanceID string
}

// PANOSConfig holds the credentials and TLS settings used for both peers.
type PANOSConfig struct {
	APIKey   Secret
	Username string
	Password Secret
	// CAFile verifies the peers' certificates; the system pool when empty.
	CAFile             string
	InsecureSkipVerify bool
}

// AWSConfig turns AWS monitoring on for a pair.
type AWSConfig struct {
	Region       string
	Mode         string // secondary-ip, interface-move or auto
	PollInterval time.Duration
	// Endpoint overrides the EC2 endpoint (tests, private endpoints); the
	// SDK's AWS_ENDPOINT_URL_EC2 works too.
	Endpoint string
	// GracePeriod is how long after a failover AWS checks may fail
	// before they count as wrong.
	GracePeriod time.Duration
}

// AlertmanagerConfig configures the push of alerts.
type AlertmanagerConfig struct {
	URLs          []string
	Username      string
	Password      Secret
	BearerToken   Secret
	CAFile        string
	Timeout       time.Duration
	QueueCapacity int
	// ResendDelay is how often firing alerts are sent again.
	ResendDelay time.Duration
}
