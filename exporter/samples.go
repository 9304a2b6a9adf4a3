package exporter

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// sample is one sample of a pair, its label values in the order of its
// family's sorted label names.
type sample struct {
	t   prometheus.ValueType
	v   float64
	lvs []string
}

// pairSink collects the samples of one pair's snapshot by family. It
// refuses the families that span pairs, which the scrape builds. A sink is
// reused from build to build (see sinks): once it has grown to a pair's
// size, a build allocates nothing for its samples.
type pairSink struct {
	samples [][]sample
	// slab holds the label values of many samples, to allocate once for
	// them. A full slab is replaced by one twice its size; the samples
	// already in it keep referring to the old one until reset.
	slab []string
}

// sinks holds the sinks between builds.
var sinks sync.Pool

// getPairSink returns an empty sink for the families of d.
func getPairSink(d *descs) *pairSink {
	if s, ok := sinks.Get().(*pairSink); ok && len(s.samples) == len(d.families) {
		return s
	}
	return &pairSink{samples: make([][]sample, len(d.families))}
}

// putPairSink empties s, dropping its references to label values, and
// keeps it for the next build.
func putPairSink(s *pairSink) {
	for i, ss := range s.samples {
		clear(ss)
		s.samples[i] = ss[:0]
	}
	clear(s.slab)
	s.slab = s.slab[:0]
	sinks.Put(s)
}

func (s *pairSink) add(f *family, t prometheus.ValueType, v float64, lvs []string) error {
	if f.atScrape {
		return fmt.Errorf("metric %s spans pairs and cannot be built per pair", f.name)
	}
	n := len(s.slab)
	if cap(s.slab)-n < len(lvs) {
		s.slab, n = make([]string, 0, max(1024, 2*cap(s.slab), len(lvs))), 0
	}
	s.slab = s.slab[:n+len(lvs)]
	vals := s.slab[n : n+len(lvs) : n+len(lvs)]
	for k, i := range f.order {
		vals[k] = lvs[i]
	}
	s.samples[f.idx] = append(s.samples[f.idx], sample{t: t, v: v, lvs: vals})
	return nil
}

// sort orders the samples of every family as a registry does: by label
// values, label by label in name order.
func (s *pairSink) sort() {
	for _, ss := range s.samples {
		slices.SortFunc(ss, func(a, b sample) int { return slices.Compare(a.lvs, b.lvs) })
	}
}

// dtoFamily returns samples of f as a dto.MetricFamily.
func dtoFamily(f *family, ss []sample) *dto.MetricFamily {
	mf := &dto.MetricFamily{Name: &f.name, Help: &f.help, Type: dtoType(ss[0].t).Enum()}
	for _, x := range ss {
		m := &dto.Metric{Label: make([]*dto.LabelPair, len(x.lvs))}
		for k := range x.lvs {
			m.Label[k] = &dto.LabelPair{Name: &f.labels[k], Value: &x.lvs[k]}
		}
		v := x.v
		if x.t == prometheus.CounterValue {
			m.Counter = &dto.Counter{Value: &v}
		} else {
			m.Gauge = &dto.Gauge{Value: &v}
		}
		mf.Metric = append(mf.Metric, m)
	}
	return mf
}

// appendSamples appends the sample lines of one family in the text format
// (or OpenMetrics, om) as the cache keeps them: exactly as expfmt writes
// them for a family whose name and label names are valid legacy names, as
// all of the exporter's are, and samples without timestamps, except that
// the family's name is left out of every line and a pair label whose value
// is pair is the single byte pairMark. expandLines restores both.
func appendSamples(b []byte, f *family, ss []sample, om bool, pair string) []byte {
	for _, x := range ss {
		for k, v := range x.lvs {
			if k == 0 {
				b = append(b, '{')
			} else {
				b = append(b, ',')
			}
			if f.labels[k] == "pair" && v == pair {
				b = append(b, pairMark)
				continue
			}
			b = append(b, f.labels[k]...)
			b = append(b, '=', '"')
			b = appendEscaped(b, v)
			b = append(b, '"')
		}
		if len(x.lvs) > 0 {
			b = append(b, '}')
		}
		b = append(b, ' ')
		b = appendFloat(b, x.v, om)
		b = append(b, '\n')
	}
	return b
}

// pairMark stands for the pair label in the lines the cache keeps. The
// name of a family is the same on each of its lines and the pair label on
// each of a pair's: leaving them out makes the cache less than half the
// size of the exposition. The byte never occurs in valid UTF-8, and every
// label value is made valid UTF-8 before it is encoded (emitter.send).
const pairMark = 0xff

// expandLines appends the lines of block, kept by appendSamples, as the
// exposition has them: each line starts with name, and pairLabel, the
// encoded pair label, replaces pairMark. A line ends at its only raw
// newline: label values have theirs escaped.
func expandLines(dst []byte, name string, pairLabel, block []byte) []byte {
	for len(block) > 0 {
		n := bytes.IndexByte(block, '\n') + 1
		if n == 0 {
			n = len(block)
		}
		line := block[:n]
		block = block[n:]
		dst = append(dst, name...)
		for {
			j := bytes.IndexByte(line, pairMark)
			if j < 0 {
				break
			}
			dst = append(dst, line[:j]...)
			dst = append(dst, pairLabel...)
			line = line[j+1:]
		}
		dst = append(dst, line...)
	}
	return dst
}

// appendPairLabel appends the pair label of a pair as appendSamples would
// have written it.
func appendPairLabel(b []byte, pair string) []byte {
	b = append(b, `pair="`...)
	b = appendEscaped(b, pair)
	return append(b, '"')
}

// appendEscaped appends a label value with backslash, newline and double
// quote escaped.
func appendEscaped(b []byte, v string) []byte {
	if !strings.ContainsAny(v, "\\\n\"") {
		return append(b, v...)
	}
	for i := range len(v) {
		switch c := v[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '"':
			b = append(b, '\\', '"')
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendFloat appends a value as expfmt does: OpenMetrics marks integral
// values with ".0", the text format does not.
func appendFloat(b []byte, f float64, om bool) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, +1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	}
	if f == 0 {
		f = 0 // expfmt writes -0 as 0
	}
	n := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	if om && !bytes.ContainsAny(b[n:], "e.") {
		b = append(b, '.', '0')
	}
	return b
}
