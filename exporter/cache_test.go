package exporter

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/hawatch/hawatch/snapshot"
)

// mutableSource is a Source whose snapshots change between scrapes.
type mutableSource struct {
	mu    sync.Mutex
	pairs []*snapshot.Pair
}

func (s *mutableSource) Snapshots() []*snapshot.Pair {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pairs
}

func (s *mutableSource) set(pairs []*snapshot.Pair) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pairs = pairs
}

// accepts are Accept headers of the formats the cache encodes, as
// Prometheus and older clients send them.
var accepts = map[string]string{
	"text":        "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
	"text-1.0.0":  "text/plain;version=1.0.0;escaping=allow-utf-8",
	"openmetrics": "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,text/plain;version=0.0.4;q=0.3",
	"om-0.0.1":    "application/openmetrics-text;version=0.0.1",
	"protobuf":    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7",
	"prototext":   "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text",
}

// stopped is a clock that never moves, so that sub-collector durations
// are 0 and scrapes compare byte for byte.
func stopped() time.Time { return pollEnd }

// others returns a registry standing for the daemon's other collectors,
// with families that sort before, among and after the exporter's.
func others() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	for _, name := range []string{"aaa_first", "hawatch_ha_zz_other", "zzz_last"} {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: "Test family " + name + "."})
		g.Set(float64(len(name)))
		reg.MustRegister(g)
	}
	return reg
}

// scrape gets the handler's metrics with an Accept and Accept-Encoding
// header and returns the body, decompressed, and its Content-Type.
func scrape(t *testing.T, h http.Handler, accept, encoding string) ([]byte, expfmt.Format) {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", encoding)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("scrape: status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatalf("scrape: gzip: %v", err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("scrape: gunzip: %v", err)
		}
	} else if strings.Contains(encoding, "gzip") {
		t.Fatalf("scrape: asked for gzip, got %q", rec.Header().Get("Content-Encoding"))
	}
	return body, expfmt.Format(rec.Header().Get("Content-Type"))
}

// expected encodes what a registry gathers from g in format. In the
// formats the cache encodes, the samples of each family are grouped by
// pair (in pair order, then in the registry's order), as the cache lists
// them; the others come from the collector through a registry.
func expected(t *testing.T, g prometheus.Gatherer, format expfmt.Format) []byte {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, format)
	_, cached := encodingOf(format)
	for _, mf := range mfs {
		if cached {
			slices.SortStableFunc(mf.Metric, func(a, b *dto.Metric) int { return strings.Compare(pairOf(a), pairOf(b)) })
		}
		if err := enc.Encode(mf); err != nil {
			t.Fatalf("encode: %v", err)
		}
	}
	if err := enc.(expfmt.Closer).Close(); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return buf.Bytes()
}

// pairOf returns the pair label of a sample, "" without one.
func pairOf(m *dto.Metric) string {
	for _, l := range m.Label {
		if l.GetName() == "pair" {
			return l.GetValue()
		}
	}
	return ""
}

// garbled is a pair whose firewall replies carry quotes, backslashes,
// newlines and invalid UTF-8 in names that become label values.
func garbled(name string) *snapshot.Pair {
	p := healthyPair()
	p.Name = name
	ifs := p.Peers[0].Interfaces
	ifs.Hardware[0].Name = "eth\"1\\1\nx"
	ifs.Logical[0].Name = "eth\"1\\1\nx"
	ifs.Logical[1].Zone = "z\xff\xfeone"
	p.Peers[1].HA.Links[1].Name = "ha2\"\\"
	// Values whose formatting differs between the formats.
	p.Traffic.BytesPerSecond = math.NaN()
	p.Traffic.PeerBytesPerSecond = map[string]float64{"a": math.Inf(1), "b": math.Copysign(0, -1)}
	p.Config.TrafficFloorBytesPerSecond = 1e21
	p.Peers[0].HA.LocalStateDuration = -time.Second
	return p
}

// randomFleet returns a random set of pairs, sorted by name, reusing a
// previous snapshot of a pair now and then as a poll-less scrape would.
func randomFleet(rng *rand.Rand, step int, prev map[string]*snapshot.Pair) []*snapshot.Pair {
	var out []*snapshot.Pair
	for i := range 7 {
		name := fmt.Sprintf("p%d", i)
		if i == 6 {
			// The cache keeps the pair label apart; one that needs
			// escaping must come back escaped.
			name = "p6 \"quoted\" back\\slash\nnewline"
		}
		if rng.IntN(10) < 3 {
			delete(prev, name)
			continue
		}
		if p := prev[name]; p != nil && rng.IntN(2) == 0 {
			out = append(out, p)
			continue
		}
		var p *snapshot.Pair
		switch rng.IntN(6) {
		case 0:
			p = healthyPair()
		case 1:
			p = unreachablePair()
		case 2:
			p = standalonePair()
		case 3:
			p = awsPair(name)
		case 4:
			p = synthPair(i, step)
		default:
			p = garbled(name)
		}
		p.Name = name
		prev[name] = p
		out = append(out, p)
	}
	return out
}

