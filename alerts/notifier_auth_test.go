package alerts

import (
	"encoding/pem"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hawatch/hawatch/config"
)

func TestNotifierAuthHeaders(t *testing.T) {
	tests := []struct {
		name string
		cfg  func(url string) config.AlertmanagerConfig
		want string
	}{
		{"basic auth", func(u string) config.AlertmanagerConfig {
			return config.AlertmanagerConfig{URLs: []string{u}, Username: "am", Password: "pw"}
		}, "Basic YW06cHc="},
		{"basic auth from the url", func(u string) config.AlertmanagerConfig {
			return config.AlertmanagerConfig{URLs: []string{strings.Replace(u, "http://", "http://am:pw@", 1)}}
		}, "Basic YW06cHc="},
		{"bearer token", func(u string) config.AlertmanagerConfig {
			return config.AlertmanagerConfig{URLs: []string{u}, BearerToken: "tok"}
		}, "Bearer tok"},
		{"none", func(u string) config.AlertmanagerConfig {
			return config.AlertmanagerConfig{URLs: []string{u}}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newAMServer(t)
			tn := newTestNotifier(t, tc.cfg(s.URL), nil)
			tn.run(t)
			tn.Send(testAlert("A"))
			s.waitAlerts(t, 1)
			if got := s.header(0).Get("Authorization"); got != tc.want {
				t.Errorf("Authorization %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNotifierRejectsBasicAuthWithBearer(t *testing.T) {
	_, err := NewNotifier(NotifierOptions{Config: config.AlertmanagerConfig{
		URLs: []string{"http://am:9093"}, Username: "u", Password: "hunter2", BearerToken: "tok-secret",
	}})
	if err == nil {
		t.Fatal("no error")
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "tok-secret") {
		t.Errorf("error reveals a secret: %v", err)
	}
}

func TestNotifierCAFile(t *testing.T) {
	s := &amServer{got: make(chan struct{}, 100)}
	s.Server = newTLSServer(t, s)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
	if err := os.WriteFile(ca, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	tn := newTestNotifier(t, config.AlertmanagerConfig{URLs: []string{s.URL}, CAFile: ca}, nil)
	tn.run(t)
	tn.Send(testAlert("A"))
	s.waitAlerts(t, 1)

	// Without the CA the certificate is not trusted.
	tn2 := newTestNotifier(t, config.AlertmanagerConfig{URLs: []string{s.URL}}, nil)
	tn2.run(t)
	tn2.Send(testAlert("B"))
	if err := tn2.nextAttempt(t); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: %v", err)
	}
}

func TestNotifierRedactsURLs(t *testing.T) {
	const secrets = "s3cret|qsecret"
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newAMServer(t, 500, 500)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	urls := []string{
		strings.Replace(s.URL, "http://", "http://am:s3cret@", 1) + "/?token=qsecret",
		"http://am:s3cret@" + closed + "/am?token=qsecret",
	}
	tn := newTestNotifier(t, config.AlertmanagerConfig{URLs: urls}, logger)
	tn.run(t)
	tn.Send(testAlert("A"))
	var errs []string
	for range 4 {
		if err := tn.nextAttempt(t); err != nil {
			errs = append(errs, err.Error())
		}
	}
	s.waitAlerts(t, 1)
	if !strings.Contains(s.header(0).Get("Authorization"), "Basic") {
		t.Errorf("userinfo not used as basic auth")
	}
	_, perr := NewNotifier(NotifierOptions{Config: config.AlertmanagerConfig{URLs: []string{"http://am:s3cret@bad host:9093/?token=qsecret"}}})
	_, serr := NewNotifier(NotifierOptions{Config: config.AlertmanagerConfig{URLs: []string{"ftp://am:s3cret@am:9093/?token=qsecret"}}})
	if perr == nil || serr == nil {
		t.Fatalf("bad urls accepted: %v %v", perr, serr)
	}
	errs = append(errs, perr.Error(), serr.Error())
	for _, text := range append(errs, logs.String()) {
		for _, secret := range strings.Split(secrets, "|") {
			if strings.Contains(text, secret) {
				t.Errorf("%q reveals %s", text, secret)
			}
		}
	}
	if !strings.Contains(logs.String(), "alertmanager="+"http://"+closed+"/am") {
		t.Errorf("logs do not name the redacted url:\n%s", logs.String())
	}
	// Metrics label the Alertmanager by host only.
	if n := testutil.CollectAndCount(tn.reg, "hawatch_notifications_sent_total"); n != 2 {
		t.Errorf("%d sent series", n)
	}
}

// newTLSServer starts s as an HTTPS server with a self-signed certificate.
func newTLSServer(t *testing.T, s *amServer) *httptest.Server {
	ts := httptest.NewTLSServer(http.HandlerFunc(s.handle))
	t.Cleanup(ts.Close)
	return ts
}
