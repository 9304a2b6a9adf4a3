package compose_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"net"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// service is what tools/composecheck prints of one service.
type service struct {
	Image        string            `json:"image"`
	BuildContext string            `json:"build_context"`
	Command      []string          `json:"command"`
	Environment  map[string]string `json:"environment"`
	Ports        []string          `json:"ports"`
	Binds        []struct {
		Source   string `json:"source"`
		Target   string `json:"target"`
		ReadOnly bool   `json:"read_only"`
	} `json:"binds"`
}

// loadCompose validates compose.yaml with compose-go and returns its
// services.
func loadCompose(t *testing.T) map[string]service {
	t.Helper()
	file, err := filepath.Abs("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "./composecheck", file)
	cmd.Dir = "../../tools"
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("compose.yaml does not load: %v\n%s", err, stderr.String())
	}
	var services map[string]service
	if err := json.Unmarshal(out, &services); err != nil {
		t.Fatal(err)
	}
	return services
}

// bindSource returns the host file a service mounts at target.
func (s service) bindSource(target string) string {
	for _, b := range s.Binds {
		if b.Target == target {
			return b.Source
		}
	}
	return ""
}

// TestComposeStack checks the stack as a whole: the four services, files
// mounted read-only that exist, the demo wired to Alertmanager, and the
// shipped rules, Alertmanager config and dashboard mounted.
func TestComposeStack(t *testing.T) {
	services := loadCompose(t)
	if got := slices.Sorted(maps.Keys(services)); !slices.Equal(got, []string{"alertmanager", "grafana", "hawatch", "prometheus"}) {
		t.Fatalf("services %v", got)
	}
	for name, s := range services {
		for _, b := range s.Binds {
			if _, err := os.Stat(b.Source); err != nil {
				t.Errorf("%s mounts %s, which does not exist: %v", name, b.Source, err)
			}
			if !b.ReadOnly {
				t.Errorf("%s mounts %s writable; configuration is mounted read-only", name, b.Source)
			}
		}
	}
	hw := services["hawatch"]
	root, _ := filepath.Abs("../..")
	if hw.BuildContext != root || !slices.Equal(hw.Command, []string{"demo"}) {
		t.Errorf("hawatch: build context %q command %v, want the repository and the demo", hw.BuildContext, hw.Command)
	}
	if got := hw.Environment["HAWATCH_ALERTMANAGER_URLS"]; got != "http://alertmanager:9093" {
		t.Errorf("hawatch pushes to %q, want the stack's Alertmanager", got)
	}
	for svc, want := range map[string]map[string]string{
		"prometheus":   {"/etc/prometheus/rules/hawatch-rules.yml": "deploy/prometheus/hawatch-rules.yml"},
		"alertmanager": {"/etc/alertmanager/alertmanager.yml": "deploy/alertmanager/alertmanager.yml"},
		"grafana":      {"/var/lib/grafana/dashboards/hawatch/hawatch.json": "deploy/grafana/hawatch.json"},
	} {
		for target, file := range want {
			if got := services[svc].bindSource(target); got != filepath.Join(root, file) {
				t.Errorf("%s: %s comes from %q, want %s", svc, target, got, file)
			}
		}
	}
	checkPrometheus(t, services)
	checkGrafana(t, services["grafana"])
}

// TestHawatchPortAgrees wants hawatch's one port in its listen address,
// the port it publishes and Prometheus' scrape target.
func TestHawatchPortAgrees(t *testing.T) {
	services := loadCompose(t)
	_, port, err := net.SplitHostPort(services["hawatch"].Environment["HAWATCH_LISTEN_ADDRESS"])
	if err != nil {
		t.Fatalf("HAWATCH_LISTEN_ADDRESS: %v", err)
	}
	if ports := services["hawatch"].Ports; !slices.Equal(ports, []string{port + ":" + port}) {
		t.Errorf("hawatch publishes %v, want %s:%s", ports, port, port)
	}
	if got := scrapeTargets(t)["hawatch"]; !slices.Equal(got, []string{"hawatch:" + port}) {
		t.Errorf("Prometheus scrapes hawatch at %v, want hawatch:%s", got, port)
	}
}

// TestImagesPinnedByDigest wants every third-party image of the stack and
// of the Dockerfile pinned as name:tag@sha256:digest.
func TestImagesPinnedByDigest(t *testing.T) {
	pinned := regexp.MustCompile(`^[a-z0-9./_-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$`)
	for name, s := range loadCompose(t) {
		if s.BuildContext != "" {
			continue // built here from the pinned Dockerfile
		}
		if !pinned.MatchString(s.Image) {
			t.Errorf("%s: image %q is not pinned by digest (scripts/pin-images.sh)", name, s.Image)
		}
	}
	dockerfile, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	from := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllSubmatch(dockerfile, -1)
	if len(from) == 0 {
		t.Fatal("no FROM in the Dockerfile")
	}
	for _, m := range from {
		if !pinned.MatchString(string(m[1])) {
			t.Errorf("Dockerfile: FROM %s is not pinned by digest", m[1])
		}
	}
}

