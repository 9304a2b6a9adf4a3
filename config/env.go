package config

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sethvargo/go-envconfig"
)

// Environment variables of the daemon settings and of the single pair. The
// names are a user-facing contract.
const (
	envConfigFile     = "HAWATCH_CONFIG_FILE"
	envListenAddress  = "HAWATCH_LISTEN_ADDRESS"
	envLogLevel       = "HAWATCH_LOG_LEVEL"
	envLogFormat      = "HAWATCH_LOG_FORMAT"
	envWebConfigFile  = "HAWATCH_WEB_CONFIG_FILE"
	envRunbookURL     = "HAWATCH_RUNBOOK_URL"
	envShards         = "HAWATCH_SHARDS"
	envShardIndex     = "HAWATCH_SHARD_INDEX"
	envAlertHoldScale = "HAWATCH_ALERT_HOLD_SCALE"

	envWebReadTimeout     = "HAWATCH_WEB_READ_TIMEOUT"
	envWebWriteTimeout    = "HAWATCH_WEB_WRITE_TIMEOUT"
	envWebIdleTimeout     = "HAWATCH_WEB_IDLE_TIMEOUT"
	envWebMaxAPIRequests  = "HAWATCH_WEB_MAX_API_REQUESTS"
	envWebEnableLifecycle = "HAWATCH_WEB_ENABLE_LIFECYCLE"
	envWebEnablePprof     = "HAWATCH_WEB_ENABLE_PPROF"

	envAlertmanagerURLs          = "HAWATCH_ALERTMANAGER_URLS"
	envAlertmanagerUsername      = "HAWATCH_ALERTMANAGER_USERNAME"
	envAlertmanagerPassword      = "HAWATCH_ALERTMANAGER_PASSWORD"
	envAlertmanagerBearerToken   = "HAWATCH_ALERTMANAGER_BEARER_TOKEN"
	envAlertmanagerCAFile        = "HAWATCH_ALERTMANAGER_CA_FILE"
	envAlertmanagerTimeout       = "HAWATCH_ALERTMANAGER_TIMEOUT"
	envAlertmanagerQueueCapacity = "HAWATCH_ALERTMANAGER_QUEUE_CAPACITY"
	envAlertmanagerResendDelay   = "HAWATCH_ALERTMANAGER_RESEND_DELAY"

	envPair               = "HAWATCH_PAIR"
	envPeerA              = "HAWATCH_PEER_A"
	envPeerB              = "HAWATCH_PEER_B"
	envPollInterval       = "HAWATCH_POLL_INTERVAL"
	envPollTimeout        = "HAWATCH_POLL_TIMEOUT"
	envSystemInfoInterval = "HAWATCH_SYSTEM_INFO_INTERVAL"
	envPANOSAPIKey        = "HAWATCH_PANOS_API_KEY"
	envPANOSUsername      = "HAWATCH_PANOS_USERNAME"
	envPANOSPassword      = "HAWATCH_PANOS_PASSWORD"
	envPANOSCAFile        = "HAWATCH_PANOS_CA_FILE"
	envAWSRegion          = "HAWATCH_AWS_REGION"
	envAWSHAMode          = "HAWATCH_AWS_HA_MODE"
	envAWSPollInterval    = "HAWATCH_AWS_POLL_INTERVAL"
	envAWSEndpoint        = "HAWATCH_AWS_ENDPOINT"
	envAWSGracePeriod     = "HAWATCH_AWS_GRACE_PERIOD"
	envTrafficFloor       = "HAWATCH_TRAFFIC_FLOOR_BYTES_PER_SECOND"

	envStateSnapshotInterval = "HAWATCH_STATE_SNAPSHOT_INTERVAL"

	// envSDKRegion is the AWS SDK's own region variable.
	envSDKRegion = "AWS_REGION"
	// fileSuffix names the variable that holds a secret's file.
	fileSuffix = "_FILE"
)

