package main

import (
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"time"
)

// alertReceiver is a stand-in Alertmanager that notes when the alerts it
// waits for first arrive firing.
type alertReceiver struct {
	URL string
	srv *http.Server

	mu sync.Mutex
	// arrived holds, by "alertname/pair", when each alert waited for
	// arrived; zero while it has not.
	arrived map[string]time.Time
}

func newAlertReceiver() (*alertReceiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &alertReceiver{URL: "http://" + ln.Addr().String(), arrived: map[string]time.Time{}}
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
		key := a.Labels["alertname"] + "/" + a.Labels["pair"]
		if t, waiting := r.arrived[key]; firing && waiting && t.IsZero() {
			r.arrived[key] = now
		}
	}
}

// expect starts waiting for alert on pair.
func (r *alertReceiver) expect(alert, pair string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.arrived[alert+"/"+pair] = time.Time{}
}

// arrival returns when alert on pair arrived; zero while it has not.
func (r *alertReceiver) arrival(alert, pair string) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.arrived[alert+"/"+pair]
}

func (r *alertReceiver) close() { _ = r.srv.Close() }
