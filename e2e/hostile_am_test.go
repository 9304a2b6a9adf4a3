package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeAM records every POST /api/v2/alerts and answers it with a status
// the test sets (200 by default).
type fakeAM struct {
	Addr   string
	status atomic.Int32

	mu    sync.Mutex
	posts []post
}

// startFakeAM starts the fake Alertmanager on a loopback port.
func startFakeAM(t *testing.T) *fakeAM {
	t.Helper()
	am := &fakeAM{}
	am.status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		code := int(am.status.Load())
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/api/v2/alerts") {
			var as []postedAlert
			_ = json.Unmarshal(body, &as)
			am.mu.Lock()
			am.posts = append(am.posts, post{At: time.Now(), Status: code, Alerts: as})
			am.mu.Unlock()
		}
		if code != http.StatusOK {
			http.Error(w, "bad request: the fault row says so", code)
		}
	}))
	t.Cleanup(srv.Close)
	am.Addr = strings.TrimPrefix(srv.URL, "http://")
	return am
}

// received returns the posts so far.
func (am *fakeAM) received() []post {
	am.mu.Lock()
	defer am.mu.Unlock()
	return slices.Clone(am.posts)
}
