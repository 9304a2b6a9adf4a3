package probe

import (
	"errors"
	"testing"
)

// fuzzOps checks that an on-demand parser never panics and fails only with
// an *APIError or ErrMalformed. Its results are values or slices, where an
// empty answer (no jobs, no tunnels) is a valid one.
func fuzzOps[T any](f *testing.F, parse func([]byte) (T, error)) {
	seedReplies(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := parse(body)
		if err == nil {
			return
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) && !errors.Is(err, ErrMalformed) {
			t.Errorf("error %v is neither an *APIError nor ErrMalformed", err)
		}
	})
}

func FuzzParseLicenses(f *testing.F)        { fuzzOps(f, ParseLicenses) }
func FuzzParsePendingChanges(f *testing.F)  { fuzzOps(f, ParsePendingChanges) }
func FuzzParseNTP(f *testing.F)             { fuzzParser(f, ParseNTP) }
func FuzzParsePanoramaStatus(f *testing.F)  { fuzzParser(f, ParsePanoramaStatus) }
func FuzzParseClock(f *testing.F)           { fuzzOps(f, ParseClock) }
func FuzzParseDataplaneClocks(f *testing.F) { fuzzOps(f, ParseDataplaneClocks) }
func FuzzParseDiskSpace(f *testing.F)       { fuzzOps(f, ParseDiskSpace) }
func FuzzParseARP(f *testing.F)             { fuzzParser(f, ParseARP) }
func FuzzParseTunnels(f *testing.F)         { fuzzOps(f, ParseTunnels) }
func FuzzParseJobs(f *testing.F)            { fuzzOps(f, ParseJobs) }
func FuzzParseSoftware(f *testing.F)        { fuzzOps(f, ParseSoftware) }
