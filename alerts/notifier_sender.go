package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/alertmanager/api/v2/models"
)

// queued is an alert waiting in a sender's queue.
type queued struct {
	seq   uint64
	key   string
	alert *models.PostableAlert
}

// amSender delivers alerts to one Alertmanager.
type amSender struct {
	ep                     endpoint
	client                 *http.Client
	m                      *notifierMetrics
	logger                 *slog.Logger
	capacity, maxBatch     int
	timeout                time.Duration
	minBackoff, maxBackoff time.Duration
	// attempted, when set, is told the outcome of every request (tests).
	attempted func(err error)

	wake chan struct{}

	mu    sync.Mutex
	queue []queued
	seq   uint64
	// failure is the error of the last delivery attempt; "" after a
	// success.
	failure string
}

// enqueue adds alerts to the queue. A queued alert with the same labels is
// superseded by the newer one, so a long outage leaves one entry per alert
// rather than one per resend; past capacity the oldest alerts are dropped.
func (s *amSender) enqueue(alerts []*models.PostableAlert) {
	s.mu.Lock()
	for _, a := range alerts {
		k := labelsKey(a.Labels)
		s.queue = deleteKey(s.queue, k)
		s.seq++
		s.queue = append(s.queue, queued{seq: s.seq, key: k, alert: a})
	}
	if over := len(s.queue) - s.capacity; over > 0 {
		s.queue = append(s.queue[:0:0], s.queue[over:]...)
		s.m.dropped.WithLabelValues(s.ep.host).Add(float64(over))
		s.logger.Warn("alert queue full, dropped the oldest alerts", "dropped", over, "capacity", s.capacity)
	}
	s.m.queueLength.WithLabelValues(s.ep.host).Set(float64(len(s.queue)))
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// deleteKey removes the queued alert with the key, if any.
func deleteKey(q []queued, key string) []queued {
	for i := range q {
		if q[i].key == key {
			return append(q[:i], q[i+1:]...)
		}
	}
	return q
}

// peek returns up to maxBatch alerts from the head of the queue and the
// sequence number of the last one.
func (s *amSender) peek() ([]*models.PostableAlert, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := min(len(s.queue), s.maxBatch)
	if n == 0 {
		return nil, 0
	}
	out := make([]*models.PostableAlert, n)
	for i := range n {
		out[i] = s.queue[i].alert
	}
	return out, s.queue[n-1].seq
}

// ack removes the alerts up to sequence number last that are still queued.
func (s *amSender) ack(last uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := 0
	for i < len(s.queue) && s.queue[i].seq <= last {
		i++
	}
	s.queue = s.queue[i:]
	s.m.queueLength.WithLabelValues(s.ep.host).Set(float64(len(s.queue)))
}

// errRejected marks a 4xx reply: the request will not succeed if retried.
var errRejected = errors.New("alertmanager rejected the alerts")

// run sends batches until ctx is done, retrying with capped exponential
// backoff on 5xx and network errors. It logs when the Alertmanager goes
// down and when it comes back, not every retry.
func (s *amSender) run(ctx context.Context) {
	backoff, down := s.minBackoff, false
	for {
		batch, last := s.peek()
		if len(batch) == 0 {
			select {
			case <-ctx.Done():
				return
			case <-s.wake:
			}
			continue
		}
		err := s.post(ctx, batch)
		if ctx.Err() != nil {
			return
		}
		retry := s.settle(err, len(batch), last, &down)
		if s.attempted != nil {
			s.attempted(err)
		}
		if !retry {
			backoff = s.minBackoff
			continue
		}
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(2*backoff, s.maxBackoff)
	}
}

// settle books the outcome of a request for n alerts up to sequence
// number last, and reports whether the batch is to be retried. down
// tracks whether the Alertmanager is known to be unreachable.
func (s *amSender) settle(err error, n int, last uint64, down *bool) (retry bool) {
	host := s.ep.host
	s.mu.Lock()
	switch {
	case err == nil:
		s.failure = ""
	case errors.Is(err, errRejected):
		s.failure = "rejected: " + err.Error()
	default:
		s.failure = err.Error()
	}
	s.mu.Unlock()
	switch {
	case err == nil:
		s.ack(last)
		s.m.sent.WithLabelValues(host).Add(float64(n))
		if *down {
			s.logger.Info("alertmanager is reachable again")
		}
		*down = false
		return false
	case errors.Is(err, errRejected):
		s.ack(last)
		s.m.failed.WithLabelValues(host).Add(float64(n))
		s.m.dropped.WithLabelValues(host).Add(float64(n))
		s.logger.Error("alertmanager rejected alerts, not retrying", "alerts", n, "err", err)
		*down = false
		return false
	}
	s.m.failed.WithLabelValues(host).Add(float64(n))
	if !*down {
		s.logger.Warn("alertmanager is unreachable, alerts wait in the queue", "err", err)
		*down = true
	}
	return true
}

// post sends one batch. The error names the Alertmanager by its redacted
// URL and wraps errRejected for a 4xx reply.
func (s *amSender) post(ctx context.Context, batch []*models.PostableAlert) error {
	body, err := json.Marshal(models.PostableAlerts(batch))
	if err != nil {
		return fmt.Errorf("encode alerts for %s: %w: %w", s.ep.redacted, errRejected, err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.ep.post, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("post alerts to %s: %w", s.ep.redacted, unwrapURLError(err))
	}
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := s.client.Do(req)
	s.m.latency.WithLabelValues(s.ep.host).Observe(time.Since(start).Seconds())
	if err != nil {
		return fmt.Errorf("post alerts to %s: %w", s.ep.redacted, unwrapURLError(err))
	}
	defer func() { _ = resp.Body.Close() }()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	code := resp.StatusCode
	switch code / 100 {
	case 2:
		return nil
	case 4:
		return fmt.Errorf("post alerts to %s: %w: status %d: %s", s.ep.redacted, errRejected, code, snippet(msg))
	}
	return fmt.Errorf("post alerts to %s: status %d: %s", s.ep.redacted, code, snippet(msg))
}

// snippet makes a response body fit a log line.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "?")), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
