package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-envconfig"
)

// pairEnv holds the single pair configured from the environment.
type pairEnv struct {
	Name            string `env:"HAWATCH_PAIR"`
	PeerA           string `env:"HAWATCH_PEER_A"`
	PeerAName       string `env:"HAWATCH_PEER_A_NAME"`
	PeerAInstanceID string `env:"HAWATCH_PEER_A_INSTANCE_ID"`
	PeerB           string `env:"HAWATCH_PEER_B"`
	PeerBName       string `env:"HAWATCH_PEER_B_NAME"`
	PeerBInstanceID string `env:"HAWATCH_PEER_B_INSTANCE_ID"`

	APIKey             Secret `env:"HAWATCH_PANOS_API_KEY"`
	APIKeyFile         string `env:"HAWATCH_PANOS_API_KEY_FILE"`
	Username           string `env:"HAWATCH_PANOS_USERNAME"`
	Password           Secret `env:"HAWATCH_PANOS_PASSWORD"`
	PasswordFile       string `env:"HAWATCH_PANOS_PASSWORD_FILE"`
	CAFile             string `env:"HAWATCH_PANOS_CA_FILE"`
	InsecureSkipVerify bool   `env:"HAWATCH_PANOS_INSECURE_SKIP_VERIFY"`

	PollInterval time.Duration `env:"HAWATCH_POLL_INTERVAL"`
	// PollTimeout stays nil when unset, so that its default can follow
	// the interval.
	PollTimeout        *time.Duration `env:"HAWATCH_POLL_TIMEOUT,noinit"`
	SystemInfoInterval time.Duration  `env:"HAWATCH_SYSTEM_INFO_INTERVAL"`

	AWSRegion       string        `env:"HAWATCH_AWS_REGION"`
	AWSMode         string        `env:"HAWATCH_AWS_HA_MODE"`
	AWSPollInterval time.Duration `env:"HAWATCH_AWS_POLL_INTERVAL"`
	AWSEndpoint     string        `env:"HAWATCH_AWS_ENDPOINT"`
	AWSGracePeriod  time.Duration `env:"HAWATCH_AWS_GRACE_PERIOD"`

	TrafficFloor float64 `env:"HAWATCH_TRAFFIC_FLOOR_BYTES_PER_SECOND"`
}

// pairFromEnv reads the single pair from the environment and applies its
// defaults. Unparsable values end the read at once (err); other problems
// are collected (errs).
func pairFromEnv(lookup envconfig.Lookuper) (PairConfig, []*FieldError, error) {
	aws := defaultAWS()
	e := pairEnv{
		Name:               DefaultPairName,
		PollInterval:       defaultPollInterval,
		SystemInfoInterval: defaultSystemInfoInterval,
		AWSMode:            aws.Mode,
		AWSPollInterval:    aws.PollInterval,
		AWSGracePeriod:     aws.GracePeriod,
	}
	if err := processEnv(lookup, &e); err != nil {
		return PairConfig{}, nil, err
	}
	var errs []*FieldError
	apiKey, ferr := secretFromEnv(envPANOSAPIKey, e.APIKey, e.APIKeyFile)
	errs = appendIf(errs, ferr)
	password, ferr := secretFromEnv(envPANOSPassword, e.Password, e.PasswordFile)
	errs = appendIf(errs, ferr)

	p := PairConfig{
		Name:               e.Name,
		PollInterval:       e.PollInterval,
		SystemInfoInterval: e.SystemInfoInterval,
		Peers: [2]PeerConfig{
			{Name: e.PeerAName, Address: e.PeerA, InstanceID: e.PeerAInstanceID},
			{Name: e.PeerBName, Address: e.PeerB, InstanceID: e.PeerBInstanceID},
		},
		PANOS: PANOSConfig{
			APIKey:             apiKey,
			Username:           e.Username,
			Password:           password,
			CAFile:             e.CAFile,
			InsecureSkipVerify: e.InsecureSkipVerify,
		},
		TrafficFloorBytesPerSecond: e.TrafficFloor,
	}
	if e.PollTimeout != nil {
		p.PollTimeout = *e.PollTimeout
	}
	region := e.AWSRegion
	if region == "" {
		region, _ = lookup.Lookup(envSDKRegion)
	}
	if region != "" {
		p.AWS = &AWSConfig{
			Region:       region,
			Mode:         e.AWSMode,
			PollInterval: e.AWSPollInterval,
			Endpoint:     e.AWSEndpoint,
			GracePeriod:  e.AWSGracePeriod,
		}
	} else {
		// Settings that would be silently ignored are mistakes.
		for _, name := range []string{envAWSHAMode, envAWSPollInterval, envAWSEndpoint, envAWSGracePeriod} {
			if v, ok := lookup.Lookup(name); ok && v != "" {
				errs = append(errs, fieldErrorf(name, "set but AWS monitoring is off (set %s or %s)", envAWSRegion, envSDKRegion))
			}
		}
	}
	p.complete()
	return p, errs, nil
}

// pairVariablesSet reports the pair variables that are set alongside
// HAWATCH_CONFIG_FILE, where the file alone defines the pairs.
func pairVariablesSet(lookup envconfig.Lookuper) []*FieldError {
	var errs []*FieldError
	t := reflect.TypeFor[pairEnv]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("env"), ",")
		if v, ok := lookup.Lookup(name); ok && v != "" {
			errs = append(errs, fieldErrorf(name, "%w: not used with %s, which defines the pairs; set it in the file", ErrConflict, envConfigFile))
		}
	}
	return errs
}

// secretFromEnv returns a secret given directly in variable or in the file
// named by variable_FILE.
func secretFromEnv(variable string, value Secret, file string) (Secret, *FieldError) {
	switch {
	case value != "" && file != "":
		return "", fieldErrorf(variable, "%w: set %s or %s, not both", ErrConflict, variable, variable+fileSuffix)
	case file == "":
		return value, nil
	}
	s, err := readSecretFile(file)
	if err != nil {
		return "", &FieldError{Field: variable + fileSuffix, Err: err}
	}
	return s, nil
}

// readSecretFile reads a secret from a file, without the trailing newline
// that editors and `echo` add.
func readSecretFile(path string) (Secret, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", fmt.Errorf("secret file %s is empty", path)
	}
	return Secret(s), nil
}

// describeParseError rewords the parse errors of strconv and time, which
// name the Go function that failed, for the user.
func describeParseError(err error, value string) error {
	var ne *strconv.NumError
	if !errors.As(err, &ne) {
		if strings.HasPrefix(err.Error(), "time: ") {
			return fmt.Errorf("%q is not a valid duration such as 30s or 1m30s", value)
		}
		return err
	}
	what := "number"
	switch ne.Func {
	case "ParseBool":
		what = "boolean (true or false)"
	case "ParseInt", "ParseUint":
		what = "integer"
	}
	return fmt.Errorf("%q is not a valid %s: %w", ne.Num, what, ne.Err)
}
