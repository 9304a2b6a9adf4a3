package probe

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// seedReplies adds every reply in testdata to the fuzz corpus.
func seedReplies(f *testing.F) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.*ml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed replies in testdata: %v", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// fuzzParser checks that parse never panics, returns a result whenever it
// returns no error, and fails only with an *APIError or ErrMalformed.
func fuzzParser[T any](f *testing.F, parse func([]byte) (*T, error)) {
	seedReplies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := parse(body)
		if err == nil {
			if got == nil {
				t.Fatal("nil result without an error")
			}
			return
		}
		if got != nil {
			t.Errorf("result %+v with error %v", got, err)
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) && !errors.Is(err, ErrMalformed) {
			t.Errorf("error %v is neither an *APIError nor ErrMalformed", err)
		}
	})
}

func FuzzParseHA(f *testing.F)          { fuzzParser(f, ParseHA) }
func FuzzParseInterfaces(f *testing.F)  { fuzzParser(f, ParseInterfaces) }
func FuzzParseCounters(f *testing.F)    { fuzzParser(f, ParseCounters) }
func FuzzParseSessionInfo(f *testing.F) { fuzzParser(f, ParseSessionInfo) }
func FuzzParseSystemInfo(f *testing.F)  { fuzzParser(f, ParseSystemInfo) }
