package fleet

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/hawatch/hawatch/sim"
)

// Files WriteConfig writes into the fleet's directory.
const (
	ConfigFileName = "hawatch.yml"
	EnvFileName    = "hawatch.env"
	APIKeyFileName = "panos-api-key"
)

// Test credentials for the SDK: the simulated EC2 endpoint checks that a
// request is SigV4-signed, not by whom.
const (
	awsAccessKey = "AKIDHAWATCHSIM"
	awsSecretKey = "hawatch-sim-secret"
)

// The daemon's YAML file format (config/file.go), as far as the fleet
// writes it.
type yamlFile struct {
	Defaults yamlDefaults `yaml:"defaults"`
	Pairs    []yamlPair   `yaml:"pairs"`
}

type yamlDefaults struct {
	PollInterval string    `yaml:"poll_interval,omitempty"`
	PANOS        yamlPANOS `yaml:"panos"`
	AWS          *yamlAWS  `yaml:"aws,omitempty"`
}

type yamlPANOS struct {
	APIKeyFile string `yaml:"api_key_file"`
	CAFile     string `yaml:"ca_file"`
}

type yamlAWS struct {
	Region       string `yaml:"region"`
	Endpoint     string `yaml:"endpoint"`
	HAMode       string `yaml:"ha_mode"`
	PollInterval string `yaml:"poll_interval,omitempty"`
}

type yamlPair struct {
	Name  string     `yaml:"name"`
	Peers []yamlPeer `yaml:"peers"`
}

type yamlPeer struct {
	Name       string `yaml:"name"`
	Address    string `yaml:"address"`
	InstanceID string `yaml:"instance_id,omitempty"`
}

// WriteConfig writes the daemon's configuration for the fleet into its
// directory: hawatch.yml naming every pair, the API key file it refers
// to, and hawatch.env with the environment the daemon needs
// (HAWATCH_CONFIG_FILE and, with AWS, test credentials for the SDK).
func (f *Fleet) WriteConfig() error {
	dir := f.opts.Dir
	key := f.pairs[0].World().APIKey()
	if err := os.WriteFile(filepath.Join(dir, APIKeyFileName), []byte(key+"\n"), 0o600); err != nil {
		return fmt.Errorf("fleet: write api key file: %w", err)
	}
	doc := yamlFile{Defaults: yamlDefaults{
		PollInterval: duration(f.opts.PollInterval),
		PANOS:        yamlPANOS{APIKeyFile: APIKeyFileName, CAFile: sim.CAFileName},
	}}
	if f.opts.AWS {
		doc.Defaults.AWS = &yamlAWS{Region: sim.Region, Endpoint: f.EC2URL(), HAMode: "auto",
			PollInterval: duration(f.opts.AWSPollInterval)}
	}
	for k, p := range f.pairs {
		yp := yamlPair{Name: p.Name}
		for i := range 2 {
			peer := yamlPeer{Name: sim.Hostname(i), Address: p.PeerAddr(i)}
			if f.opts.AWS {
				peer.InstanceID = InstanceID(k, i)
			}
			yp.Peers = append(yp.Peers, peer)
		}
		doc.Pairs = append(doc.Pairs, yp)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# %d simulated pairs on %s, written by hawatch-sim.\n", len(f.pairs), f.opts.Host)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("fleet: encode config: %w", err)
	}
	if err := os.WriteFile(f.ConfigFile(), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("fleet: write config: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, EnvFileName), []byte(f.envFile()), 0o644); err != nil {
		return fmt.Errorf("fleet: write env file: %w", err)
	}
	return nil
}

// ConfigFile returns the path of the daemon's configuration file.
func (f *Fleet) ConfigFile() string { return filepath.Join(f.opts.Dir, ConfigFileName) }

// Env returns the environment the daemon needs besides its own settings.
func (f *Fleet) Env() map[string]string {
	env := map[string]string{"HAWATCH_CONFIG_FILE": f.ConfigFile()}
	if f.opts.AWS {
		env["AWS_ACCESS_KEY_ID"] = awsAccessKey
		env["AWS_SECRET_ACCESS_KEY"] = awsSecretKey
		env["AWS_EC2_METADATA_DISABLED"] = "true"
		env["AWS_CONFIG_FILE"] = os.DevNull
		env["AWS_SHARED_CREDENTIALS_FILE"] = os.DevNull
	}
	return env
}

// envFile renders Env as lines for `set -a; . hawatch.env`.
func (f *Fleet) envFile() string {
	env := f.Env()
	var b bytes.Buffer
	for _, k := range []string{"HAWATCH_CONFIG_FILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_EC2_METADATA_DISABLED", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		if v, ok := env[k]; ok {
			fmt.Fprintf(&b, "%s=%s\n", k, v)
		}
	}
	return b.String()
}

func duration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return d.String()
}
