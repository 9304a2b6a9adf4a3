package exporter

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/hawatch/hawatch/snapshot"
)

// HandlerOpts configure the metrics handler.
type HandlerOpts struct {
	// ErrorLog receives gathering and encoding errors, as in promhttp.
	ErrorLog interface{ Println(v ...any) }
	// Registry, when set, gets promhttp_metric_handler_errors_total, as
	// promhttp registers it.
	Registry prometheus.Registerer
}

// Handler serves the cached metrics with the other metrics of g (process,
// Go runtime, build info, alerts…) in the format and compression that
// promhttp would negotiate with OpenMetrics enabled, families in name
// order as a registry lists them.
func (c *Cache) Handler(g prometheus.Gatherer, opts HandlerOpts) http.Handler {
	errs := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "promhttp_metric_handler_errors_total",
		Help: "Total number of internal errors encountered by the promhttp metric handler.",
	}, []string{"cause"})
	errs.WithLabelValues("gathering")
	errs.WithLabelValues("encoding")
	if opts.Registry != nil {
		if err := opts.Registry.Register(errs); err != nil {
			are := prometheus.AlreadyRegisteredError{}
			if !errors.As(err, &are) {
				panic(err)
			}
			errs = are.ExistingCollector.(*prometheus.CounterVec)
		}
	}
	// The gzip writers compress at BestSpeed: a scrape of a thousand pairs
	// is tens of MiB of text, which the default level takes four times
	// longer to compress for 10 % less. klauspost/compress (in the binary
	// already, for promhttp's zstd) does it in less than half the time of
	// compress/gzip, for a smaller output.
	gzipPool := &sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
		return w
	}}
	fallback := prometheus.NewRegistry()
	fallback.MustRegister(c.col)
	logf := func(v ...any) {
		if opts.ErrorLog != nil {
			opts.ErrorLog.Println(v...)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format := expfmt.NegotiateAccept(r.Header, expfmt.DefaultOpenMetricsAcceptedFormats()...)
		enc, cached := encodingOf(format)
		gather := g
		if !cached {
			gather = prometheus.Gatherers{g, fallback}
		}
		mfs, err := gather.Gather()
		if err != nil {
			logf("error gathering metrics:", err)
			errs.WithLabelValues("gathering").Inc()
			http.Error(w, "An error has occurred while serving metrics:\n\n"+err.Error(), http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Add("Vary", "Accept")
		h.Add("Vary", "Accept-Encoding")
		h.Set("Content-Type", string(format))
		out := io.Writer(w)
		if negotiateEncoding(r.Header.Get("Accept-Encoding")) == "gzip" {
			h.Set("Content-Encoding", "gzip")
			gz := gzipPool.Get().(*gzip.Writer)
			gz.Reset(w)
			defer func() { _ = gz.Close(); gzipPool.Put(gz) }()
			out = gz
		}
		bw := bufio.NewWriterSize(out, 64<<10)
		names := nameFilter(r)
		if cached {
			err = c.write(bw, format, enc, mfs, names)
		} else {
			err = encodeAll(bw, format, mfs, names)
		}
		if err == nil {
			err = bw.Flush()
		}
		if err != nil {
			logf("error encoding and sending metric family:", err)
			errs.WithLabelValues("encoding").Inc()
		}
	})
}

// nameFilter returns the families asked for with name[], nil for all.
func nameFilter(r *http.Request) map[string]bool {
	if r.URL == nil {
		return nil
	}
	names := r.URL.Query()["name[]"]
	if len(names) == 0 {
		return nil
	}
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// encodeAll encodes gathered families with expfmt.
func encodeAll(w io.Writer, format expfmt.Format, mfs []*dto.MetricFamily, names map[string]bool) error {
	enc := expfmt.NewEncoder(w, format)
	for _, mf := range mfs {
		if names == nil || names[mf.GetName()] {
			if err := enc.Encode(mf); err != nil {
				return err
			}
		}
	}
	if cl, ok := enc.(expfmt.Closer); ok {
		return cl.Close()
	}
	return nil
}

// write writes the scrape: the gathered families, the families built at
// scrape and the cached ones, merged in name order.
func (c *Cache) write(w io.Writer, format expfmt.Format, enc encoding, mfs []*dto.MetricFamily, names map[string]bool) error {
	pairs := c.col.src.Snapshots()
	entries := c.fresh(pairs, enc)
	global := c.global(pairs, entries)
	e := expfmt.NewEncoder(w, format)
	var scratch []byte
	next := 0
	flushUpTo := func(name string) error {
		for ; next < len(mfs) && (name == "" || mfs[next].GetName() < name); next++ {
			if names == nil || names[mfs[next].GetName()] {
				if err := e.Encode(mfs[next]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i, f := range c.col.d.families {
		if err := flushUpTo(f.name); err != nil {
			return err
		}
		if next < len(mfs) && mfs[next].GetName() == f.name {
			return fmt.Errorf("metric %s is both the exporter's and another collector's", f.name)
		}
		if names != nil && !names[f.name] {
			continue
		}
		var err error
		if f.atScrape {
			if mf := global.family(i); mf != nil {
				err = e.Encode(mf)
			}
		} else {
			scratch, err = c.writeFamily(w, enc, i, entries, scratch)
		}
		if err != nil {
			return err
		}
	}
	if err := flushUpTo(""); err != nil {
		return err
	}
	if cl, ok := e.(expfmt.Closer); ok {
		return cl.Close()
	}
	return nil
}

// global builds the families that span pairs: the success and duration of
// each sub-collector (the time it took to build the snapshots now served),
// the EC2 API counters summed over pairs and the overflow counters.
func (c *Cache) global(pairs []*snapshot.Pair, entries []*entry) *dtoSink {
	d := c.col.d
	s := newDTOSink(d)
	e := &emitter{d: d, sink: s}
	for i, sub := range c.subs {
		ok, took := true, time.Duration(0)
		for _, ent := range entries {
			ok, took = ok && ent.ok[i], took+ent.took[i]
		}
		e.gauge(d.collectorDuration, took.Seconds(), sub.name)
		e.boolean(d.collectorSuccess, ok, sub.name)
	}
	collectAWSAPI(e, d, pairs)
	c.col.over.collect(e, pairs)
	if e.err != nil {
		c.col.logger.Error("metrics collection failed", "collector", "aws", "err", e.err)
	}
	return s.sorted()
}

// negotiateEncoding picks gzip or identity from an Accept-Encoding header
// the way promhttp does: the offer with the highest quality wins, identity
// first on a tie, and nothing acceptable means identity.
func negotiateEncoding(header string) string {
	best, bestQ := "identity", -1.0
	for _, offer := range []string{"identity", "gzip"} {
		for _, spec := range strings.Split(header, ",") {
			value, params, _ := strings.Cut(spec, ";")
			value = strings.ToLower(strings.TrimSpace(value))
			q := 1.0
			if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
			if value != "" && q > bestQ && (value == "*" || value == offer) {
				best, bestQ = offer, q
			}
		}
	}
	if bestQ == 0 {
		return "identity"
	}
	return best
}
