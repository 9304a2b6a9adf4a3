package probe

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Default bounds of one reply, from measurement. `show interface all` of a
// firewall with 1,000 interfaces (TestDefaultLimitsFitLargeReply builds
// one) is 0.68 MiB, 25,000 elements, 6 levels deep; `show counter
// interface all` for as many is about 1.2 MB and 43,000 elements. Real
// replies spend about 28 bytes per element, so 4 MiB of them is some
// 150,000 elements: the element limit only stops replies made of tiny
// elements, which cost pango and the parsers about 1.7 µs each.
const (
	// DefaultMaxReplyBytes bounds the bytes read of one reply.
	DefaultMaxReplyBytes = 4 << 20
	// DefaultMaxXMLDepth bounds the nesting of a reply's elements.
	DefaultMaxXMLDepth = 64
	// DefaultMaxXMLElements bounds the number of elements in a reply.
	DefaultMaxXMLElements = 500_000
)

// XMLLimits bound the cost of decoding one reply. Zero fields take the
// defaults.
type XMLLimits struct {
	MaxDepth    int
	MaxElements int
}

func (l XMLLimits) withDefaults() XMLLimits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxXMLDepth
	}
	if l.MaxElements <= 0 {
		l.MaxElements = DefaultMaxXMLElements
	}
	return l
}

// boundedTokens is an xml.TokenReader over body that fails once the
// elements nest deeper than lim.MaxDepth or number more than
// lim.MaxElements. The parsers decode through it (xml.NewTokenDecoder), so
// a reply is tokenized once and bounded in the same pass: encoding/xml's
// Unmarshal keeps a stack per level and a value per element, and the
// counts stop a hostile reply before those grow. Its errors do not wrap
// ErrMalformed; the caller says whose reply it was.
type boundedTokens struct {
	d               *xml.Decoder
	lim             XMLLimits
	depth, elements int
	root            string
}

func newBoundedTokens(body []byte, lim XMLLimits) *boundedTokens {
	return &boundedTokens{d: xml.NewDecoder(bytes.NewReader(body)), lim: lim.withDefaults()}
}

// Token implements xml.TokenReader with the raw tokens of the document: the
// decoder reading them pairs end elements with start elements.
func (b *boundedTokens) Token() (xml.Token, error) {
	tok, err := b.d.RawToken()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		b.depth++
		b.elements++
		if b.depth > b.lim.MaxDepth {
			return nil, fmt.Errorf("elements nested deeper than %d", b.lim.MaxDepth)
		}
		if b.elements > b.lim.MaxElements {
			return nil, fmt.Errorf("more than %d elements", b.lim.MaxElements)
		}
		if b.root == "" {
			b.root = t.Name.Local
		}
	case xml.EndElement:
		// RawToken does not pair end elements with start elements; a
		// stray one must not buy extra depth.
		if b.depth--; b.depth < 0 {
			return nil, fmt.Errorf("end element </%s> without start", t.Name.Local)
		}
	}
	return tok, nil
}

// CheckXML reads body once as a token stream, without building anything,
// and fails when it is not XML, nests deeper than lim.MaxDepth or holds more
// than lim.MaxElements elements. It is the check of the replies pango
// parses itself (key generation, system info at connect, on-demand
// commands); the poll's parsers enforce the same limits as they decode. It
// returns the root element's name; errors wrap ErrMalformed.
func CheckXML(body []byte, lim XMLLimits) (root string, err error) {
	b := newBoundedTokens(body, lim)
	for {
		_, err := b.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return b.root, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
	}
	if b.root == "" {
		return "", fmt.Errorf("%w: no xml element", ErrMalformed)
	}
	if b.depth > 0 {
		return b.root, fmt.Errorf("%w: truncated, %d elements not closed", ErrMalformed, b.depth)
	}
	return b.root, nil
}
