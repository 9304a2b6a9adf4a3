package config

import "time"

// DefaultListenAddress is where the HTTP server listens unless
// HAWATCH_LISTEN_ADDRESS says otherwise.
const DefaultListenAddress = ":9869"

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
		ListenAddress:  DefaultListenAddress,
		LogLevel:       defaultLogLevel,
		LogFormat:      defaultLogFormat,
		Shards:         1,
		AlertHoldScale: 1,
		Alertmanager: AlertmanagerConfig{
			Timeout:       defaultAlertmanagerTimeout,
			QueueCapacity: defaultAlertmanagerQueueCapacity,
			ResendDelay:   defaultAlertmanagerResendDelay,
		},
	}
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
