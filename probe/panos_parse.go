package probe

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// response is the envelope of every PAN-OS XML API reply. R is the shape of
// the command's result element.
type response[R any] struct {
	XMLName xml.Name `xml:"response"`
	Status  string   `xml:"status,attr"`
	Code    string   `xml:"code,attr"`
	Msg     apiMsg   `xml:"msg"`
	Result  *R       `xml:"result"`
}

// resultHead holds the children of result that carry a message or an error.
// Every result shape embeds it.
type resultHead struct {
	Msg   apiMsg `xml:"msg"`
	Error string `xml:"error"`
}

func (h *resultHead) head() *resultHead { return h }

// resultPtr is a pointer to a result shape, which embeds resultHead.
type resultPtr[R any] interface {
	*R
	head() *resultHead
}

// apiMsg is a msg element: either plain text or one or more line children,
// often as CDATA.
type apiMsg struct {
	Text  string   `xml:",chardata"`
	Lines []string `xml:"line"`
}

// String joins the trimmed, non-empty lines with " | ", or returns the
// trimmed text when there are no lines.
func (m *apiMsg) String() string {
	var b strings.Builder
	for _, l := range m.Lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(l)
	}
	if b.Len() > 0 {
		return b.String()
	}
	return strings.TrimSpace(m.Text)
}

// decodeReply unmarshals body as a PAN-OS reply within lim, checks its
// envelope and returns its result element. what names the command in error
// messages.
func decodeReply[R any, P resultPtr[R]](body []byte, what string, lim XMLLimits) (*R, error) {
	r, err := decodeEnvelope[R, P](body, what, lim)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("%s reply: %w: no result element", what, ErrMalformed)
	}
	return r, nil
}

// decodeEnvelope is decodeReply for replies that may lack a result element;
// the result is then nil.
func decodeEnvelope[R any, P resultPtr[R]](body []byte, what string, lim XMLLimits) (*R, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("%s reply: %w: empty body", what, ErrMalformed)
	}
	r := new(response[R])
	if err := decodeBounded(body, lim, r); err != nil {
		return nil, fmt.Errorf("%s reply: %w: %w", what, ErrMalformed, err)
	}
	var none resultHead
	head := &none
	if r.Result != nil {
		head = P(r.Result).head()
	}
	if err := checkEnvelope(r.Status, r.Code, &r.Msg, head); err != nil {
		return nil, fmt.Errorf("%s reply: %w", what, err)
	}
	return r.Result, nil
}

// decodeBounded unmarshals the root element of body into v and reads the
// rest of the document, in one token pass bounded by lim: what follows the
// root must be well-formed and counts towards the limits too.
func decodeBounded(body []byte, lim XMLLimits, v any) error {
	d := xml.NewTokenDecoder(newBoundedTokens(body, lim))
	if err := d.Decode(v); err != nil {
		return err
	}
	for {
		if _, err := d.Token(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// checkEnvelope turns a non-success status, or a success that carries
// result/error, into an *APIError.
func checkEnvelope(status, code string, msg *apiMsg, head *resultHead) error {
	status = strings.TrimSpace(status)
	if status == "" {
		return fmt.Errorf("%w: response without status", ErrMalformed)
	}
	if strings.EqualFold(status, "success") {
		if e := strings.TrimSpace(head.Error); e != "" {
			return &APIError{Status: status, Code: parseCode(code), Message: e}
		}
		return nil
	}
	m := msg.String()
	if m == "" {
		m = head.Msg.String()
	}
	if m == "" {
		m = strings.TrimSpace(head.Error)
	}
	if m == "" {
		m = status
	}
	return &APIError{Status: status, Code: parseCode(code), Message: m}
}

// parseCode reads response/@code; absent or garbled codes read as 0.
func parseCode(s string) int {
	n, ok := parseDecimal([]byte(s))
	if !ok || n > math.MaxInt32 {
		return 0
	}
	return int(n)
}

// CheckResponse reports whether body is a successful PAN-OS reply. It returns
// nil for status="success", an *APIError for an error reply (or a success
// that carries result/error), and an error wrapping ErrMalformed when body is
// not a response document.
func CheckResponse(body []byte) error {
	_, err := decodeEnvelope[resultHead](body, "pan-os", XMLLimits{})
	return err
}

// keyResult is the result of a type=keygen request.
type keyResult struct {
	resultHead
	Key string `xml:"key"`
}

// ParseKey returns the trimmed API key of a type=keygen reply.
func ParseKey(body []byte) (string, error) {
	r, err := decodeReply[keyResult](body, "keygen", XMLLimits{})
	if err != nil {
		return "", err
	}
	key := strings.TrimSpace(r.Key)
	if key == "" {
		return "", fmt.Errorf("keygen reply: %w: no key", ErrMalformed)
	}
	return key, nil
}

// xmlUint is an element holding a decimal number. Values that are not
// decimal numbers, or overflow, read as zero instead of failing the reply.
type xmlUint uint64

// UnmarshalText implements encoding.TextUnmarshaler.
func (u *xmlUint) UnmarshalText(b []byte) error {
	n, _ := parseDecimal(b)
	*u = xmlUint(n)
	return nil
}

// parseDecimal parses an unsigned decimal number surrounded by optional
// white space, without allocating.
func parseDecimal(b []byte) (uint64, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (math.MaxUint64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// duration scales n by unit; values too large for a time.Duration read as 0.
func (u xmlUint) duration(unit time.Duration) time.Duration {
	if uint64(u) > uint64(math.MaxInt64/int64(unit)) {
		return 0
	}
	return time.Duration(u) * unit
}

// count returns u as an int; values too large read as 0.
func (u xmlUint) count() int {
	if uint64(u) > math.MaxInt32 {
		return 0
	}
	return int(u)
}

// isYes reports whether an element's text is "yes".
func isYes(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "yes") }

// isUp reports whether a status element's text is "up".
func isUp(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "up") }

// firstText returns the first of ss that is not blank, trimmed.
func firstText(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
