package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/go-openapi/strfmt"
	"github.com/prometheus/alertmanager/api/v2/models"
	"github.com/prometheus/client_golang/prometheus"
	commoncfg "github.com/prometheus/common/config"

	"github.com/hawatch/hawatch/config"
)

// Defaults of the notifier.
const (
	DefaultQueueCapacity = 10000
	DefaultMaxBatch      = 64
	DefaultTimeout       = 10 * time.Second
	DefaultMinBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff    = 30 * time.Second
)

// NotifierOptions configure a Notifier.
type NotifierOptions struct {
	// Config lists the Alertmanagers and how to reach them.
	Config config.AlertmanagerConfig
	Logger *slog.Logger
	// Registerer receives the notifier's metrics; none when nil.
	Registerer prometheus.Registerer
	// MaxBatch is the most alerts in one request.
	MaxBatch int
	// MinBackoff and MaxBackoff bound the delay between retries, which
	// doubles from one to the other.
	MinBackoff, MaxBackoff time.Duration
}

// Notifier pushes alerts to every configured Alertmanager, as Prometheus
// does for an Alertmanager cluster: each one gets every alert. Each
// Alertmanager has its own bounded queue and sender goroutine, so a slow
// or dead one does not hold up the others.
type Notifier struct {
	logger  *slog.Logger
	senders []*amSender
	metrics *notifierMetrics

	stopOnce sync.Once
	stop     chan struct{}
}

// NewNotifier returns a notifier for the configured Alertmanagers. Its
// errors never contain a URL's credentials.
func NewNotifier(opts NotifierOptions) (*Notifier, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	cfg := opts.Config
	capacity := cfg.QueueCapacity
	if capacity <= 0 {
		capacity = DefaultQueueCapacity
	}
	m, err := newNotifierMetrics(opts.Registerer)
	if err != nil {
		return nil, fmt.Errorf("register notifier metrics: %w", err)
	}
	m.queueCapacity.Set(float64(capacity))
	n := &Notifier{logger: opts.Logger, metrics: m, stop: make(chan struct{})}
	for _, raw := range cfg.URLs {
		ep, err := parseEndpoint(raw)
		if err != nil {
			return nil, err
		}
		client, err := httpClient(cfg, ep)
		if err != nil {
			return nil, fmt.Errorf("alertmanager %s: %w", ep.redacted, err)
		}
		s := &amSender{
			ep: ep, client: client, m: m, capacity: capacity,
			timeout:    orDefault(cfg.Timeout, DefaultTimeout),
			maxBatch:   opts.MaxBatch,
			minBackoff: orDefault(opts.MinBackoff, DefaultMinBackoff),
			maxBackoff: orDefault(opts.MaxBackoff, DefaultMaxBackoff),
			logger:     opts.Logger.With("alertmanager", ep.redacted),
			wake:       make(chan struct{}, 1),
		}
		if s.maxBatch <= 0 {
			s.maxBatch = DefaultMaxBatch
		}
		m.init(ep.host)
		n.senders = append(n.senders, s)
	}
	return n, nil
}

// Failing maps each Alertmanager (by host, as in the metrics) whose last
// delivery attempt failed to the error.
func (n *Notifier) Failing() map[string]string {
	out := map[string]string{}
	for _, s := range n.senders {
		s.mu.Lock()
		if s.failure != "" {
			out[s.ep.host] = s.failure
		}
		s.mu.Unlock()
	}
	return out
}

// orDefault returns d, or def when d is not positive.
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// httpClient builds the client of one Alertmanager: basic auth from the
// configuration or the URL's userinfo, or a bearer token, and the CA file.
func httpClient(cfg config.AlertmanagerConfig, ep endpoint) (*http.Client, error) {
	hc := commoncfg.DefaultHTTPClientConfig
	hc.TLSConfig.CAFile = cfg.CAFile
	user, pass := cfg.Username, cfg.Password.Reveal()
	if user == "" && pass == "" && ep.hasUser {
		user, pass = ep.user, ep.password
	}
	if user != "" || pass != "" {
		hc.BasicAuth = &commoncfg.BasicAuth{Username: user, Password: commoncfg.Secret(pass)}
	}
	if tok := cfg.BearerToken.Reveal(); tok != "" {
		if hc.BasicAuth != nil {
			return nil, errors.New("configure basic auth or a bearer token, not both")
		}
		hc.Authorization = &commoncfg.Authorization{Type: "Bearer", Credentials: commoncfg.Secret(tok)}
	}
	if err := hc.Validate(); err != nil {
		return nil, fmt.Errorf("http client configuration: %w", err)
	}
	client, err := commoncfg.NewClientFromConfig(hc, "alertmanager")
	if err != nil {
		return nil, fmt.Errorf("http client: %w", err)
	}
	return client, nil
}

// Send queues alerts for every Alertmanager. It never blocks: when a queue
// is full its oldest alerts are dropped and counted.
func (n *Notifier) Send(alerts ...Alert) {
	if len(alerts) == 0 {
		return
	}
	batch := make([]*models.PostableAlert, 0, len(alerts))
	for i := range alerts {
		batch = append(batch, postable(&alerts[i]))
	}
	for _, s := range n.senders {
		s.enqueue(batch)
	}
}

// postable converts an alert to the Alertmanager API model.
func postable(a *Alert) *models.PostableAlert {
	return &models.PostableAlert{
		Annotations: models.LabelSet(a.Annotations),
		StartsAt:    strfmt.DateTime(a.StartsAt()),
		EndsAt:      strfmt.DateTime(a.EndsAt()),
		Alert: models.Alert{
			GeneratorURL: strfmt.URI(a.GeneratorURL),
			Labels:       models.LabelSet(a.Labels),
		},
	}
}

// Run sends queued alerts until ctx is done or Stop is called. Alerts
// still queued then are not sent; the endsAt of firing alerts lets
// Alertmanager resolve them.
func (n *Notifier) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-n.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	var wg sync.WaitGroup
	for _, s := range n.senders {
		wg.Go(func() { s.run(ctx) })
	}
	// Run returns only when told to, also without any Alertmanager, so
	// that it can be one actor of a run group.
	<-ctx.Done()
	wg.Wait()
	return nil
}

// Stop makes Run return. It may be called more than once.
func (n *Notifier) Stop() {
	n.stopOnce.Do(func() { close(n.stop) })
}
