package probe

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// replyFixture returns the content of a file in testdata.
func replyFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// replyParsers runs every reply parser; the envelope checks must hold for each.
var replyParsers = map[string]func([]byte) (any, error){
	"ha":         func(b []byte) (any, error) { return ParseHA(b) },
	"interfaces": func(b []byte) (any, error) { return ParseInterfaces(b) },
	"counters":   func(b []byte) (any, error) { return ParseCounters(b) },
	"session":    func(b []byte) (any, error) { return ParseSessionInfo(b) },
	"system":     func(b []byte) (any, error) { return ParseSystemInfo(b) },
	"key":        func(b []byte) (any, error) { return ParseKey(b) },
	"check":      func(b []byte) (any, error) { return nil, CheckResponse(b) },
	"licenses":   func(b []byte) (any, error) { return ParseLicenses(b) },
	"pending":    func(b []byte) (any, error) { return ParsePendingChanges(b) },
	"ntp":        func(b []byte) (any, error) { return ParseNTP(b) },
	"panorama":   func(b []byte) (any, error) { return ParsePanoramaStatus(b) },
	"clock":      func(b []byte) (any, error) { return ParseClock(b) },
	"clock-more": func(b []byte) (any, error) { return ParseDataplaneClocks(b) },
	"disk":       func(b []byte) (any, error) { return ParseDiskSpace(b) },
	"arp":        func(b []byte) (any, error) { return ParseARP(b) },
	"tunnels":    func(b []byte) (any, error) { return ParseTunnels(b) },
	"jobs":       func(b []byte) (any, error) { return ParseJobs(b) },
	"software":   func(b []byte) (any, error) { return ParseSoftware(b) },
}

func TestAPIErrors(t *testing.T) {
	tests := []struct {
		file        string
		status      string
		code        int
		msg         string
		auth        bool
		unsupported bool
	}{
		{"error-403.xml", "error", 403, "Invalid credentials.", true, false},
		{"error-403-invalid-credential-op-dainok_netdoc_issue103.xml", "error", 403, "Invalid Credential", true, false},
		{"error-403-invalid-credential-keygen-o5edaxi_paloversion_issue7.xml", "error", 403, "Invalid Credential", true, false},
		{"error-403-invalid-credentials-mock-device_paloalto_firewall_perl.xml", "error", 403, "Invalid credentials.", true, false},
		{"error-unauth-code16-rsolomo_panxapi_js.xml", "unauth", 16, "Unauthorized request", true, false},
		{"error-invalid-command.xml", "error", 17, "show -> bogus is unexpected", false, true},
		{"error-code17-unexpected-cmd-upgrade_assurance.xml", "error", 17, "show -> redistribution  is unexpected", false, true},
		{
			"error-code17-multiline-cdata-device_paloalto_firewall_perl.xml", "error", 17,
			"is invalid virtual-router.Current target-vsys is none | show -> routing -> route -> virtual-router is invalid",
			false, true,
		},
		{
			"error-code12-multiline-cdata-pango.xml", "error", 12,
			"tf123456 -> server -> first server  is invalid. HTTP method must be GET, Username/Password must not be empty when Tag Distribution is chosen | tf123456 -> server is invalid",
			false, false,
		},
		{"error-400-result-msg-pango.xml", "error", 400, `Parameter "format" is required while exporting certificate`, false, false},
		{"error-400-illegal-parameter-device_paloalto_firewall_perl.xml", "error", 400, "Illegal parameter [request]", false, false},
		{"error-keygen-auth-failed-old-rsolomo_panxapi_js.xml", "error", 0, "Authentication failed: Invalid username or password", false, false},
		{"error-no-such-node-pango.xml", "error", 0, "No such node", false, false},
		{"show-interface-not-found-upgrade_assurance.xml", "success", 0, "Interface 'ethernet1/123' not found", false, false},
	}
	for _, tt := range tests {
		body := replyFixture(t, tt.file)
		for name, parse := range replyParsers {
			t.Run(tt.file+"/"+name, func(t *testing.T) {
				_, err := parse(body)
				var apiErr *APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want *APIError", err)
				}
				if errors.Is(err, ErrMalformed) {
					t.Errorf("err = %v wraps ErrMalformed", err)
				}
				if apiErr.Status != tt.status || apiErr.Code != tt.code || apiErr.Message != tt.msg {
					t.Errorf("got status %q code %d msg %q, want %q %d %q",
						apiErr.Status, apiErr.Code, apiErr.Message, tt.status, tt.code, tt.msg)
				}
				if apiErr.AuthFailed() != tt.auth || apiErr.Unsupported() != tt.unsupported {
					t.Errorf("AuthFailed=%v Unsupported=%v, want %v %v",
						apiErr.AuthFailed(), apiErr.Unsupported(), tt.auth, tt.unsupported)
				}
			})
		}
	}
}

