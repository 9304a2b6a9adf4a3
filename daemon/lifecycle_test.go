package daemon

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/config"
)

// post sends a request to /-/reload and returns its status and body.
func post(t *testing.T, d *testDaemon, method, contentType, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, d.url+"/-/reload", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestReloadDisabledByDefault(t *testing.T) {
	d := startDaemon(t, config.WebConfig{})
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		code, body := post(t, d, method, "application/json", "{}", nil)
		if code != http.StatusForbidden || !strings.Contains(body, "HAWATCH_WEB_ENABLE_LIFECYCLE") {
			t.Errorf("%s with the lifecycle API off: %d %q", method, code, body)
		}
	}
	if n := d.reloads.Load(); n != 0 {
		t.Fatalf("%d reloads through a disabled API", n)
	}
	// SIGHUP reaches the same reload without HTTP.
	if err := d.Reload(context.Background()); err != nil || d.reloads.Load() != 1 {
		t.Errorf("reload without HTTP: %v, %d reloads", err, d.reloads.Load())
	}
}

// TestReloadRefusesCrossSiteRequests: what a page on another site can make
// a browser send without a preflight is refused and reloads nothing.
func TestReloadRefusesCrossSiteRequests(t *testing.T) {
	d := startDaemon(t, config.WebConfig{EnableLifecycle: true})
	crossSite := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
	for _, tc := range []struct {
		name, contentType, body string
		header                  map[string]string
		want                    int
	}{
		{"form post", "application/x-www-form-urlencoded", "reload=1", nil, http.StatusForbidden},
		{"multipart form", "multipart/form-data; boundary=x", "--x--", nil, http.StatusForbidden},
		{"text/plain form", "text/plain", "reload", nil, http.StatusForbidden},
		{"no-cors fetch without a body", "", "", nil, http.StatusForbidden},
		{"JSON type inside a parameter", "text/plain; x=application/json", "{}", nil, http.StatusForbidden},
		{"cross-site JSON", "application/json", "{}", crossSite, http.StatusForbidden},
		{"cross-site with the header", "", "", map[string]string{"Origin": "https://evil.example", "X-Hawatch-Reload": "1"}, http.StatusForbidden},
		{"JSON", "application/json", "{}", nil, http.StatusOK},
		{"JSON with a charset", "application/json; charset=utf-8", "", nil, http.StatusOK},
		{"reload header", "", "", map[string]string{"X-Hawatch-Reload": "1"}, http.StatusOK},
		{"same-origin page", "application/json", "{}", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusOK},
	} {
		before := d.reloads.Load()
		code, body := post(t, d, http.MethodPost, tc.contentType, tc.body, tc.header)
		if code != tc.want {
			t.Errorf("%s: %d %q, want %d", tc.name, code, body, tc.want)
		}
		reloaded := d.reloads.Load() != before
		if reloaded != (tc.want == http.StatusOK) {
			t.Errorf("%s: reloaded %v", tc.name, reloaded)
		}
	}
	if code, _ := post(t, d, http.MethodGet, "application/json", "", nil); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /-/reload: %d, want 405", code)
	}
}
