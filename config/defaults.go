package config

import (
	"cmp"
	"time"
)

// DefaultListenAddress is where the HTTP server listens unless
// HAWATCH_LISTEN_ADDRESS says otherwise. Port 10869 lies outside the range
// 9100-9999 that the Prometheus "default port allocations" list reports as
// full, is not assigned by IANA, and sits below the ephemeral ports that
// Linux hands to outgoing connections (32768 and up).
const DefaultListenAddress = ":10869"

// DefaultPairName names the pair configured from the environment.
const DefaultPairName = "default"

// Defaults of the settings below; the YAML file and the environment share
// them so that a pair means the same wherever it was written.
const (
	defaultLogLevel           = "info"
	defaultLogFormat          = "text"
	defaultPollInterval       = 10 * time.Second
	defaultSystemInfoInterval = time.Hour
	// defaultTimeoutPercent sizes the poll deadline when none is given, so
	// that a slow poll ends before the next tick.
	defaultTimeoutPercent = 80

	defaultAWSMode         = awsModeAuto
	defaultAWSPollInterval = 30 * time.Second
	// Interface-move failover takes from about 20 seconds to over a minute.
	defaultAWSGracePeriod = 90 * time.Second

	// The write timeout outlasts the slowest legitimate reply (a page of
	// 1000 events or a scrape of many pairs takes well under a second);
	// the idle timeout keeps a Prometheus scraping every 15-30 s on one
	// connection without letting abandoned ones pile up.
	defaultWebReadTimeout    = 30 * time.Second
	defaultWebWriteTimeout   = time.Minute
	defaultWebIdleTimeout    = time.Minute
	defaultWebMaxAPIRequests = 8

	defaultAlertmanagerTimeout       = 10 * time.Second
	defaultAlertmanagerQueueCapacity = 10000
	defaultAlertmanagerResendDelay   = time.Minute
)

// AWS HA modes; the same strings as the probe's.
const (
	awsModeSecondaryIP   = "secondary-ip"
	awsModeInterfaceMove = "interface-move"
	awsModeAuto          = "auto"
)

// defaultConfig returns the daemon settings before any are read.
func defaultConfig() Config {
	return Config{
		ListenAddresses: []string{DefaultListenAddress},
		LogLevel:        defaultLogLevel,
		LogFormat:       defaultLogFormat,
		Shards:          1,
		AlertHoldScale:  1,
		Web:             defaultWeb(),
		Alertmanager: AlertmanagerConfig{
			Timeout:       defaultAlertmanagerTimeout,
			QueueCapacity: defaultAlertmanagerQueueCapacity,
			ResendDelay:   defaultAlertmanagerResendDelay,
		},
	}
}

func defaultWeb() WebConfig {
	return WebConfig{
		ReadTimeout:    defaultWebReadTimeout,
		WriteTimeout:   defaultWebWriteTimeout,
		IdleTimeout:    defaultWebIdleTimeout,
		MaxAPIRequests: defaultWebMaxAPIRequests,
	}
}

// OrDefaults returns w with its unset (zero) limits set to the defaults,
// for configurations built in code rather than loaded.
func (w WebConfig) OrDefaults() WebConfig {
	def := defaultWeb()
	w.ReadTimeout = cmp.Or(w.ReadTimeout, def.ReadTimeout)
	w.WriteTimeout = cmp.Or(w.WriteTimeout, def.WriteTimeout)
	w.IdleTimeout = cmp.Or(w.IdleTimeout, def.IdleTimeout)
	w.MaxAPIRequests = cmp.Or(w.MaxAPIRequests, def.MaxAPIRequests)
	return w
}

// defaultAWS returns the AWS settings of a pair before any are read.
func defaultAWS() AWSConfig {
	return AWSConfig{
		Mode:         defaultAWSMode,
		PollInterval: defaultAWSPollInterval,
		GracePeriod:  defaultAWSGracePeriod,
	}
}

// defaultPollTimeout is the poll deadline used when none is configured.
func defaultPollTimeout(interval time.Duration) time.Duration {
	return interval * defaultTimeoutPercent / 100
}

// complete fills the settings of a pair that default to other settings:
// the poll timeout to a share of the interval and peer names to their
// addresses.
func (p *PairConfig) complete() {
	if p.PollTimeout == 0 {
		p.PollTimeout = defaultPollTimeout(p.PollInterval)
	}
	for i := range p.Peers {
		if p.Peers[i].Name == "" {
			p.Peers[i].Name = p.Peers[i].Address
		}
	}
}

// DefaultStateSnapshotInterval is how often the daemon takes each pair's
// rolling state snapshot: about 13 on-demand requests per peer, so at a
// 10 s poll it adds a fiftieth of a request per peer per poll, and a
// failover's "before" is at most this old.
const DefaultStateSnapshotInterval = 10 * time.Minute
