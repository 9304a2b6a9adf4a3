package probe

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseRoutes(t *testing.T) {
	recorded, err := os.ReadFile(filepath.Join("testdata", "show-routing-route-upgrade_assurance.xml"))
	if err != nil {
		t.Fatal(err)
	}
	// Read from the XML: three default routes of vr default on
	// ethernet1/1, two ECMP next hops and one into another virtual router.
	def := func(nh string) Route {
		return Route{VirtualRouter: "default", Destination: "0.0.0.0/0", Nexthop: nh, Interface: "ethernet1/1",
			Metric: "10", Flags: "A S E", Active: true, Table: "unicast"}
	}
	tests := []struct {
		name string
		body string
		want []Route
	}{
		{"recorded", string(recorded), []Route{def("10.10.11.1"), def("10.10.12.1"), def("public vr")}},
		{"empty table", `<response status="success"><result/></response>`, []Route{}},
		{"inactive connected route without interface",
			`<response status="success"><result><entry><virtual-router>vr1</virtual-router>` +
				`<destination>10.0.1.0/24</destination><nexthop>0.0.0.0</nexthop><flags> C </flags>` +
				`</entry></result></response>`,
			[]Route{{VirtualRouter: "vr1", Destination: "10.0.1.0/24", Nexthop: "0.0.0.0", Flags: "C"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRoutes([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseRoutesKeysKeepECMPApart(t *testing.T) {
	a := Route{VirtualRouter: "default", Destination: "0.0.0.0/0", Interface: "ethernet1/1", Nexthop: "10.10.11.1"}
	b := a
	b.Nexthop = "10.10.12.1"
	if a.Key() == b.Key() {
		t.Errorf("two next hops of one destination share the key %q", a.Key())
	}
}

func TestParseRoutesErrors(t *testing.T) {
	for name, body := range map[string]string{
		"no destination": `<response status="success"><result><entry><nexthop>1.2.3.4</nexthop></entry></result></response>`,
		"truncated":      `<response status="success"><result><entry><destination>0.0.0.0/0`,
		"no result":      `<response status="success"></response>`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseRoutes([]byte(body)); !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v, want ErrMalformed", err)
			}
		})
	}
	unknown := `<response status="error" code="17"><msg><line><![CDATA[ show -> routing is unexpected]]></line></msg></response>`
	var apiErr *APIError
	if _, err := ParseRoutes([]byte(unknown)); !errors.As(err, &apiErr) || !apiErr.Unsupported() {
		t.Errorf("code 17: err = %v, want an unsupported APIError", err)
	}
}

// FuzzParseRoutes: no panic, a non-nil table whenever there is no error,
// and only *APIError or ErrMalformed as errors.
func FuzzParseRoutes(f *testing.F) {
	seedReplies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := ParseRoutes(body)
		if err == nil {
			if got == nil {
				t.Fatal("nil table without an error")
			}
			return
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) && !errors.Is(err, ErrMalformed) {
			t.Errorf("error %v is neither an *APIError nor ErrMalformed", err)
		}
	})
}