// scrapeTargets returns prometheus.yml's static targets by job.
func scrapeTargets(t *testing.T) map[string][]string {
	t.Helper()
	var cfg struct {
		ScrapeConfigs []struct {
			JobName       string `json:"job_name"`
			StaticConfigs []struct {
				Targets []string `json:"targets"`
			} `json:"static_configs"`
		} `json:"scrape_configs"`
	}
	readYAML(t, "prometheus.yml", &cfg)
	out := map[string][]string{}
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			out[sc.JobName] = append(out[sc.JobName], st.Targets...)
		}
	}
	return out
}

// checkPrometheus wants prometheus.yml to load the mounted rule file and
// alert into the stack's Alertmanager, and promtool to accept it.
func checkPrometheus(t *testing.T, services map[string]service) {
	t.Helper()
	var cfg struct {
		RuleFiles []string `json:"rule_files"`
		Global    struct {
			ExternalLabels map[string]string `json:"external_labels"`
		} `json:"global"`
		Alerting struct {
			Alertmanagers []struct {
				StaticConfigs []struct {
					Targets []string `json:"targets"`
				} `json:"static_configs"`
			} `json:"alertmanagers"`
		} `json:"alerting"`
	}
	readYAML(t, "prometheus.yml", &cfg)
	prom := services["prometheus"]
	for _, rf := range cfg.RuleFiles {
		if prom.bindSource(rf) == "" {
			t.Errorf("rule file %s is not mounted into prometheus", rf)
		}
	}
	if len(cfg.Global.ExternalLabels) > 0 {
		t.Errorf("external_labels %v would keep Alertmanager from merging hawatch's alerts with the rules'", cfg.Global.ExternalLabels)
	}
	if am := cfg.Alerting.Alertmanagers; len(am) != 1 || len(am[0].StaticConfigs) != 1 || !slices.Equal(am[0].StaticConfigs[0].Targets, []string{"alertmanager:9093"}) {
		t.Errorf("Prometheus alerts to %+v, want alertmanager:9093", am)
	}
	if !slices.Contains(services["alertmanager"].Ports, "9093:9093") {
		t.Errorf("alertmanager ports %v, want 9093", services["alertmanager"].Ports)
	}

	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Log("promtool not installed; prometheus.yml checked for structure only")
		return
	}
	// promtool wants the rule files at their paths; point them at the repository's.
	data, err := os.ReadFile("prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, rf := range cfg.RuleFiles {
		data = bytes.ReplaceAll(data, []byte(rf), []byte(prom.bindSource(rf)))
	}
	local := filepath.Join(t.TempDir(), "prometheus.yml")
	if err := os.WriteFile(local, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "check", "config", local).CombinedOutput(); err != nil {
		t.Errorf("promtool check config: %v\n%s", err, out)
	}
}

// checkGrafana wants the provisioned data source to be the stack's
// Prometheus and the dashboard provider to read the mounted dashboard.
func checkGrafana(t *testing.T, g service) {
	t.Helper()
	var ds struct {
		Datasources []struct {
			Type, URL string
			IsDefault bool `json:"isDefault"`
		} `json:"datasources"`
	}
	readYAML(t, "grafana/provisioning/datasources/prometheus.yaml", &ds)
	if len(ds.Datasources) != 1 || ds.Datasources[0].Type != "prometheus" || ds.Datasources[0].URL != "http://prometheus:9090" || !ds.Datasources[0].IsDefault {
		t.Errorf("data sources %+v, want the default one at http://prometheus:9090", ds.Datasources)
	}
	var dash struct {
		Providers []struct {
			Type    string
			Options struct{ Path string }
		} `json:"providers"`
	}
	readYAML(t, "grafana/provisioning/dashboards/hawatch.yaml", &dash)
	if g.bindSource("/etc/grafana/provisioning") == "" {
		t.Error("grafana: provisioning directory not mounted")
	}
	for _, p := range dash.Providers {
		if p.Type != "file" || g.bindSource(path.Join(p.Options.Path, "hawatch.json")) == "" {
			t.Errorf("dashboard provider %+v does not read the mounted hawatch.json", p)
		}
	}
	if len(dash.Providers) != 1 {
		t.Errorf("%d dashboard providers, want 1", len(dash.Providers))
	}
	if home := g.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]; home != "" && g.bindSource(home) == "" {
		t.Errorf("home dashboard %s is not mounted", home)
	}
}

func readYAML(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if strings.TrimSpace(string(data)) == "" {
		t.Fatalf("%s is empty", file)
	}
}