func TestMalformedReplies(t *testing.T) {
	tests := map[string][]byte{
		"truncated":      replyFixture(t, "truncated.xml"),
		"html":           replyFixture(t, "html-502-proxy.html"),
		"empty":          nil,
		"blank":          []byte(" \r\n\t"),
		"text":           []byte("Service Unavailable"),
		"wrong root":     []byte(`<result status="success"><enabled>yes</enabled></result>`),
		"no status":      []byte(`<response><result><enabled>yes</enabled></result></response>`),
		"unclosed":       []byte(`<response status="success"><result>`),
		"json":           []byte(`{"status":"success"}`),
		"bad entity":     []byte(`<response status="success"><result>&nbsp;</result></response>`),
		"html fragment":  []byte(`<html><body><h1>503</h1></body></html>`),
		"mismatched tag": []byte(`<response status="success"><result></response></result>`),
	}
	for name, body := range tests {
		for pname, parse := range replyParsers {
			t.Run(name+"/"+pname, func(t *testing.T) {
				_, err := parse(body)
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
				var apiErr *APIError
				if errors.As(err, &apiErr) {
					t.Errorf("err = %v is also an *APIError", err)
				}
			})
		}
	}
}

func TestSuccessWithoutResult(t *testing.T) {
	body := []byte(`<response status = 'success' code = '19'/>`)
	if err := CheckResponse(body); err != nil {
		t.Errorf("CheckResponse = %v, want nil", err)
	}
	for name, parse := range replyParsers {
		if name == "check" {
			continue
		}
		if _, err := parse(body); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func TestCheckResponseSuccess(t *testing.T) {
	for _, file := range []string{
		"ha-all-active.xml",
		"ha-disabled.xml",
		"keygen.xml",
		"keygen-success-atav928_paloaltoapi.xml",
		"success-code19-job-enqueued-rsolomo_panxapi_js.xml",
		// status="success" code="7" is "object not present" for config
		// reads; for the op commands parsed here only the status counts.
		"error-success-code7-object-not-found-pango.xml",
		"show-counter-interface-all-empty-device_paloalto_firewall_perl.xml",
	} {
		if err := CheckResponse(replyFixture(t, file)); err != nil {
			t.Errorf("%s: CheckResponse = %v, want nil", file, err)
		}
	}
}

func TestErrorNamesCommand(t *testing.T) {
	_, err := ParseSessionInfo(replyFixture(t, "truncated.xml"))
	if err == nil || !strings.HasPrefix(err.Error(), "session info reply: malformed reply: ") {
		t.Errorf("err = %v, want it to name the command", err)
	}
	_, err = ParseHA(replyFixture(t, "error-403.xml"))
	if err == nil || err.Error() != "ha reply: pan-os api error 403: Invalid credentials." {
		t.Errorf("err = %v", err)
	}
}

func TestParseKey(t *testing.T) {
	tests := map[string]string{
		"keygen.xml":                               "LUFRPT1FIXTUREFIXTUREFIXTURE==",
		"keygen-success-atav928_paloaltoapi.xml":   "1234567890",
		"keygen-success-puppetlabs_panos_spec.xml": "SOMEKEY",
		"keygen-success-multiline-kb_article.xml":  "LUFRPT1qQlFPKzMwcWloSXRjT2dMQ2p1T2k5VVR0cmc9QXIvT3BhL3gxUWVYS1VMWmNNc29oY2d4VmhrVEgzU2FMbnZ0ZlhBWDBQZ0R5bDlheHNDUjZqTHVkQW1IYnpaZA==",
	}
	for file, want := range tests {
		got, err := ParseKey(replyFixture(t, file))
		if err != nil || got != want {
			t.Errorf("%s: ParseKey = %q, %v; want %q", file, got, err, want)
		}
	}
}

func TestParseKeyMissing(t *testing.T) {
	for _, body := range []string{
		`<response status="success"><result/></response>`,
		`<response status="success"><result><key>  </key></result></response>`,
	} {
		key, err := ParseKey([]byte(body))
		if !errors.Is(err, ErrMalformed) || key != "" {
			t.Errorf("ParseKey(%s) = %q, %v; want ErrMalformed", body, key, err)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true},
		{" 42\n", 42, true},
		{"4142667796", 4142667796, true},
		{"18446744073709551615", 18446744073709551615, true},
		{"18446744073709551616", 0, false},
		{"", 0, false},
		{"-1", 0, false},
		{"1e3", 0, false},
		{"ukn", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseDecimal([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDecimal(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
