package probe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Every recorded HA, system-info and session-info reply in testdata has an
// expected-values file in testdata/expected, named after the reply with a
// .json suffix and written by reading the XML. A field the file does not
// name must parse to its zero value.

// haRecordedPatterns match the recorded replies each parser is checked on.
var haRecordedPatterns = []struct {
	glob  string
	parse func([]byte) (any, error)
	want  func() any
}{
	{"show-ha-*.xml", haParseAny(ParseHA), func() any { return new(haInfoJSON) }},
	{"ha-state-*-recorded.xml", haParseAny(ParseHA), func() any { return new(haInfoJSON) }},
	{"show-system-info-*.xml", haParseAny(ParseSystemInfo), func() any { return new(SystemInfo) }},
	{"show-session-info-*.xml", haParseAny(ParseSessionInfo), func() any { return new(SessionInfo) }},
}

func haParseAny[T any](parse func([]byte) (*T, error)) func([]byte) (any, error) {
	return func(b []byte) (any, error) {
		v, err := parse(b)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
}

func TestExpectedHAValues(t *testing.T) {
	n := 0
	for _, p := range haRecordedPatterns {
		files, err := filepath.Glob(filepath.Join("testdata", p.glob))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			n++
			name := filepath.Base(file)
			t.Run(name, func(t *testing.T) {
				body, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				got, err := p.parse(body)
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				want := haLoadExpected(t, name, p.want())
				for _, d := range haDiff("", reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()) {
					t.Error(d)
				}
			})
		}
	}
	if n < 17 {
		t.Errorf("found %d recorded replies, want at least 17", n)
	}
}

// haLoadExpected decodes testdata/expected/<reply>.json strictly into v and
// returns the value to compare with the parser's result.
func haLoadExpected(t *testing.T, reply string, v any) any {
	t.Helper()
	path := filepath.Join("testdata", "expected", strings.TrimSuffix(reply, ".xml")+".json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no expected values for %s: %v", reply, err)
	}
	if j, ok := v.(*haInfoJSON); ok {
		j.haInfoAlias = new(haInfoAlias)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if j, ok := v.(*haInfoJSON); ok {
		return j.info()
	}
	return v
}

type haInfoAlias HAInfo

// haInfoJSON is HAInfo with its durations written as Go duration strings
// ("2s", "500ms"), which read better than nanoseconds.
type haInfoJSON struct {
	*haInfoAlias
	LocalStateDuration haDuration
	PromotionHold      haDuration
	PeerStateDuration  haDuration
}

func (j *haInfoJSON) info() *HAInfo {
	h := (*HAInfo)(j.haInfoAlias)
	h.LocalStateDuration = time.Duration(j.LocalStateDuration)
	h.PromotionHold = time.Duration(j.PromotionHold)
	h.PeerStateDuration = time.Duration(j.PeerStateDuration)
	return h
}

type haDuration time.Duration

func (d *haDuration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = haDuration(v)
	return err
}

// haDiff lists the fields in which got and want differ, by path, so that a
// failure names the field instead of dumping two whole structs.
func haDiff(path string, got, want reflect.Value) []string {
	switch got.Kind() {
	case reflect.Struct:
		var out []string
		for i := range got.NumField() {
			f := got.Type().Field(i).Name
			out = append(out, haDiff(path+"."+f, got.Field(i), want.Field(i))...)
		}
		return out
	case reflect.Slice:
		if got.Len() != want.Len() {
			return []string{fmt.Sprintf("%s: got %d items %#v, want %d items %#v",
				path, got.Len(), got.Interface(), want.Len(), want.Interface())}
		}
		var out []string
		for i := range got.Len() {
			out = append(out, haDiff(fmt.Sprintf("%s[%d]", path, i), got.Index(i), want.Index(i))...)
		}
		return out
	}
	if !reflect.DeepEqual(got.Interface(), want.Interface()) {
		return []string{fmt.Sprintf("%s = %#v, want %#v", path, got.Interface(), want.Interface())}
	}
	return nil
}
