package main

import (
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"time"
)

// alertReceiver is a stand-in Alertmanager that notes when an alert for a
// pair first arrives firing.
type alertReceiver struct {
	URL string
	srv *http.Server

	mu      sync.Mutex
	want    string // "alertname/pair"
	arrived time.Time
}

func newAlertReceiver() (*alertReceiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &alertReceiver{URL: "http://" + ln.Addr().String()}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v2/alerts", r.receive)
	r.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

func (r *alertReceiver) receive(w http.ResponseWriter, req *http.Request) {
	now := time.Now()
	var alerts []struct {
		Labels map[string]string `json:"labels"`
		EndsAt time.Time         `json:"endsAt"`
	}
	if err := json.NewDecoder(req.Body).Decode(&alerts); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range alerts {
		firing := a.EndsAt.IsZero() || a.EndsAt.After(now)
		if firing && r.arrived.IsZero() && a.Labels["alertname"]+"/"+a.Labels["pair"] == r.want {
			r.arrived = now
		}
	}
}

// expect starts waiting for alert on pair.
func (r *alertReceiver) expect(alert, pair string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.want, r.arrived = alert+"/"+pair, time.Time{}
}

// arrival returns when the expected alert arrived; zero while it has not.
func (r *alertReceiver) arrival() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.arrived
}

func (r *alertReceiver) close() { _ = r.srv.Close() }
