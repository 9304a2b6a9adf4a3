package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// The YAML file. Pointers tell an unset key from a zero value, so that a
// pair's key overrides the defaults section only when written.
//
//	defaults:                 # optional; any pair setting except name and peers
//	  poll_interval: 10s
//	  panos: {api_key_file: /run/secrets/panos-key}
//	pairs:
//	  - name: edge-eu
//	    peers:
//	      - {name: fw-a, address: 10.0.0.10, instance_id: i-0123456789abcdef0}
//	      - {name: fw-b, address: 10.0.0.11}
//	    aws: {region: eu-west-1, ha_mode: interface-move}
type fileConfig struct {
	Defaults pairSettings `yaml:"defaults"`
	Pairs    []filePair   `yaml:"pairs"`
}

// pairSettings are the settings a pair can take from the defaults section.
type pairSettings struct {
	PollInterval       *time.Duration `yaml:"poll_interval"`
	PollTimeout        *time.Duration `yaml:"poll_timeout"`
	SystemInfoInterval *time.Duration `yaml:"system_info_interval"`
	PANOS              *filePANOS     `yaml:"panos"`
	AWS                *fileAWS       `yaml:"aws"`
	TrafficFloor       *float64       `yaml:"traffic_floor_bytes_per_second"`
}

type filePair struct {
	Name         string     `yaml:"name"`
	Peers        []filePeer `yaml:"peers"`
	pairSettings `yaml:",inline"`
	// Maintenance announces planned maintenance of the pair until a time,
	// as `hawatch maintenance start` does; it is the pair's own, never a
	// default.
	Maintenance *fileMaintenance `yaml:"maintenance"`
}

// fileMaintenance is a pair's maintenance annotation:
//
//	maintenance: {until: 2026-03-01T04:00:00Z, reason: PAN-OS 10.2.9 upgrade}
type fileMaintenance struct {
	// Until is RFC 3339, parsed here so that a bad value names its key.
	Until  string `yaml:"until"`
	Reason string `yaml:"reason"`
}

// MaintenanceConfig is a pair's maintenance announced in the
// configuration file; it ends at Until.
type MaintenanceConfig struct {
	Pair   string
	Until  time.Time
	Reason string
}

// maxMaintenanceReason bounds a maintenance reason, which ends up in
// alerts.
const maxMaintenanceReason = 200

// maintenance collects the pairs' maintenance annotations.
func (fc *fileConfig) maintenance() ([]MaintenanceConfig, []*FieldError) {
	var out []MaintenanceConfig
	var errs []*FieldError
	for i, fp := range fc.Pairs {
		m := fp.Maintenance
		if m == nil {
			continue
		}
		key := fmt.Sprintf("pairs[%d].maintenance", i)
		until, err := time.Parse(time.RFC3339, strings.TrimSpace(m.Until))
		switch {
		case strings.TrimSpace(m.Until) == "":
			errs = append(errs, fieldErrorf(key+".until", "an end time is required (RFC 3339, e.g. 2026-03-01T04:00:00Z)"))
		case err != nil:
			errs = append(errs, fieldErrorf(key+".until", "invalid value %q: want an RFC 3339 time such as 2026-03-01T04:00:00Z", m.Until))
		case len(m.Reason) > maxMaintenanceReason:
			errs = append(errs, fieldErrorf(key+".reason", "longer than %d characters", maxMaintenanceReason))
		default:
			out = append(out, MaintenanceConfig{Pair: fp.Name, Until: until.UTC(), Reason: strings.TrimSpace(m.Reason)})
		}
	}
	return out, errs
}

type filePeer struct {
	Name       string `yaml:"name"`
	Address    string `yaml:"address"`
	InstanceID string `yaml:"instance_id"`
}

// filePANOS holds the firewall credentials: preferably by file reference,
// or as literals (discouraged: the file then holds a secret). Relative
// paths are relative to the config file.
type filePANOS struct {
	APIKey             *Secret `yaml:"api_key"`
	APIKeyFile         *string `yaml:"api_key_file"`
	Username           *string `yaml:"username"`
	Password           *Secret `yaml:"password"`
	PasswordFile       *string `yaml:"password_file"`
	CAFile             *string `yaml:"ca_file"`
	InsecureSkipVerify *bool   `yaml:"insecure_skip_verify"`
}

// fileAWS turns AWS monitoring on for the pairs that have it (or inherit
// it from the defaults section), unless enabled is false.
type fileAWS struct {
	Enabled      *bool          `yaml:"enabled"`
	Region       *string        `yaml:"region"`
	HAMode       *string        `yaml:"ha_mode"`
	PollInterval *time.Duration `yaml:"poll_interval"`
	Endpoint     *string        `yaml:"endpoint"`
	GracePeriod  *time.Duration `yaml:"grace_period"`
}

// LoadFile reads the pairs from the YAML file at path and validates the
// result. The daemon settings are taken from base, normally the current
// configuration (on reload) or the one read from the environment; a nil
// base means the defaults. Secret files named in the YAML file are read
// again on every call.
func LoadFile(path string, base *Config) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config file: %w", err)
	}
	fc, index, err := decodeFile(path, data)
	if err != nil {
		return nil, err
	}
	cfg := defaultConfig()
	if base != nil {
		cfg = *base
	}
	cfg.ConfigFile = path
	cfg.Pairs, err = fc.resolve(path)
	maint, merrs := fc.maintenance()
	cfg.Maintenance = maint
	if err == nil {
		err = joinFieldErrors(append(cfg.validate(), merrs...))
	}
	if err != nil {
		index.annotate(err, path)
		return nil, err
	}
	return &cfg, nil
}

// decodeFile parses and strictly decodes the file: unknown keys, values of
// the wrong type and duplicate keys are errors naming the key and line.
func decodeFile(path string, data []byte) (*fileConfig, *nodeIndex, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, syntaxError(path, err)
	}
	if len(root.Content) == 0 {
		return nil, nil, &FieldError{File: path, Err: errors.New("empty file")}
	}
	index := newNodeIndex(&root)

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var fc fileConfig
	if err := dec.Decode(&fc); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return nil, nil, joinFieldErrors(index.typeErrors(path, te))
		}
		return nil, nil, &FieldError{File: path, Err: err}
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			return &fc, index, nil
		}
		// Empty documents, as after a trailing "---", are harmless.
		if err != nil || !emptyDocument(&next) {
			return nil, nil, &FieldError{File: path, Line: next.Line, Err: errors.New("more than one YAML document")}
		}
	}
}

// syntaxError moves the line of a YAML syntax error to where the other
// errors show it.
func syntaxError(path string, err error) *FieldError {
	fe := &FieldError{File: path, Err: err}
	if m := syntaxErrorRE.FindStringSubmatch(err.Error()); m != nil {
		fe.Line, _ = strconv.Atoi(m[1])
		fe.Err = fmt.Errorf("invalid YAML: %s", m[2])
	}
	return fe
}

var syntaxErrorRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// emptyDocument reports whether a document holds nothing but comments.
func emptyDocument(doc *yaml.Node) bool {
	for _, n := range doc.Content {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!null" || n.Value != "" {
			return false
		}
	}
	return true
}
