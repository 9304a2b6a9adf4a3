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

// CheckXML reads body once as a token stream, without building anything,
// and fails when it is not XML, nests deeper than lim.MaxDepth or holds more
// than lim.MaxElements elements. encoding/xml's Unmarshal keeps a stack per
// level and a value per element, so a reply must pass here before any
// parser (pango's or ours) sees it. It returns the root element's name;
// errors wrap ErrMalformed.
func CheckXML(body []byte, lim XMLLimits) (root string, err error) {
	lim = lim.withDefaults()
	d := xml.NewDecoder(bytes.NewReader(body))
	depth, elements := 0, 0
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return root, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			if depth > lim.MaxDepth {
				return root, fmt.Errorf("%w: elements nested deeper than %d", ErrMalformed, lim.MaxDepth)
			}
			if elements > lim.MaxElements {
				return root, fmt.Errorf("%w: more than %d elements", ErrMalformed, lim.MaxElements)
			}
			if root == "" {
				root = t.Name.Local
			}
		case xml.EndElement:
			// RawToken does not pair end elements with start elements; a
			// stray one must not buy extra depth.
			if depth--; depth < 0 {
				return root, fmt.Errorf("%w: end element </%s> without start", ErrMalformed, t.Name.Local)
			}
		}
	}
	if root == "" {
		return "", fmt.Errorf("%w: no xml element", ErrMalformed)
	}
	if depth > 0 {
		return root, fmt.Errorf("%w: truncated, %d elements not closed", ErrMalformed, depth)
	}
	return root, nil
}
