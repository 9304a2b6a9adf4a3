package exporter

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"mime"
	"sync"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/proto"
)

// encoding is an exposition format the cache keeps samples in.
type encoding int

const (
	encText        encoding = iota // text/plain 0.0.4 and 1.0.0
	encOpenMetrics                 // OpenMetrics 0.0.1 and 1.0.0
	encProto                       // delimited protobuf
	numEncodings
)

// encodingOf returns the cached encoding of a negotiated format; false for
// the formats that the cache leaves to the collector (protobuf text, and
// OpenMetrics 2.0 should it be offered).
func encodingOf(f expfmt.Format) (encoding, bool) {
	switch f.FormatType() {
	case expfmt.TypeTextPlain:
		return encText, true
	case expfmt.TypeProtoDelim:
		return encProto, true
	case expfmt.TypeOpenMetrics:
		_, params, err := mime.ParseMediaType(string(f))
		if err == nil && (params["version"] == expfmt.OpenMetricsVersion_1_0_0 || params["version"] == expfmt.OpenMetricsVersion_0_0_1) {
			return encOpenMetrics, true
		}
	}
	return 0, false
}

// encoded is a pair's samples in one encoding: family i's samples, without
// HELP and TYPE, are buf[off[i]:off[i+1]].
type encoded struct {
	buf []byte
	off []int32
}

// block returns the samples of family i.
func (e *encoded) block(i int) []byte { return e.buf[e.off[i]:e.off[i+1]] }

// encode encodes a pair's samples in enc, family by family: text and
// OpenMetrics lines directly, protobuf with the proto package. The
// samples are written into a reused scratch buffer and kept in a copy of
// their exact size, which lives until the pair's next snapshot.
func (c *Cache) encode(s *pairSink, enc encoding, pair string) *encoded {
	out := &encoded{off: make([]int32, len(s.samples)+1)}
	scratch := encodeBufs.Get().(*[]byte)
	buf := (*scratch)[:0]
	for i, ss := range s.samples {
		out.off[i] = int32(len(buf))
		if len(ss) == 0 {
			continue
		}
		f := c.col.d.families[i]
		if c.header(enc, i) == nil {
			c.setHeader(enc, i, familyHeader(dtoFamily(f, ss[:1]), enc))
		}
		switch enc {
		case encText, encOpenMetrics:
			buf = appendSamples(buf, f, ss, enc == encOpenMetrics, pair)
		case encProto:
			b, err := proto.MarshalOptions{}.MarshalAppend(buf, &dto.MetricFamily{Metric: dtoFamily(f, ss).Metric})
			if err != nil {
				// Not reachable with the exporter's own families; the
				// samples are left out rather than corrupting the scrape.
				c.col.logger.Error("cannot encode metrics", "metric", f.name, "err", err)
				continue
			}
			buf = b
		}
	}
	out.off[len(s.samples)] = int32(len(buf))
	out.buf = bytes.Clone(buf)
	if cap(buf) <= maxPooledEncoding {
		*scratch = buf
		encodeBufs.Put(scratch)
	}
	return out
}

// encodeBufs holds the scratch buffers of encode.
var encodeBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledEncoding is the largest scratch buffer kept: a pair at its
// series limit must not leave its buffer to every other pair's build.
const maxPooledEncoding = 1 << 20

// encodeFamily encodes a whole family in enc with expfmt.
func encodeFamily(w *bytes.Buffer, mf *dto.MetricFamily, enc encoding) error {
	var err error
	switch enc {
	case encText:
		_, err = expfmt.MetricFamilyToText(w, mf)
	case encOpenMetrics:
		_, err = expfmt.MetricFamilyToOpenMetrics(w, mf)
	default:
		err = errors.New("not a text encoding")
	}
	return err
}

// familyHeader returns what precedes the samples of a family in enc.
func familyHeader(mf *dto.MetricFamily, enc encoding) []byte {
	if enc == encProto {
		b, _ := proto.Marshal(&dto.MetricFamily{Name: mf.Name, Help: mf.Help, Type: mf.Type, Unit: mf.Unit})
		return b
	}
	var buf bytes.Buffer
	_ = encodeFamily(&buf, mf, enc)
	return buf.Bytes()[:headerLen(buf.Bytes())]
}

// headerLen returns the length of the comment lines (HELP, TYPE, UNIT)
// that start a text family; sample lines never start with '#'.
func headerLen(b []byte) int {
	n := 0
	for n < len(b) && b[n] == '#' {
		i := bytes.IndexByte(b[n:], '\n')
		if i < 0 {
			return len(b)
		}
		n += i + 1
	}
	return n
}

// writeFamily writes cached family i of every entry, or nothing when no
// entry has samples of it. Text lines are expanded (expandLines) into
// scratch, which it returns for the next family.
func (c *Cache) writeFamily(w io.Writer, enc encoding, i int, entries []*entry, scratch []byte) ([]byte, error) {
	size := 0
	for _, ent := range entries {
		size += len(ent.enc[enc].block(i))
	}
	if size == 0 {
		return scratch, nil
	}
	hdr := c.header(enc, i)
	if enc == encProto {
		n := binary.AppendUvarint(nil, uint64(len(hdr)+size))
		if _, err := w.Write(n); err != nil {
			return scratch, err
		}
	}
	if _, err := w.Write(hdr); err != nil {
		return scratch, err
	}
	name := c.col.d.families[i].name
	for _, ent := range entries {
		b := ent.enc[enc].block(i)
		if len(b) == 0 {
			continue
		}
		if enc != encProto {
			scratch = expandLines(scratch[:0], name, ent.pairLabel, b)
			b = scratch
		}
		if _, err := w.Write(b); err != nil {
			return scratch, err
		}
	}
	return scratch, nil
}