// daemonEnv holds the settings that always come from the environment.
type daemonEnv struct {
	ConfigFile       string   `env:"HAWATCH_CONFIG_FILE"`
	ListenAddresses  []string `env:"HAWATCH_LISTEN_ADDRESS"`
	WebSystemdSocket bool     `env:"HAWATCH_WEB_SYSTEMD_SOCKET"`
	LogLevel         string   `env:"HAWATCH_LOG_LEVEL"`
	LogFormat        string   `env:"HAWATCH_LOG_FORMAT"`
	WebConfigFile    string   `env:"HAWATCH_WEB_CONFIG_FILE"`
	RunbookURL       string   `env:"HAWATCH_RUNBOOK_URL"`
	DataDir          string   `env:"HAWATCH_DATA_DIR"`
	// StateSnapshotInterval is nil when unset, so that 0 can turn the
	// automatic state snapshots off.
	StateSnapshotInterval *time.Duration `env:"HAWATCH_STATE_SNAPSHOT_INTERVAL, noinit"`
	Shards                int            `env:"HAWATCH_SHARDS"`
	ShardIndex            int            `env:"HAWATCH_SHARD_INDEX"`
	AlertHoldScale        float64        `env:"HAWATCH_ALERT_HOLD_SCALE"`

	WebReadTimeout     time.Duration `env:"HAWATCH_WEB_READ_TIMEOUT"`
	WebWriteTimeout    time.Duration `env:"HAWATCH_WEB_WRITE_TIMEOUT"`
	WebIdleTimeout     time.Duration `env:"HAWATCH_WEB_IDLE_TIMEOUT"`
	WebMaxAPIRequests  int           `env:"HAWATCH_WEB_MAX_API_REQUESTS"`
	WebEnableLifecycle bool          `env:"HAWATCH_WEB_ENABLE_LIFECYCLE"`
	WebEnablePprof     bool          `env:"HAWATCH_WEB_ENABLE_PPROF"`

	AlertmanagerURLs            []string      `env:"HAWATCH_ALERTMANAGER_URLS"`
	AlertmanagerUsername        string        `env:"HAWATCH_ALERTMANAGER_USERNAME"`
	AlertmanagerPassword        Secret        `env:"HAWATCH_ALERTMANAGER_PASSWORD"`
	AlertmanagerPasswordFile    string        `env:"HAWATCH_ALERTMANAGER_PASSWORD_FILE"`
	AlertmanagerBearerToken     Secret        `env:"HAWATCH_ALERTMANAGER_BEARER_TOKEN"`
	AlertmanagerBearerTokenFile string        `env:"HAWATCH_ALERTMANAGER_BEARER_TOKEN_FILE"`
	AlertmanagerCAFile          string        `env:"HAWATCH_ALERTMANAGER_CA_FILE"`
	AlertmanagerTimeout         time.Duration `env:"HAWATCH_ALERTMANAGER_TIMEOUT"`
	AlertmanagerQueueCapacity   int           `env:"HAWATCH_ALERTMANAGER_QUEUE_CAPACITY"`
	AlertmanagerResendDelay     time.Duration `env:"HAWATCH_ALERTMANAGER_RESEND_DELAY"`
}