// TestCacheMatchesCollector feeds random sequences of snapshots to a cache
// and to the uncached collector and checks that every scrape of the cache,
// in every format, plain and gzipped, equals the registry's encoding of
// the collector's metrics — pairs that come, change, stay and go, and
// peers over the series limit included.
func TestCacheMatchesCollector(t *testing.T) {
	formats := slices.Sorted(func(yield func(string) bool) {
		for k := range accepts {
			if !yield(k) {
				return
			}
		}
	})
	for run, limit := range []int{DefaultSeriesLimit, 40, DefaultSeriesLimit, 25} {
		rng := rand.New(rand.NewPCG(uint64(run), 12))
		src := &mutableSource{}
		cache := NewCache(src, nil)
		cache.col.limit, cache.col.now = limit, stopped
		ref := NewCollector(src, nil)
		ref.limit, ref.now = limit, stopped
		reg := prometheus.NewPedanticRegistry()
		reg.MustRegister(ref)
		other := others()
		h := cache.Handler(other, HandlerOpts{})
		want := prometheus.Gatherers{other, reg}
		prev := map[string]*snapshot.Pair{}
		for step := range 25 {
			pairs := randomFleet(rng, step, prev)
			src.set(pairs)
			for _, p := range pairs {
				if rng.IntN(3) == 0 {
					cache.Update(p)
				}
			}
			name := formats[rng.IntN(len(formats))]
			gz := []string{"", "gzip", "gzip, deflate, br"}[rng.IntN(3)]
			got, format := scrape(t, h, accepts[name], gz)
			if exp := expected(t, want, format); !bytes.Equal(got, exp) {
				t.Fatalf("run %d step %d, %s (%s), gzip %q: the cache's scrape differs from the collector's:\n%s",
					run, step, name, format, gz, lineDiff(string(exp), string(got)))
			}
		}
	}
}

// lineDiff shows the first lines where two expositions differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl, gl)
		}
	}
	return fmt.Sprintf("same lines, %d vs %d bytes", len(want), len(got))
}

// TestCacheConcurrentUpdates scrapes while polls replace and remove pairs
// and Update builds them, in every cached format at once; every scrape
// must parse, hold each family once, and list only pairs of a fleet that
// existed. Run with -race.
func TestCacheConcurrentUpdates(t *testing.T) {
	src := &mutableSource{pairs: slices.Delete(synthFleet(8, 1), 1, 2)}
	c := NewCache(src, nil)
	h := c.Handler(others(), HandlerOpts{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for seq := 2; ; seq++ {
			select {
			case <-stop:
				return
			default:
			}
			fleet := synthFleet(8, seq)
			fleet = slices.Delete(fleet, seq%8, seq%8+1) // one pair away each time
			src.set(fleet)
			for _, p := range fleet {
				c.Update(p)
			}
		}
	}()
	for i := range 8 {
		for _, name := range []string{"text", "openmetrics", "protobuf"} {
			body, format := scrape(t, h, accepts[name], "gzip")
			if name == "text" {
				mfs := parseText(t, body)
				if mfs["hawatch_peer_up"] == nil || len(mfs["hawatch_peer_up"].Metric) != 14 {
					t.Fatalf("scrape %d: %d peer_up series, want 2 for each of the 7 pairs", i, len(mfs["hawatch_peer_up"].GetMetric()))
				}
			}
			if len(body) == 0 {
				t.Fatalf("scrape %d in %s: empty", i, format)
			}
		}
	}
	close(stop)
	wg.Wait()
}

// A label other than pair whose value is the pair's name, and values with
// every escaped character, come back as expfmt writes them.
func TestCachedLinesExpand(t *testing.T) {
	f := newFamily("hawatch_test_info", "Test.", []string{"pair", "peer", "interface"})
	const pair = `fw "pair"\one`
	// Label values in the order of the sorted names: interface, pair, peer.
	ss := []sample{
		{t: prometheus.GaugeValue, v: 1, lvs: []string{"x\ny", pair, pair}},
		{t: prometheus.GaugeValue, v: 2.5, lvs: []string{pair, pair, "other"}},
		{t: prometheus.GaugeValue, v: 3, lvs: []string{"a", "not the pair", "b"}},
	}
	for _, om := range []bool{false, true} {
		want := &bytes.Buffer{}
		mf := dtoFamily(f, ss)
		var err error
		if om {
			_, err = expfmt.MetricFamilyToOpenMetrics(want, mf)
		} else {
			_, err = expfmt.MetricFamilyToText(want, mf)
		}
		if err != nil {
			t.Fatal(err)
		}
		kept := appendSamples(nil, f, ss, om, pair)
		if bytes.Count(kept, []byte{pairMark}) != 2 || bytes.Contains(kept, []byte(f.name)) {
			t.Errorf("kept lines %q: want the pair label of the two lines whose pair is %q marked, and no name", kept, pair)
		}
		got := expandLines(nil, f.name, appendPairLabel(nil, pair), kept)
		if body := want.Bytes()[headerLen(want.Bytes()):]; !bytes.Equal(got, body) {
			t.Errorf("om=%v:\ngot  %q\nwant %q", om, got, body)
		}
	}
}
