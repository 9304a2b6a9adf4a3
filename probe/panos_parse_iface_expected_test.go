package probe

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The files in testdata/expected were written by reading each reply by
// hand. Every `show interface all` and `show counter interface all` reply in
// testdata must have one, so that a new fixture cannot go unchecked.

// expectedHardware is one hw row of an expected-values file.
type expectedHardware struct {
	Name        string   `json:"name"`
	Kind        PortKind `json:"kind"`
	Type        string   `json:"type"`
	State       string   `json:"state"`
	Up          bool     `json:"up"`
	Role        string   `json:"role"`
	Mode        string   `json:"mode"`
	Aggregate   string   `json:"aggregate"`
	Members     []string `json:"members"`
	CarriesLink bool     `json:"carriesLink"`
}

// expectedLogical is one ifnet row of an expected-values file.
type expectedLogical struct {
	Name       string   `json:"name"`
	Port       string   `json:"port"`
	Sub        bool     `json:"sub"`
	Forwarding string   `json:"forwarding"`
	Mode       string   `json:"mode"`
	Addresses  []string `json:"addresses,omitempty"`
	Addresses6 []string `json:"addresses6,omitempty"`
}

// expectedCounter is one counter entry of an expected-values file.
type expectedCounter struct {
	Name      string `json:"name"`
	RxBytes   uint64 `json:"rxBytes"`
	TxBytes   uint64 `json:"txBytes"`
	RxPackets uint64 `json:"rxPackets"`
	TxPackets uint64 `json:"txPackets"`
	RxErrors  uint64 `json:"rxErrors"`
	RxDrops   uint64 `json:"rxDrops"`
	Wire      bool   `json:"wire"`
	DPRxBytes uint64 `json:"dpRxBytes"`
	DPTxBytes uint64 `json:"dpTxBytes"`
}

// fixturesMatching lists the testdata replies matching any of patterns.
func fixturesMatching(t *testing.T, min int, patterns ...string) []string {
	t.Helper()
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(filepath.Join("testdata", p))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if len(files) < min {
		t.Fatalf("found %d fixtures for %v, want at least %d", len(files), patterns, min)
	}
	return files
}

// readExpected decodes testdata/expected/<fixture>.json strictly into v.
func readExpected(t *testing.T, fixture string, v any) {
	t.Helper()
	name := strings.TrimSuffix(filepath.Base(fixture), filepath.Ext(fixture)) + ".json"
	b, err := os.ReadFile(filepath.Join("testdata", "expected", name))
	if err != nil {
		t.Fatalf("no expected values for %s: %v", fixture, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func TestParseInterfacesExpected(t *testing.T) {
	for _, file := range fixturesMatching(t, 7, "show-interface-all-*.xml", "interface-all*.xml") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var want struct {
				Hardware []expectedHardware `json:"hardware"`
				Logical  []expectedLogical  `json:"logical"`
			}
			readExpected(t, file, &want)
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseInterfaces(body)
			if err != nil {
				t.Fatal(err)
			}
			hw := make([]expectedHardware, 0, len(got.Hardware))
			for _, h := range got.Hardware {
				hw = append(hw, expectedHardware{
					Name: h.Name, Kind: h.Kind, Type: h.Type, State: h.State, Up: h.Up, Role: h.Role,
					Mode: h.Mode, Aggregate: h.Aggregate, Members: h.Members, CarriesLink: h.CarriesLink(),
				})
			}
			compareRows(t, "hardware", hw, want.Hardware)
			li := make([]expectedLogical, 0, len(got.Logical))
			for _, l := range got.Logical {
				li = append(li, expectedLogical{Name: l.Name, Port: l.Port, Sub: l.Sub, Forwarding: l.Forwarding, Mode: l.Mode,
					Addresses: l.Addresses, Addresses6: l.Addresses6})
			}
			compareRows(t, "logical", li, want.Logical)
		})
	}
}

func TestParseCountersExpected(t *testing.T) {
	for _, file := range fixturesMatching(t, 5, "show-counter-interface-all-*.xml", "counter-interface-all*.xml") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var want struct {
				Hardware []expectedCounter `json:"hardware"`
				Logical  []expectedCounter `json:"logical"`
			}
			readExpected(t, file, &want)
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseCounters(body)
			if err != nil {
				t.Fatal(err)
			}
			compareRows(t, "hardware", counterRows(got.Hardware), want.Hardware)
			compareRows(t, "logical", counterRows(got.Logical), want.Logical)
		})
	}
}

func counterRows(cs []InterfaceCounters) []expectedCounter {
	out := make([]expectedCounter, 0, len(cs))
	for _, c := range cs {
		out = append(out, expectedCounter(c))
	}
	return out
}

// compareRows reports each row that differs, and a difference in length.
func compareRows[T any](t *testing.T, what string, got, want []T) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d rows, want %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s[%d]:\n got %+v\nwant %+v", what, i, got[i], want[i])
		}
	}
}