// Load reads the configuration from the environment: the daemon settings,
// and either one pair from the HAWATCH_PEER_* and related variables or many
// pairs from the YAML file named by HAWATCH_CONFIG_FILE. It applies the
// defaults and validates the result. A nil lookup reads the process
// environment.
func Load(lookup envconfig.Lookuper) (*Config, error) {
	if lookup == nil {
		lookup = envconfig.OsLookuper()
	}
	cfg, errs, err := daemonFromEnv(lookup)
	if err != nil {
		return nil, err
	}
	if cfg.ConfigFile != "" {
		errs = append(errs, pairVariablesSet(lookup)...)
		if len(errs) > 0 {
			return nil, joinFieldErrors(errs)
		}
		return LoadFile(cfg.ConfigFile, cfg)
	}
	pair, perrs, err := pairFromEnv(lookup)
	if err != nil {
		return nil, err
	}
	if errs = append(errs, perrs...); len(errs) > 0 {
		return nil, joinFieldErrors(errs)
	}
	cfg.Pairs = []PairConfig{pair}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// daemonFromEnv reads the daemon settings. Unparsable values end the load
// at once (err); problems with secret files are collected (errs).
func daemonFromEnv(lookup envconfig.Lookuper) (*Config, []*FieldError, error) {
	def := defaultConfig()
	e := daemonEnv{
		ListenAddresses:           def.ListenAddresses,
		LogLevel:                  def.LogLevel,
		LogFormat:                 def.LogFormat,
		Shards:                    def.Shards,
		AlertHoldScale:            def.AlertHoldScale,
		WebReadTimeout:            def.Web.ReadTimeout,
		WebWriteTimeout:           def.Web.WriteTimeout,
		WebIdleTimeout:            def.Web.IdleTimeout,
		WebMaxAPIRequests:         def.Web.MaxAPIRequests,
		AlertmanagerTimeout:       def.Alertmanager.Timeout,
		AlertmanagerQueueCapacity: def.Alertmanager.QueueCapacity,
		AlertmanagerResendDelay:   def.Alertmanager.ResendDelay,
	}
	if err := processEnv(lookup, &e); err != nil {
		return nil, nil, err
	}
	var errs []*FieldError
	password, ferr := secretFromEnv(envAlertmanagerPassword, e.AlertmanagerPassword, e.AlertmanagerPasswordFile)
	errs = appendIf(errs, ferr)
	token, ferr := secretFromEnv(envAlertmanagerBearerToken, e.AlertmanagerBearerToken, e.AlertmanagerBearerTokenFile)
	errs = appendIf(errs, ferr)
	cfg := &Config{
		ListenAddresses:       e.ListenAddresses,
		WebSystemdSocket:      e.WebSystemdSocket,
		LogLevel:              e.LogLevel,
		LogFormat:             e.LogFormat,
		WebConfigFile:         e.WebConfigFile,
		RunbookURL:            e.RunbookURL,
		DataDir:               e.DataDir,
		StateSnapshotInterval: stateSnapshotInterval(e.StateSnapshotInterval),
		ConfigFile:            e.ConfigFile,
		Shards:                e.Shards,
		ShardIndex:            e.ShardIndex,
		AlertHoldScale:        e.AlertHoldScale,
		Web: WebConfig{
			ReadTimeout:     e.WebReadTimeout,
			WriteTimeout:    e.WebWriteTimeout,
			IdleTimeout:     e.WebIdleTimeout,
			MaxAPIRequests:  e.WebMaxAPIRequests,
			EnableLifecycle: e.WebEnableLifecycle,
			EnablePprof:     e.WebEnablePprof,
		},
		Alertmanager: AlertmanagerConfig{
			URLs:          e.AlertmanagerURLs,
			Username:      e.AlertmanagerUsername,
			Password:      password,
			BearerToken:   token,
			CAFile:        e.AlertmanagerCAFile,
			Timeout:       e.AlertmanagerTimeout,
			QueueCapacity: e.AlertmanagerQueueCapacity,
			ResendDelay:   e.AlertmanagerResendDelay,
		},
	}
	return cfg, errs, nil
}

// processEnv fills target from the environment, keeping the values already
// in target for unset variables. A value that does not parse is reported
// under its variable's name rather than the Go field's.
func processEnv(lookup envconfig.Lookuper, target any) error {
	var current, currentValue string
	// Mutators run just before a value is parsed, so the last key seen
	// is the one that failed. Only strings hold secrets, and strings do
	// not fail to parse.
	track := envconfig.MutatorFunc(func(_ context.Context, key, _, _, value string) (string, bool, error) {
		current, currentValue = key, value
		return value, false, nil
	})
	err := envconfig.ProcessWith(context.Background(), &envconfig.Config{
		Target:           target,
		Lookuper:         lookup,
		DefaultOverwrite: true,
		Mutators:         []envconfig.Mutator{track},
	})
	if err == nil {
		return nil
	}
	if current == "" {
		return fmt.Errorf("reading the environment: %w", err)
	}
	// envconfig prefixes the Go field name; the variable name replaces it.
	if inner := errors.Unwrap(err); inner != nil {
		err = inner
	}
	return &FieldError{Field: current, Err: describeParseError(err, currentValue)}
}

func appendIf(errs []*FieldError, e *FieldError) []*FieldError {
	if e != nil {
		errs = append(errs, e)
	}
	return errs
}

// stateSnapshotInterval is the interval set, or the default when unset;
// an explicit 0 stays 0 (off).
func stateSnapshotInterval(set *time.Duration) time.Duration {
	if set == nil {
		return DefaultStateSnapshotInterval
	}
	return *set
}
