// Package demo runs hawatch on the built-in simulator: a PAN-OS VM-Series HA
// pair in AWS that plays the incident behind hawatch on a loop, so that a
// newcomer sees metrics, alerts and the status page within a minute.
package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/sethvargo/go-envconfig"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/scheduler"
	"github.com/hawatch/hawatch/sim"
)

// Options configure the demo.
type Options struct {
	// Scale speeds the simulated world up (0.5 plays it twice as fast):
	// how long a rebooted peer stays initial and an ENI takes to move.
	// Play scales the scenario's steps. 1 when 0.
	Scale float64
	// PollInterval is how often hawatch polls the simulated pair; the
	// AWS poll, the poll deadline and the grace period follow it. 5 s
	// when 0; tests that play the scenario fast poll faster.
	PollInterval time.Duration
	// Mode is the simulated pair's AWS HA mode; a scenario that needs
	// one mode (incident-latent) overrides it.
	Mode string
	// Scenario names the scenario to play (see sim.Catalog); "incident"
	// when empty.
	Scenario string
	Logger   *slog.Logger
	// Env reads the HAWATCH_* settings the demo honors (listen address,
	// log settings, Alertmanager, data directory); the OS environment when
	// nil.
	Env envconfig.Lookuper
	Out io.Writer
}

// honored are the settings a user may give the demo; the pair itself is
// the simulator's.
var honored = []string{
	"HAWATCH_LISTEN_ADDRESS", "HAWATCH_LOG_LEVEL", "HAWATCH_LOG_FORMAT",
	"HAWATCH_WEB_CONFIG_FILE", "HAWATCH_DATA_DIR", "HAWATCH_RUNBOOK_URL",
	"HAWATCH_ALERTMANAGER_URLS", "HAWATCH_ALERTMANAGER_USERNAME", "HAWATCH_ALERTMANAGER_PASSWORD",
	"HAWATCH_ALERTMANAGER_BEARER_TOKEN", "HAWATCH_ALERTMANAGER_CA_FILE", "HAWATCH_ALERTMANAGER_RESEND_DELAY",
	"HAWATCH_WEB_ENABLE_LIFECYCLE",
}

// Env is a running simulator with the configuration that watches it.
type Env struct {
	Sim    *sim.Sim
	Config *config.Config
	// Scenario is what Play plays.
	Scenario sim.NamedScenario
}

// Start starts the simulator and builds the configuration for it.
func Start(ctx context.Context, o Options) (*Env, error) {
	if o.Env == nil {
		o.Env = envconfig.OsLookuper()
	}
	if o.Scenario == "" {
		o.Scenario = "incident"
	}
	sc, ok := sim.LookupScenario(o.Scenario)
	if !ok {
		return nil, fmt.Errorf("unknown scenario %q (want one of %s)", o.Scenario, strings.Join(ScenarioNames(), ", "))
	}
	if sc.Mode != "" {
		o.Mode = sc.Mode
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 5 * time.Second
	}
	scale := func(d time.Duration) time.Duration { return time.Duration(float64(d) * o.Scale) }
	s, err := sim.Start(ctx, sim.Options{Logger: o.Logger, WorldOptions: sim.WorldOptions{
		Mode: o.Mode, InitialHold: scale(sim.DefaultInitialHold), MoveTime: scale(sim.DefaultMoveTime),
	}})
	if err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	vars := map[string]string{
		"HAWATCH_PAIR":          "demo",
		"HAWATCH_PEER_A":        s.PeerAddr(0),
		"HAWATCH_PEER_A_NAME":   "fw-a",
		"HAWATCH_PEER_B":        s.PeerAddr(1),
		"HAWATCH_PEER_B_NAME":   "fw-b",
		"HAWATCH_PANOS_API_KEY": s.APIKey(),
		"HAWATCH_PANOS_CA_FILE": s.CAFile(),
		// EC2 is polled half as often as PAN-OS, as in production.
		"HAWATCH_POLL_INTERVAL":             o.PollInterval.String(),
		"HAWATCH_POLL_TIMEOUT":              (o.PollInterval * 4 / 5).String(),
		"HAWATCH_AWS_REGION":                "us-east-1",
		"HAWATCH_AWS_ENDPOINT":              s.EC2URL(),
		"HAWATCH_AWS_POLL_INTERVAL":         (o.PollInterval * 2).String(),
		"HAWATCH_AWS_GRACE_PERIOD":          (o.PollInterval * 4).String(),
		"HAWATCH_ALERTMANAGER_RESEND_DELAY": (o.PollInterval * 6).String(),
		// A scenario step lasts half a minute: a tenth of production's
		// holds lets its alerts fire within it.
		"HAWATCH_ALERT_HOLD_SCALE": "0.1",
		// The pair is simulated: let the newcomer announce maintenance
		// of it (HAWATCH_WEB_ENABLE_LIFECYCLE=false turns this off).
		"HAWATCH_WEB_ENABLE_LIFECYCLE": "true",
	}
	for _, k := range honored {
		if v, ok := o.Env.Lookup(k); ok {
			vars[k] = v
		}
	}
	cfg, err := config.Load(envconfig.MapLookuper(vars))
	if err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("demo configuration: %w", err)
	}
	return &Env{Sim: s, Config: cfg, Scenario: sc}, nil
}

// ScenarioNames returns the names of the scenarios the demo can play.
func ScenarioNames() []string {
	var names []string
	for _, c := range sim.Catalog() {
		names = append(names, c.Name)
	}
	return names
}

// The simulator's EC2 endpoint checks SigV4 signatures but accepts any
// key; these test credentials are printed for `hawatch check`.
const (
	demoAccessKey = "AKIDHAWATCHDEMO"
	demoSecretKey = "demo-secret"
)

// NewAWS builds AWS probers that reach the simulator's EC2 endpoint with
// static test credentials, whatever the machine's AWS settings.
func (e *Env) NewAWS(logger *slog.Logger) func(context.Context, string, *config.AWSConfig) (scheduler.AWSProber, error) {
	return func(_ context.Context, _ string, c *config.AWSConfig) (scheduler.AWSProber, error) {
		client := ec2.New(ec2.Options{
			Region:           c.Region,
			BaseEndpoint:     aws.String(c.Endpoint),
			Credentials:      credentials.NewStaticCredentialsProvider(demoAccessKey, demoSecretKey, ""),
			RetryMaxAttempts: 2,
			Logger:           probe.SDKLogger(logger),
		})
		// The simulator serves IAM on the EC2 endpoint, signed for IAM's
		// region as real IAM is.
		iamClient := iam.New(iam.Options{
			Region:           probe.IAMSigningRegion(c.Region),
			BaseEndpoint:     aws.String(c.Endpoint),
			Credentials:      credentials.NewStaticCredentialsProvider(demoAccessKey, demoSecretKey, ""),
			RetryMaxAttempts: 2,
			Logger:           probe.SDKLogger(logger),
		})
		// A demo step lasts seconds: ask IAM again within one.
		return scheduler.NewAWSWithIAM(probe.NewAWSProber(client, c.Region, logger),
			probe.NewIAMProber(iamClient, logger), 10*time.Second), nil
	}
}

// Play plays the chosen scenario on a loop until ctx ends.
func (e *Env) Play(ctx context.Context, scale float64, logger *slog.Logger) *sim.Player {
	if scale <= 0 {
		scale = 1
	}
	p := sim.NewPlayer(e.Sim.World(), e.Scenario.Scaled(scale), sim.PlayerOptions{Loop: true, Logger: logger})
	go func() { _ = p.Run(ctx) }()
	return p
}

// PrintWelcome tells the newcomer where to look.
func PrintWelcome(w io.Writer, addr net.Addr, env *Env) {
	host := addr.String()
	if strings.HasPrefix(host, "[::]") || strings.HasPrefix(host, "0.0.0.0") {
		_, port, _ := net.SplitHostPort(host)
		host = "localhost:" + port
	}
	fmt.Fprintf(w, `
hawatch demo: a simulated PAN-OS VM-Series HA pair in AWS (%[9]s mode) plays
the scenario %[10]s on a loop: %[11]s.

  status page   http://%[1]s/
  metrics       http://%[1]s/metrics
  pairs (JSON)  http://%[1]s/api/v1/pairs
  events        http://%[1]s/api/v1/events
  peers         https://%[2]s  https://%[3]s  (CA %[4]s)
  EC2 endpoint  %[5]s

Alert holds are a tenth of production's so that alerts fire within a step.
Try:  curl -s http://%[1]s/metrics | grep -E '^hawatch_(ha_state|peer_up|pair_traffic|alert_active)'
Gate a step of the upgrade as an operator would (the key is the simulator's own):
  HAWATCH_PAIR=demo HAWATCH_PEER_A=%[2]s HAWATCH_PEER_A_NAME=fw-a \
  HAWATCH_PEER_B=%[3]s HAWATCH_PEER_B_NAME=fw-b \
  HAWATCH_PANOS_API_KEY=%[6]s HAWATCH_PANOS_CA_FILE=%[4]s \
  HAWATCH_AWS_REGION=us-east-1 HAWATCH_AWS_ENDPOINT=%[5]s \
  AWS_ACCESS_KEY_ID=%[7]s AWS_SECRET_ACCESS_KEY=%[8]s go run ./cmd/hawatch check
Announce maintenance of the pair instead of silencing it (its expected warnings are held,
the incident still pages):
  go run ./cmd/hawatch maintenance start demo --for 30m --reason upgrade --url http://%[1]s
Stop with Ctrl-C.
`, host, env.Sim.PeerAddr(0), env.Sim.PeerAddr(1), env.Sim.CAFile(), env.Sim.EC2URL(), env.Sim.APIKey(), demoAccessKey, demoSecretKey,
		env.Sim.World().Mode(), env.Scenario.Name, env.Scenario.Description)
}
